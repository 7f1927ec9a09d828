"""What the nodes stand on: settings, model backends, memory, the answer cache and the run log."""
