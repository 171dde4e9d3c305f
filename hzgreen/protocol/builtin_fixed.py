"""Fixed-size built-in types: their sizes, their little-endian structs and the UUID helpers.

These values live in the initial frame of a message or a custom type, packed by the generated
codecs with the structs below; a UUID takes three fields (is-null, msb, lsb), see
:func:`uuid_parts` / :func:`uuid_from`.  Part of :mod:`hzgreen.protocol.builtin`.
"""

from __future__ import annotations

import struct
import uuid as _uuid
from typing import TYPE_CHECKING, Callable, Optional, Tuple

from hzgreen.protocol.frame import FrameContent

# -- fixed-size primitives -----------------------------------------------------------------

BYTE_SIZE = 1
BOOLEAN_SIZE = 1
SHORT_SIZE = 2
INT_SIZE = 4
FLOAT_SIZE = 4
LONG_SIZE = 8
DOUBLE_SIZE = 8
UUID_SIZE = 17

BYTE = struct.Struct("<b")
BOOLEAN = struct.Struct("<?")
SHORT = struct.Struct("<h")
INT = struct.Struct("<i")
FLOAT = struct.Struct("<f")
LONG = struct.Struct("<q")
DOUBLE = struct.Struct("<d")
#: UUID on the wire: is-null boolean, most significant 64 bits, least significant 64 bits.
UUID = struct.Struct("<BQQ")

_MASK64 = (1 << 64) - 1
_UUID_NULL_PARTS = (1, 0, 0)


def _make_uuid_factory() -> Callable[[int], _uuid.UUID]:
    """``f(int) -> uuid.UUID``, about twice as fast as ``uuid.UUID(int=n)``.

    ``uuid.UUID`` keeps its value in the slots ``int`` and ``is_safe``; filling them directly
    skips the argument parsing of ``UUID.__init__``.  Falls back to the public constructor if
    the layout ever differs.
    """
    cls = _uuid.UUID
    new = object.__new__
    set_attr = object.__setattr__
    unknown = _uuid.SafeUUID.unknown

    def fast(n: int) -> _uuid.UUID:
        u = new(cls)
        set_attr(u, "int", n)
        set_attr(u, "is_safe", unknown)
        return u

    try:
        probe = 0x00112233445566778899AABBCCDDEEFF
        if fast(probe) == cls(int=probe) and str(fast(probe)) == str(cls(int=probe)):
            return fast
    except Exception:  # pragma: no cover - layout changed
        pass
    return lambda n: cls(int=n)  # pragma: no cover


_uuid_from_int = _make_uuid_factory()


def uuid_parts(value: Optional[_uuid.UUID]) -> Tuple[int, int, int]:
    """``(is_null, msb, lsb)`` of a UUID (or None) for packing with :data:`UUID`."""
    if value is None:
        return _UUID_NULL_PARTS
    n = value.int
    return 0, n >> 64, n & _MASK64


def uuid_from(is_null: int, msb: int, lsb: int) -> Optional[_uuid.UUID]:
    """The UUID (or None) from the three unpacked UUID fields."""
    if is_null:
        return None
    return _uuid_from_int((msb << 64) | lsb)


if TYPE_CHECKING:

    def required_uuid_from(is_null: int, msb: int, lsb: int) -> _uuid.UUID:
        """The UUID of a field the protocol declares non-nullable.

        The very same function as :func:`uuid_from` at run time (the decoders stay lenient: a peer
        that sets the is-null flag anyway still gets None); only the static type states the
        protocol's guarantee.
        """
else:
    required_uuid_from = uuid_from


def encode_uuid_into(buf: bytearray, offset: int, value: Optional[_uuid.UUID]) -> None:
    """Pack ``value`` (or the null UUID for None) into ``buf`` at ``offset``; returns None."""
    UUID.pack_into(buf, offset, *uuid_parts(value))


def decode_uuid_from(buf: FrameContent, offset: int) -> Optional[_uuid.UUID]:
    """The UUID (or None) packed in ``buf`` at ``offset``; raises struct.error if ``buf`` is short."""
    is_null, msb, lsb = UUID.unpack_from(buf, offset)
    if is_null:
        return None
    return _uuid_from_int((msb << 64) | lsb)
