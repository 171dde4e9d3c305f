"""Codecs of the built-in protocol types (NOTES.md §3.1, §5).

Conventions used by the generated codecs:

* ``encode_<type>(frames, value)`` appends the frames of ``value`` to the list ``frames``;
* ``decode_<type>(it)`` reads a value from a :class:`FrameIterator`;
* single-frame types also have ``<type>_frame(value) -> Frame`` and ``<type>_from(frame)``.

Python representations: ``String`` -> str; ``Data`` and ``byteArray`` -> bytes (``Data`` is an
opaque serialized blob at this layer); ``UUID`` -> :class:`uuid.UUID` or None; ``longArray`` /
``List_Integer`` / ``List_Long`` / ``List_UUID`` / ``Set_UUID`` / ``List_X`` -> list;
``EntryList_K_V`` -> list of ``(key, value)`` tuples; ``Map_K_V`` -> dict.  Encoders accept any
iterable for lists and either a mapping or an iterable of pairs for entry lists and maps.

Decoders may raise ``struct.error``/``IndexError``/``UnicodeDecodeError`` on malformed input;
the generated message decoders turn those into :class:`ProtocolError` (see :func:`malformed`).
Layout: this module is the facade the generated codecs import (``_b.<name>``); the codecs live
in ``builtin_fixed`` (fixed-size types, UUID helpers), ``builtin_errors`` (decoding failures),
``builtin_frames`` (single-frame types and packed arrays), ``builtin_lists`` (nullable values,
lists of variable-size items) and ``builtin_entries`` (entry lists and maps).  Every name is
re-exported here as the very same object, so ``_b.decode_string`` costs one attribute lookup as
before.
"""

from __future__ import annotations

from hzgreen.protocol.builtin_entries import (  # noqa: F401  (re-exported)
    Pairs,
    SupportsItems,
    decode_entry_list,
    decode_entry_list_data_data,
    decode_entry_list_fixed_key,
    decode_entry_list_integer_integer,
    decode_entry_list_integer_long,
    decode_entry_list_integer_uuid,
    decode_entry_list_long_byte_array,
    decode_entry_list_long_long,
    decode_entry_list_nullable,
    decode_entry_list_string_byte_array,
    decode_entry_list_string_string,
    decode_entry_list_uuid_list_integer,
    decode_entry_list_uuid_long,
    decode_entry_list_uuid_uuid,
    decode_map,
    decode_map_string_data,
    decode_map_string_string,
    encode_entry_list,
    encode_entry_list_data_data,
    encode_entry_list_fixed_key,
    encode_entry_list_integer_integer,
    encode_entry_list_integer_long,
    encode_entry_list_integer_uuid,
    encode_entry_list_long_byte_array,
    encode_entry_list_long_long,
    encode_entry_list_string_byte_array,
    encode_entry_list_string_string,
    encode_entry_list_uuid_list_integer,
    encode_entry_list_uuid_long,
    encode_entry_list_uuid_uuid,
    encode_map,
    encode_map_string_data,
    encode_map_string_string,
    entry_list_integer_integer_frame,
    entry_list_integer_integer_from,
    entry_list_integer_long_frame,
    entry_list_integer_long_from,
    entry_list_integer_uuid_frame,
    entry_list_integer_uuid_from,
    entry_list_long_long_frame,
    entry_list_long_long_from,
    entry_list_uuid_long_frame,
    entry_list_uuid_long_from,
    entry_list_uuid_uuid_frame,
    entry_list_uuid_uuid_from,
)
from hzgreen.protocol.builtin_errors import DECODE_ERRORS, malformed, unexpected_null  # noqa: F401
from hzgreen.protocol.builtin_fixed import (  # noqa: F401  (re-exported)
    BOOLEAN,
    BOOLEAN_SIZE,
    BYTE,
    BYTE_SIZE,
    DOUBLE,
    DOUBLE_SIZE,
    FLOAT,
    FLOAT_SIZE,
    INT,
    INT_SIZE,
    LONG,
    LONG_SIZE,
    SHORT,
    SHORT_SIZE,
    UUID,
    UUID_SIZE,
    decode_uuid_from,
    encode_uuid_into,
    required_uuid_from,
    uuid_from,
    uuid_parts,
)
from hzgreen.protocol.builtin_frames import (  # noqa: F401  (re-exported)
    byte_array_frame,
    byte_array_from,
    data_frame,
    data_from,
    decode_byte_array,
    decode_data,
    decode_float_array,
    decode_list_integer,
    decode_list_long,
    decode_list_uuid,
    decode_long_array,
    decode_set_uuid,
    decode_string,
    encode_byte_array,
    encode_data,
    encode_float_array,
    encode_list_integer,
    encode_list_long,
    encode_list_uuid,
    encode_long_array,
    encode_set_uuid,
    encode_string,
    float_array_frame,
    float_array_from,
    list_integer_frame,
    list_integer_from,
    list_long_frame,
    list_long_from,
    list_uuid_frame,
    list_uuid_from,
    long_array_frame,
    long_array_from,
    set_uuid_frame,
    set_uuid_from,
    string_frame,
    string_from,
)
from hzgreen.protocol.builtin_lists import (  # noqa: F401  (re-exported)
    Decoder,
    Encoder,
    decode_list,
    decode_list_byte_array,
    decode_list_cn,
    decode_list_cn_data,
    decode_list_data,
    decode_list_string,
    decode_nullable,
    encode_list,
    encode_list_byte_array,
    encode_list_cn,
    encode_list_cn_data,
    encode_list_data,
    encode_list_string,
    encode_nullable,
)
from hzgreen.protocol.frame import FrameIterator

