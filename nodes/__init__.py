"""The graph's nodes: route, the answering tiers, validate, the escalation policy, ask_human, finish."""
