"""The shell around the graph: the CLI, its console, `doctor` and `stats`."""
