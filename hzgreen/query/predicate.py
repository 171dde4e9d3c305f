"""Predicates: filters evaluated on the members (``Map.key_set/values/entry_set``, ...).

Same names as the official client's ``hazelcast.predicate``. Attributes are paths into
the value: a field of a Portable/Compact/JSON value (``"age"``), a nested one
(``"address.city"``), any element of an array (``"people[any].name"``), the key
(``"__key"``, ``"__key.id"``) or the value itself (``"this"``)::

    from hzgreen import predicate as p

    m.values(p.and_(p.greater("age", 30), p.like("name", "A%")))
    m.key_set(p.sql("age > 30 AND active"))
    m.entry_set(p.equal("people[any].name", "Ada"))

Comparison values are serialized like map values, so they must have the Java type of
the attribute: compare a Java ``short`` field with ``typed(30, "short")`` (see
:mod:`hzgreen.serialization.hints`).

Each predicate is an IdentifiedDataSerializable of the member's predicate factory
(-20); :func:`paging` pages through sorted results (see :class:`PagingPredicate`).
"""

from __future__ import annotations

from typing import Any, List, Optional, Sequence, Tuple

from hzgreen.serialization.api import IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput

__all__ = [
    "PagingPredicate",
    "Predicate",
    "and_",
    "between",
    "equal",
    "false",
    "greater",
    "greater_or_equal",
    "ilike",
    "in_",
    "instance_of",
    "less",
    "less_or_equal",
    "like",
    "not_",
    "not_equal",
    "or_",
    "paging",
    "regex",
    "sql",
    "true",
]

PREDICATE_FACTORY_ID = -20


class Predicate(IdentifiedDataSerializable):
    """Base of all predicates; ``class_id`` and ``_fields`` describe the wire form."""

    class_id = -1
    _fields: Tuple[str, ...] = ()

    def get_factory_id(self) -> int:
        return PREDICATE_FACTORY_ID

    def get_class_id(self) -> int:
        return self.class_id

    def read_data(self, inp: ObjectDataInput) -> None:
        raise NotImplementedError("predicates are only sent to members")

    def write_data(self, out: ObjectDataOutput) -> None:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __hash__(self) -> int:
        return hash((type(self), tuple(repr(getattr(self, f)) for f in self._fields)))

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, ", ".join(repr(getattr(self, f)) for f in self._fields))


def _attribute(attribute: object) -> str:
    """``attribute`` itself; raises ValueError for anything but a non-empty str."""
    if not isinstance(attribute, str) or not attribute:
        raise ValueError(
            "an attribute must be a non-empty str (a field path, '__key' or 'this'), got %r" % (attribute,)
        )
    return attribute


class _Sql(Predicate):
    class_id = 0
    _fields = ("expression",)

    def __init__(self, expression: str) -> None:
        if not isinstance(expression, str) or not expression.strip():
            raise ValueError("sql() needs a non-empty SQL WHERE expression, got %r" % (expression,))
        self.expression = expression

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.expression)


class _And(Predicate):
    class_id = 1
    _fields = ("predicates",)

    def __init__(self, predicates: Sequence[Predicate]) -> None:
        for item in predicates:
            if not isinstance(item, Predicate) or isinstance(item, PagingPredicate):
                raise TypeError("%s() takes predicates (not paging), got %r" % (type(self).__name__.lower(), item))
        self.predicates = list(predicates)

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_int(len(self.predicates))
        for item in self.predicates:
            out.write_object(item)


class _Between(Predicate):
    class_id = 2
    _fields = ("attribute", "from_", "to")

    def __init__(self, attribute: str, from_: Any, to: Any) -> None:
        self.attribute = _attribute(attribute)
        self.from_ = from_
        self.to = to

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute)
        out.write_object(self.to)
        out.write_object(self.from_)


class _Equal(Predicate):
    class_id = 3
    _fields = ("attribute", "value")

    def __init__(self, attribute: str, value: Any) -> None:
        self.attribute = _attribute(attribute)
        self.value = value

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute)
        out.write_object(self.value)


class _GreaterLess(Predicate):
    class_id = 4
    _fields = ("attribute", "value", "is_equal", "is_less")

    def __init__(self, attribute: str, value: Any, is_equal: bool, is_less: bool) -> None:
        self.attribute = _attribute(attribute)
        self.value = value
        self.is_equal = is_equal
        self.is_less = is_less

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute)
        out.write_object(self.value)
        out.write_boolean(self.is_equal)
        out.write_boolean(self.is_less)


