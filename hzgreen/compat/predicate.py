"""``hazelcast.predicate`` for hzgreen: the official names, served by :mod:`hzgreen.query.predicate`.

The functions (``sql``, ``equal``, ``and_``, ``paging``, ...) are hzgreen's own, which
already carry the official names. :class:`Predicate` is the base for user predicates:
subclass it (and :class:`~hzgreen.compat.serialization.api.IdentifiedDataSerializable`,
in either order) and implement ``get_factory_id``, ``get_class_id`` and ``write_data``
for the Java predicate registered on the members, as with the official client.
"""

from __future__ import annotations

from hzgreen.compat._markers import NativeBaseMeta, UserQueryObject
from hzgreen.query import predicate as _native
from hzgreen.query.predicate import (
    PREDICATE_FACTORY_ID,
    PagingPredicate,
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
    "PREDICATE_FACTORY_ID", "Predicate", "PagingPredicate", "sql", "equal", "not_equal", "like", "ilike",
    "regex", "and_", "or_", "not_", "between", "in_", "instance_of", "false", "true", "paging", "greater",
    "greater_or_equal", "less", "less_or_equal",
]  # fmt: skip


class Predicate(UserQueryObject, _native.Predicate, metaclass=NativeBaseMeta):
    """Base of predicates; ``isinstance(p, Predicate)`` holds for hzgreen's own predicates too.

    A subclass provides ``get_factory_id()``, ``get_class_id()`` and ``write_data(output)``
    matching a Java predicate on the members' classpath.
    """

    _native_base = _native.Predicate
