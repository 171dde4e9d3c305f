"""Map queries, aggregations, projections and entry processors (mixed into Map)."""


class MapQueryMixin:
    """Predicate-based reads and member-side computation on a Map."""
