"""Quality evaluations behind `python -m assist eval ...`; each returns a flat dict of figures."""
