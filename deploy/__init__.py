"""Deployment recipes (nginx template, the one-machine scale-out cluster)."""
