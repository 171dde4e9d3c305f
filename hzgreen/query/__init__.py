"""Predicates, aggregators and projections: what a query sends to the members."""
