"""``hazelcast.serialization.api`` for hzgreen: the official serialization interfaces.

Most are hzgreen's own classes (:mod:`hzgreen.serialization.api`), which already have the
official names and shapes; hzgreen recognises serializable objects by their methods, so
classes written for the official client work unchanged.

Two additions keep official code running:

* :class:`IdentifiedDataSerializable` is a subclass of hzgreen's, so that a user predicate
  may list it before or after :class:`hzgreen.compat.predicate.Predicate` (which is itself
  IdentifiedDataSerializable in hzgreen);
* importing this module gives hzgreen's :class:`ObjectDataOutput` / :class:`ObjectDataInput`
  the official stream names they lack (``write_utf``/``read_utf``, their array forms,
  ``write_bytes``, ``write_chars``, ``get_byte_order``), as aliases of the existing
  methods; nothing else about the streams changes.
"""

from __future__ import annotations

from typing import Any, Dict, Sequence, TypeVar

from hzgreen.serialization import api as _native
from hzgreen.serialization.api import (
    CompactReader,
    CompactSerializer,
    CompactWriter,
    ObjectDataInput,
    ObjectDataOutput,
    Portable,
    PortableReader,
    PortableWriter,
    StreamSerializer,
)
from hzgreen.serialization.compact import FieldKind

__all__ = [
    "ObjectDataOutput", "ObjectDataInput", "IdentifiedDataSerializable", "Portable", "StreamSerializer",
    "PortableReader", "PortableWriter", "CompactReader", "CompactWriter", "CompactSerializableType",
    "CompactSerializer", "FieldKind",
]  # fmt: skip

CompactSerializableType = TypeVar("CompactSerializableType")


class IdentifiedDataSerializable(_native.IdentifiedDataSerializable):
    """An object serialized as (factory id, class id, its own fields); see hzgreen's base."""


def _write_bytes(self: ObjectDataOutput, val: str) -> None:
    """Writes each character of ``val`` as one byte (its low 8 bits), as the official client does."""
    for ch in val:
        self.write_byte(ord(ch) & 0xFF)


def _write_chars(self: ObjectDataOutput, val: str) -> None:
    """Writes each character of ``val`` as a 2-byte char, without a length."""
    for ch in val:
        self.write_char(ch)


def _write_utf_array(self: ObjectDataOutput, val: Sequence[str]) -> None:
    """Writes ``val`` like ``write_string_array``."""
    self.write_string_array(val)


def _byte_order(self: Any) -> str:
    """Returns the stream's byte order: "BIG_ENDIAN" or "LITTLE_ENDIAN"."""
    return "BIG_ENDIAN" if self.is_big_endian() else "LITTLE_ENDIAN"


def _install_stream_aliases() -> None:
    """Adds the official names hzgreen's streams lack (never replacing an existing method)."""
    additions: Dict[type, Dict[str, Any]] = {
        ObjectDataOutput: {
            "write_utf": ObjectDataOutput.write_string,
            "write_utf_array": _write_utf_array,
            "write_bytes": _write_bytes,
            "write_chars": _write_chars,
            "get_byte_order": _byte_order,
        },
        ObjectDataInput: {
            "read_utf": ObjectDataInput.read_string,
            "read_utf_array": ObjectDataInput.read_string_array,
            "get_byte_order": _byte_order,
        },
    }
    for cls, methods in additions.items():
        for name, method in methods.items():
            if not hasattr(cls, name):
                setattr(cls, name, method)


_install_stream_aliases()