class _Like(Predicate):
    class_id = 5
    _fields = ("attribute", "expression")

    def __init__(self, attribute: str, expression: str) -> None:
        self.attribute = _attribute(attribute)
        if not isinstance(expression, str):
            raise TypeError("a LIKE pattern must be a str, got %r" % (expression,))
        self.expression = expression

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute)
        out.write_string(self.expression)


class _ILike(_Like):
    class_id = 6


class _In(Predicate):
    class_id = 7
    _fields = ("attribute", "values")

    def __init__(self, attribute: str, values: Sequence[Any]) -> None:
        self.attribute = _attribute(attribute)
        self.values = list(values)

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute)
        out.write_int(len(self.values))
        for value in self.values:
            out.write_object(value)


class _InstanceOf(Predicate):
    class_id = 8
    _fields = ("class_name",)

    def __init__(self, class_name: str) -> None:
        if not isinstance(class_name, str) or not class_name:
            raise ValueError("instance_of() needs a Java class name, got %r" % (class_name,))
        self.class_name = class_name

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.class_name)


class _NotEqual(_Equal):
    class_id = 9


class _Not(Predicate):
    class_id = 10
    _fields = ("predicate",)

    def __init__(self, predicate: Predicate) -> None:
        if not isinstance(predicate, Predicate) or isinstance(predicate, PagingPredicate):
            raise TypeError("not_() takes a predicate (not paging), got %r" % (predicate,))
        self.predicate = predicate

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_object(self.predicate)


class _Or(_And):
    class_id = 11


class _Regex(Predicate):
    class_id = 12
    _fields = ("attribute", "pattern")

    def __init__(self, attribute: str, pattern: str) -> None:
        self.attribute = _attribute(attribute)
        if not isinstance(pattern, str):
            raise TypeError("a regex must be a str, got %r" % (pattern,))
        self.pattern = pattern

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_string(self.attribute)
        out.write_string(self.pattern)


class _False(Predicate):
    class_id = 13

    def write_data(self, out: ObjectDataOutput) -> None:
        pass


class _True(Predicate):
    class_id = 14

    def write_data(self, out: ObjectDataOutput) -> None:
        pass


class IterationType:
    """What a paging query returns (the names are sent to the member)."""

    KEY = "KEY"
    VALUE = "VALUE"
    ENTRY = "ENTRY"


