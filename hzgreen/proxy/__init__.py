"""Distributed data structures: one module per structure."""
