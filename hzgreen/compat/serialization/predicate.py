"""``hazelcast.serialization.predicate``: the 4.0 client's predicate module and names.

The official documentation's query examples still import ``is_equal_to``,
``is_less_than``, ... from here; they are the current predicates under their old names
(:mod:`hzgreen.compat.predicate` has the current ones).
"""

from __future__ import annotations

from hzgreen.compat.predicate import (
    PagingPredicate,
    Predicate,
    and_,
    between,
    equal,
    false,
    greater,
    greater_or_equal,
    ilike,
    in_,
    instance_of,
    less,
    less_or_equal,
    like,
    not_,
    not_equal,
    or_,
    paging,
    regex,
    sql,
    true,
)

__all__ = [
    "Predicate", "PagingPredicate", "sql", "and_", "or_", "not_", "like", "ilike", "regex", "between",
    "in_", "instance_of", "paging", "is_equal_to", "is_not_equal_to", "is_like", "is_ilike",
    "matches_regex", "is_between", "is_in", "is_instance_of", "is_greater_than",
    "is_greater_than_or_equal_to", "is_less_than", "is_less_than_or_equal_to", "true", "false",
    "equal", "not_equal", "greater", "greater_or_equal", "less", "less_or_equal",
]  # fmt: skip

is_equal_to = equal
is_not_equal_to = not_equal
is_like = like
is_ilike = ilike
matches_regex = regex
is_between = between
is_in = in_
is_instance_of = instance_of
is_greater_than = greater
is_greater_than_or_equal_to = greater_or_equal
is_less_than = less
is_less_than_or_equal_to = less_or_equal
