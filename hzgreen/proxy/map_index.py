"""Index and entry-view types of a Map, with the official client's names.

* :class:`IndexType` (``SORTED``, ``HASH``, ``BITMAP``) and
  :class:`UniqueKeyTransformation` (``OBJECT``, ``LONG``, ``RAW``), whose values are the
  protocol's;
* :class:`BitmapIndexOptions` and :class:`IndexConfig`, checked when built and turned
  into their wire form by :func:`index_config_of` (``Map.add_index`` uses it);
* :class:`SimpleEntryView`: what ``Map.get_entry_view`` returns.
"""

from __future__ import annotations

import enum
from typing import Any, Iterable, List, Mapping, Optional, Union

from hzgreen.protocol import custom


class IndexType(enum.IntEnum):
    """The kinds of map indexes."""

    SORTED = 0
    HASH = 1
    BITMAP = 2


class UniqueKeyTransformation(enum.IntEnum):
    """How a bitmap index turns its unique key into a number."""

    OBJECT = 0
    LONG = 1
    RAW = 2


def _enum_of(enum_type: Any, value: object, what: str) -> Any:
    """``value`` (a member, its int value or its name) as a member of ``enum_type``; raises
    TypeError for another type and ValueError for an unknown value, naming ``what``."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        try:
            return enum_type[value.upper()]
        except KeyError:
            raise ValueError("%s must be one of %s, got %r" % (what, [m.name for m in enum_type], value)) from None
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_type(value)
        except ValueError:
            raise ValueError("%s must be one of %s, got %r" % (what, [m.name for m in enum_type], value)) from None
    raise TypeError("%s must be a %s, got %r" % (what, enum_type.__name__, value))


class BitmapIndexOptions:
    """Options of a BITMAP index: the attribute that uniquely identifies an entry
    (``unique_key``, default the key itself) and how it becomes a number.

    Raises TypeError/ValueError naming the bad argument."""

    __slots__ = ("unique_key", "unique_key_transformation")

    def __init__(
        self,
        unique_key: str = "__key",
        unique_key_transformation: Union[UniqueKeyTransformation, int, str] = UniqueKeyTransformation.OBJECT,
    ) -> None:
        if not isinstance(unique_key, str) or not unique_key.strip():
            raise ValueError("unique_key must be a non-empty attribute name, got %r" % (unique_key,))
        self.unique_key = unique_key
        self.unique_key_transformation: UniqueKeyTransformation = _enum_of(
            UniqueKeyTransformation, unique_key_transformation, "unique_key_transformation"
        )

    def __repr__(self) -> str:
        return "BitmapIndexOptions(unique_key=%r, unique_key_transformation=%s)" % (
            self.unique_key,
            self.unique_key_transformation.name,
        )


def _canonical_attribute(attribute: object) -> str:
    """``attribute`` without a ``this.`` prefix; raises TypeError/ValueError for a non-string or empty one."""
    if not isinstance(attribute, str):
        raise TypeError("an index attribute must be a str, got %r" % (attribute,))
    name = attribute.strip()
    if name.startswith("this."):
        name = name[len("this.") :]
    if not name:
        raise ValueError("an index attribute must not be empty, got %r" % (attribute,))
    return name


class IndexConfig:
    """An index over one or more attributes of a map's values (``"age"``, ``"address.city"``,
    ``"__key"``). A BITMAP index takes exactly one attribute.

    Raises ValueError for no attributes, duplicates or a bad combination, TypeError for
    arguments of the wrong type."""

    __slots__ = ("name", "type", "attributes", "bitmap_index_options")

    def __init__(
        self,
        name: Optional[str] = None,
        type: Union[IndexType, int, str] = IndexType.SORTED,
        attributes: Optional[Iterable[str]] = None,
        bitmap_index_options: Union[BitmapIndexOptions, Mapping[str, Any], None] = None,
    ) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be a str or None, got %r" % (name,))
        self.name = name
        self.type: IndexType = _enum_of(IndexType, type, "index_type")
        if attributes is None or isinstance(attributes, (str, bytes)):
            raise ValueError("attributes must be a non-empty list of attribute names, got %r" % (attributes,))
        canonical: List[str] = []
        for attribute in attributes:
            name_of = _canonical_attribute(attribute)
            if name_of in canonical:
                raise ValueError("duplicate index attribute %r" % (attribute,))
            canonical.append(name_of)
        if not canonical:
            raise ValueError("attributes must name at least one attribute")
        if self.type == IndexType.BITMAP and len(canonical) != 1:
            raise ValueError("a BITMAP index takes exactly one attribute, got %r" % (canonical,))
        self.attributes = canonical
        if bitmap_index_options is not None and self.type != IndexType.BITMAP:
            raise ValueError("bitmap_index_options only apply to a BITMAP index")
        if isinstance(bitmap_index_options, Mapping):
            bitmap_index_options = BitmapIndexOptions(**bitmap_index_options)
        elif bitmap_index_options is not None and not isinstance(bitmap_index_options, BitmapIndexOptions):
            raise TypeError(
                "bitmap_index_options must be BitmapIndexOptions or a dict, got %r" % (bitmap_index_options,)
            )
        self.bitmap_index_options = bitmap_index_options

    def __repr__(self) -> str:
        return "IndexConfig(name=%r, type=%s, attributes=%r, bitmap_index_options=%r)" % (
            self.name,
            self.type.name,
            self.attributes,
            self.bitmap_index_options,
        )


def index_config_of(config: IndexConfig) -> custom.IndexConfig:
    """The wire form of ``config``."""
    options = config.bitmap_index_options
    if config.type == IndexType.BITMAP and options is None:
        options = BitmapIndexOptions()
    wire_options = (
        None
        if options is None
        else custom.BitmapIndexOptions(options.unique_key, int(options.unique_key_transformation))
    )
    return custom.IndexConfig(config.name, int(config.type), list(config.attributes), wire_options)


class SimpleEntryView(custom.SimpleEntryView):
    """A snapshot of one entry and its statistics (``Map.get_entry_view``): the protocol's
    entry view with ``key`` and ``value`` deserialized.

    Times (``creation_time``, ``expiration_time``, ``last_access_time``,
    ``last_stored_time``, ``last_update_time``) are epoch milliseconds and ``ttl`` /
    ``max_idle`` milliseconds, as the member reports them; ``cost`` is the entry's memory
    cost in bytes, ``hits`` how often it was read and ``version`` how often it was updated.
    Views compare by identity, as snapshots.
    """

    __slots__ = ()

    key: Any
    value: Any

    __eq__ = object.__eq__
    __hash__ = object.__hash__  # a snapshot: identity, not its fields

    def __repr__(self) -> str:
        return "SimpleEntryView(key=%r, value=%r, hits=%d, version=%d, ttl=%d)" % (
            self.key,
            self.value,
            self.hits,
            self.version,
            self.ttl,
        )
