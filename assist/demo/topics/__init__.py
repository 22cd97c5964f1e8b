"""The demo's support topics, one module per category of questions."""
