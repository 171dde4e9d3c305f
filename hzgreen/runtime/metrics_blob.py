"""The compressed metrics blob of ``Client.statistics`` (Hazelcast's ``MetricsCompressor`` format).

Sans-IO: :class:`MetricsBlobWriter` turns metrics into bytes and nothing else.

Each metric is a :class:`MetricDescriptor` (prefix, metric name, discriminator and its
value, unit, excluded targets, tags) and a long or double value. Every word of a
descriptor goes into a dictionary (word -> id, ids in order of first use); a metric is
written as a mask byte telling which fields equal the previous metric's (those are
left out), the dictionary ids of the others (``-1`` for a missing word), the unit
ordinal (``-1`` for none), the excluded-targets bitset, the tag count, the tag id pairs,
then the value type (``0`` long, ``1`` double) and the value, all big-endian.

The dictionary is written sorted by word (in UTF-16 order, as Java sorts strings): its
size, then per word its id, the number of UTF-16 units shared with the previous word,
the number of units that follow, and those units. Both parts are zlib-compressed
(level 1) and framed as::

    version (2 bytes, 1) | dictionary part size (4) | dictionary part | metric count (4) | metrics part
"""

from __future__ import annotations

import enum
import struct
import zlib
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Tuple

__all__ = [
    "BINARY_FORMAT_VERSION",
    "MAX_WORD_LENGTH",
    "MetricDescriptor",
    "MetricTarget",
    "MetricsBlobWriter",
    "ProbeUnit",
]

#: The format version written first in every blob.
BINARY_FORMAT_VERSION = 1
#: The longest word (in UTF-16 units) a descriptor may hold: its length is one unsigned byte.
MAX_WORD_LENGTH = 255

_MASK_PREFIX = 1
_MASK_METRIC = 1 << 1
_MASK_DISCRIMINATOR = 1 << 2
_MASK_DISCRIMINATOR_VALUE = 1 << 3
_MASK_UNIT = 1 << 4
_MASK_EXCLUDED_TARGETS = 1 << 5
_MASK_TAG_COUNT = 1 << 6

_NULL_ID = -1
_NULL_UNIT = -1
_LONG = 0
_DOUBLE = 1
_LONG_MIN = -(1 << 63)
_LONG_MAX = (1 << 63) - 1

_INT = struct.Struct(">i")
_SHORT = struct.Struct(">H")
_LONG_VALUE = struct.Struct(">Bq")
_DOUBLE_VALUE = struct.Struct(">Bd")


class ProbeUnit(enum.IntEnum):
    """Unit of a metric (the ordinals of Java's ``ProbeUnit``)."""

    BYTES = 0
    MS = 1
    NS = 2
    PERCENT = 3
    COUNT = 4
    BOOLEAN = 5
    ENUM = 6


class MetricTarget(enum.IntEnum):
    """A consumer a metric can be hidden from (bit positions of Java's ``MetricTarget``)."""

    MANAGEMENT_CENTER = 0
    JMX = 1
    DIAGNOSTICS = 2
    JET_JOB = 3


@dataclass(frozen=True)
class MetricDescriptor:
    """Names one metric: ``prefix.metric`` of the object ``discriminator=discriminator_value``."""

    metric: str
    prefix: Optional[str] = None
    discriminator: Optional[str] = None
    discriminator_value: Optional[str] = None
    unit: Optional[ProbeUnit] = None
    excluded_targets: FrozenSet[MetricTarget] = frozenset()
    tags: Tuple[Tuple[str, str], ...] = ()


def _utf16(word: str) -> bytes:
    """``word`` as big-endian UTF-16 (Java ``char`` units); returns the bytes."""
    return word.encode("utf-16-be", "surrogatepass")