class PagingPredicate(Predicate):
    """Pages of ``page_size`` results, sorted on the member.

    Without a comparator, results are sorted by key (or by value for ``values``),
    which must then be comparable on the member; with one, the comparator is any
    object the member can deserialize into a ``java.util.Comparator<Map.Entry>``
    (e.g. an IdentifiedDataSerializable whose Java class is on the member's
    classpath). Move with :meth:`next_page`, :meth:`previous_page` or by setting
    :attr:`page`; the predicate remembers the anchors of the pages it has seen, so
    use one predicate per iteration and do not share it between threads.
    """

    class_id = 15
    _fields = ("predicate", "page_size", "comparator")

    def __init__(self, predicate: Optional[Predicate], page_size: int, comparator: Any = None) -> None:
        if isinstance(predicate, PagingPredicate):
            raise TypeError("a paging predicate cannot wrap another paging predicate")
        if predicate is not None and not isinstance(predicate, Predicate):
            raise TypeError("paging() takes a predicate or None, got %r" % (predicate,))
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size <= 0:
            raise ValueError("page_size must be a positive int, got %r" % (page_size,))
        self.predicate = predicate
        self.page_size = page_size
        self.comparator = comparator
        self._page = 0
        self.iteration_type = IterationType.ENTRY
        #: (page, (anchor key, anchor value)) of every page seen so far.
        self.anchor_list: List[Tuple[int, Tuple[Any, Any]]] = []

    @property
    def page(self) -> int:
        """Returns the current page number (0 is the first page). Setting it raises ValueError unless it is
        an int >= 0."""
        return self._page

    @page.setter
    def page(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError("page must be an int >= 0, got %r" % (value,))
        self._page = value

    def next_page(self) -> int:
        """Moves to the next page; returns the new page number. Raises nothing."""
        self._page += 1
        return self._page

    def previous_page(self) -> int:
        """Moves to the previous page (staying on page 0); returns the new page number. Raises nothing."""
        if self._page > 0:
            self._page -= 1
        return self._page

    def reset(self) -> None:
        """Back to page 0, forgetting the anchors."""
        self._page = 0
        self.iteration_type = IterationType.ENTRY
        del self.anchor_list[:]

    def write_data(self, out: ObjectDataOutput) -> None:
        out.write_object(self.predicate)
        out.write_object(self.comparator)
        out.write_int(self._page)
        out.write_int(self.page_size)
        out.write_string(self.iteration_type)
        out.write_int(len(self.anchor_list))
        for page, (key, value) in self.anchor_list:
            out.write_int(page)
            out.write_object(key)
            out.write_object(value)

    def __repr__(self) -> str:
        return "PagingPredicate(%r, page_size=%d, comparator=%r, page=%d)" % (
            self.predicate,
            self.page_size,
            self.comparator,
            self._page,
        )


# -- factory functions (the official client's names) -----------------------------------


def sql(expression: str) -> Predicate:
    """Entries matching an SQL ``WHERE`` expression (``"age > 30 AND name LIKE 'A%'"``)."""
    return _Sql(expression)


def equal(attribute: str, value: Any) -> Predicate:
    """Returns a predicate matching the entries whose ``attribute`` equals ``value`` (SQL ``=``). Raises
    nothing here; a value that cannot be serialized raises HzSerializationError when the query is sent."""
    return _Equal(attribute, value)


def not_equal(attribute: str, value: Any) -> Predicate:
    """Returns a predicate matching the entries whose ``attribute`` differs from ``value`` (SQL ``<>``).
    Raises nothing here; a value that cannot be serialized raises HzSerializationError when the query is
    sent."""
    return _NotEqual(attribute, value)


def like(attribute: str, pattern: str) -> Predicate:
    """SQL LIKE, case-sensitive: ``%`` any characters, ``_`` one character."""
    return _Like(attribute, pattern)


def ilike(attribute: str, pattern: str) -> Predicate:
    """SQL LIKE, case-insensitive."""
    return _ILike(attribute, pattern)


def regex(attribute: str, pattern: str) -> Predicate:
    """The attribute matches a Java regular expression."""
    return _Regex(attribute, pattern)


def between(attribute: str, from_: Any, to: Any) -> Predicate:
    """``from_ <= attribute <= to``."""
    return _Between(attribute, from_, to)


def in_(attribute: str, *values: Any) -> Predicate:
    """The attribute equals one of ``values``."""
    return _In(attribute, values)


def instance_of(class_name: str) -> Predicate:
    """The value is an instance of the Java class ``class_name``."""
    return _InstanceOf(class_name)


def greater(attribute: str, value: Any) -> Predicate:
    """Returns a predicate matching the entries whose ``attribute`` is greater than ``value``. Raises
    nothing here; a value that cannot be serialized raises HzSerializationError when the query is sent."""
    return _GreaterLess(attribute, value, False, False)


def greater_or_equal(attribute: str, value: Any) -> Predicate:
    """Returns a predicate matching the entries whose ``attribute`` is greater than or equal to ``value``.
    Raises nothing here; a value that cannot be serialized raises HzSerializationError when the query is
    sent."""
    return _GreaterLess(attribute, value, True, False)


def less(attribute: str, value: Any) -> Predicate:
    """Returns a predicate matching the entries whose ``attribute`` is less than ``value``. Raises nothing
    here; a value that cannot be serialized raises HzSerializationError when the query is sent."""
    return _GreaterLess(attribute, value, False, True)


def less_or_equal(attribute: str, value: Any) -> Predicate:
    """Returns a predicate matching the entries whose ``attribute`` is less than or equal to ``value``.
    Raises nothing here; a value that cannot be serialized raises HzSerializationError when the query is
    sent."""
    return _GreaterLess(attribute, value, True, True)


def and_(*predicates: Predicate) -> Predicate:
    """Returns a predicate matching the entries that every one of ``predicates`` matches. Raises nothing
    here."""
    return _And(predicates)


def or_(*predicates: Predicate) -> Predicate:
    """Returns a predicate matching the entries that at least one of ``predicates`` matches. Raises nothing
    here."""
    return _Or(predicates)


def not_(predicate: Predicate) -> Predicate:
    """Returns a predicate matching the entries that ``predicate`` does not match. Raises nothing here."""
    return _Not(predicate)


def true() -> Predicate:
    """Every entry."""
    return _True()


def false() -> Predicate:
    """No entry."""
    return _False()


def paging(predicate: Optional[Predicate], page_size: int, comparator: Any = None) -> PagingPredicate:
    """Pages of ``page_size`` results matching ``predicate`` (None = every entry)."""
    return PagingPredicate(predicate, page_size, comparator)
