"""Training the shipped models: `python -m assist train sentiment | confidence` (triage trains in `assist.triage`,
because a workspace retrains it from its own tickets)."""