class MetricsBlobWriter:
    """Collects metrics (:meth:`add_long`, :meth:`add_double`) and renders the blob (:meth:`blob`)."""

    def __init__(self) -> None:
        self._words: Dict[str, int] = {}
        self._metrics = bytearray()
        self._count = 0
        self._last: Optional[MetricDescriptor] = None

    @property
    def count(self) -> int:
        """The number of metrics added so far."""
        return self._count

    def add_long(self, descriptor: MetricDescriptor, value: int) -> None:
        """Add a long metric; returns None. Raises ValueError for a value outside the signed
        64-bit range or a word longer than :data:`MAX_WORD_LENGTH`, TypeError for a non-int."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(
                "metric %r: a long value must be an int, not %s" % (descriptor.metric, type(value).__name__)
            )
        if not _LONG_MIN <= value <= _LONG_MAX:
            raise ValueError("metric %r: %d does not fit a signed 64-bit long" % (descriptor.metric, value))
        encoded = self._descriptor(descriptor)
        self._metrics += encoded + _LONG_VALUE.pack(_LONG, value)
        self._commit(descriptor)

    def add_double(self, descriptor: MetricDescriptor, value: float) -> None:
        """Add a double metric; returns None. Raises ValueError for a word longer than
        :data:`MAX_WORD_LENGTH`, TypeError for a value that is not a number."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(
                "metric %r: a double value must be a number, not %s" % (descriptor.metric, type(value).__name__)
            )
        encoded = self._descriptor(descriptor)
        self._metrics += encoded + _DOUBLE_VALUE.pack(_DOUBLE, float(value))
        self._commit(descriptor)

    def blob(self) -> bytes:
        """The framed blob of every metric added so far (the writer stays usable); returns it."""
        dictionary = zlib.compress(self._dictionary(), 1)
        metrics = zlib.compress(bytes(self._metrics), 1)
        return b"".join(
            (
                _SHORT.pack(BINARY_FORMAT_VERSION),
                _INT.pack(len(dictionary)),
                dictionary,
                _INT.pack(self._count),
                metrics,
            )
        )

    # -- encoding ----------------------------------------------------------------------------

    def _commit(self, descriptor: MetricDescriptor) -> None:
        self._count += 1
        self._last = descriptor

    def _descriptor(self, descriptor: MetricDescriptor) -> bytes:
        """The encoded descriptor (mask, ids, unit, targets, tags); returns it. Raises
        ValueError for an over-long word or more than 255 tags (nothing is recorded then)."""
        if len(descriptor.tags) > 255:
            raise ValueError("metric %r: at most 255 tags, got %d" % (descriptor.metric, len(descriptor.tags)))
        words = [descriptor.prefix, descriptor.metric, descriptor.discriminator, descriptor.discriminator_value]
        for tag, tag_value in descriptor.tags:
            words.extend((tag, tag_value))
        for word in words:
            if word is not None and len(_utf16(word)) // 2 > MAX_WORD_LENGTH:
                raise ValueError(
                    "metric %r: the word %r is longer than %d UTF-16 units"
                    % (descriptor.metric, word[:40], MAX_WORD_LENGTH)
                )
        last = self._last
        mask = 0
        if last is not None:
            if descriptor.prefix == last.prefix:
                mask |= _MASK_PREFIX
            if descriptor.metric == last.metric:
                mask |= _MASK_METRIC
            if descriptor.discriminator == last.discriminator:
                mask |= _MASK_DISCRIMINATOR
            if descriptor.discriminator_value == last.discriminator_value:
                mask |= _MASK_DISCRIMINATOR_VALUE
            if descriptor.unit == last.unit:
                mask |= _MASK_UNIT
            if descriptor.excluded_targets == last.excluded_targets:
                mask |= _MASK_EXCLUDED_TARGETS
            if len(descriptor.tags) == len(last.tags):
                mask |= _MASK_TAG_COUNT
        out = bytearray((mask,))
        for bit, word in (
            (_MASK_PREFIX, descriptor.prefix),
            (_MASK_METRIC, descriptor.metric),
            (_MASK_DISCRIMINATOR, descriptor.discriminator),
            (_MASK_DISCRIMINATOR_VALUE, descriptor.discriminator_value),
        ):
            if not mask & bit:
                out += _INT.pack(self._word_id(word))
        if not mask & _MASK_UNIT:
            out.append((_NULL_UNIT if descriptor.unit is None else int(descriptor.unit)) & 0xFF)
        if not mask & _MASK_EXCLUDED_TARGETS:
            bitset = 0
            for target in descriptor.excluded_targets:
                bitset |= 1 << int(target)
            out.append(bitset)
        if not mask & _MASK_TAG_COUNT:
            out.append(len(descriptor.tags))
        for tag, tag_value in descriptor.tags:
            out += _INT.pack(self._word_id(tag)) + _INT.pack(self._word_id(tag_value))
        return bytes(out)

    def _word_id(self, word: Optional[str]) -> int:
        """The dictionary id of ``word`` (added on first use), ``-1`` for None; returns it."""
        if word is None:
            return _NULL_ID
        found = self._words.get(word)
        if found is None:
            found = self._words[word] = len(self._words)
        return found

    def _dictionary(self) -> bytes:
        """The uncompressed dictionary part; returns it."""
        entries: List[Tuple[bytes, int]] = sorted((_utf16(word), word_id) for word, word_id in self._words.items())
        out = bytearray(_INT.pack(len(entries)))
        last = b""
        for units, word_id in entries:
            common = 0
            limit = min(len(last), len(units)) // 2
            while common < limit and units[2 * common : 2 * common + 2] == last[2 * common : 2 * common + 2]:
                common += 1
            out += _INT.pack(word_id)
            out.append(common)
            out.append(len(units) // 2 - common)
            out += units[2 * common :]
            last = units
        return bytes(out)
