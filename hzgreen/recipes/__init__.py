"""Coordination recipes built on the proxy and CP APIs."""