__all__ = [
    "BOOLEAN", "BOOLEAN_SIZE", "BYTE", "byte_array_frame", "byte_array_from", "BYTE_SIZE", "count_present",
    "data_frame", "data_from", "decode_byte_array", "decode_data", "decode_entry_list",
    "decode_entry_list_data_data", "decode_entry_list_fixed_key", "decode_entry_list_integer_integer",
    "decode_entry_list_integer_long", "decode_entry_list_integer_uuid", "decode_entry_list_long_byte_array",
    "decode_entry_list_long_long", "decode_entry_list_nullable", "decode_entry_list_string_byte_array",
    "decode_entry_list_string_string", "decode_entry_list_uuid_list_integer", "decode_entry_list_uuid_long",
    "decode_entry_list_uuid_uuid", "DECODE_ERRORS", "decode_float_array", "decode_list",
    "decode_list_byte_array", "decode_list_cn", "decode_list_cn_data", "decode_list_data",
    "decode_list_integer", "decode_list_long", "decode_list_string", "decode_list_uuid", "decode_long_array",
    "decode_map", "decode_map_string_data", "decode_map_string_string", "decode_nullable", "decode_set_uuid",
    "decode_string", "decode_uuid_from", "Decoder", "DOUBLE", "DOUBLE_SIZE", "encode_byte_array",
    "encode_data", "encode_entry_list", "encode_entry_list_data_data", "encode_entry_list_fixed_key",
    "encode_entry_list_integer_integer", "encode_entry_list_integer_long", "encode_entry_list_integer_uuid",
    "encode_entry_list_long_byte_array", "encode_entry_list_long_long", "encode_entry_list_string_byte_array",
    "encode_entry_list_string_string", "encode_entry_list_uuid_list_integer", "encode_entry_list_uuid_long",
    "encode_entry_list_uuid_uuid", "encode_float_array", "encode_list", "encode_list_byte_array",
    "encode_list_cn", "encode_list_cn_data", "encode_list_data", "encode_list_integer", "encode_list_long",
    "encode_list_string", "encode_list_uuid", "encode_long_array", "encode_map", "encode_map_string_data",
    "encode_map_string_string", "encode_nullable", "encode_set_uuid", "encode_string", "encode_uuid_into",
    "Encoder", "entry_list_integer_integer_frame", "entry_list_integer_integer_from",
    "entry_list_integer_long_frame", "entry_list_integer_long_from", "entry_list_integer_uuid_frame",
    "entry_list_integer_uuid_from", "entry_list_long_long_frame", "entry_list_long_long_from",
    "entry_list_uuid_long_frame", "entry_list_uuid_long_from", "entry_list_uuid_uuid_frame",
    "entry_list_uuid_uuid_from", "FLOAT", "float_array_frame", "float_array_from", "FLOAT_SIZE", "INT",
    "INT_SIZE", "list_integer_frame", "list_integer_from", "list_long_frame", "list_long_from",
    "list_uuid_frame", "list_uuid_from", "LONG", "long_array_frame", "long_array_from", "LONG_SIZE",
    "malformed", "Pairs", "required_uuid_from", "set_uuid_frame", "set_uuid_from", "SHORT", "SHORT_SIZE",
    "skip_to_end", "string_frame", "string_from", "SupportsItems", "unexpected_null", "UUID", "uuid_from",
    "uuid_parts", "UUID_SIZE",
]

# -- whole-message helpers used by the generated codecs ------------------------------------

def count_present(*values: object) -> int:
    """1 + the position of the last value that is not None (0 if all are None).

    Optional (newer) parameters are written up to the last one given; see tools/gen_codecs.py.
    """
    n = len(values)
    while n and values[n - 1] is None:
        n -= 1
    return n


def skip_to_end(it: FrameIterator) -> None:
    """Consume frames up to and including the END frame of the current structure; raises ProtocolError."""
    it.skip_to_end_frame()
