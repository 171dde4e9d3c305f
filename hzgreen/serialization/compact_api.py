"""The interfaces a :class:`~hzgreen.serialization.api.CompactSerializer` reads and writes fields through.

Re-exported by :mod:`hzgreen.serialization.api`; import them from here (or from
:mod:`hzgreen.serialization`). :class:`CompactReader` is defined in
:mod:`hzgreen.serialization.compact_reader` and :class:`CompactWriter` in
:mod:`hzgreen.serialization.compact_writer`, which document every method. Every method
raises ``NotImplementedError`` there; hzgreen's reader and writers
(:mod:`hzgreen.serialization.compact.reader` / ``writer``) implement them all.

There is one ``read_<kind>``, one ``read_<kind>_or_default`` and one ``write_<kind>``
per field kind a Python client supports (:class:`~hzgreen.serialization.FieldKind`
without CHAR and PORTABLE). The plain and ``nullable`` variants of a kind read each
other (a ``None`` read through a plain method raises
:class:`~hzgreen.exceptions.HzSerializationError`). ``get_field_kind(name)`` is
``FieldKind.NOT_AVAILABLE`` for a field the data does not have, and
``read_<kind>_or_default(name, default)`` returns ``default`` for a field the data does
not have (or has with another kind): that is how a serializer handles schema evolution.
Arrays are written from any iterable and read as lists.
"""

from __future__ import annotations

from hzgreen.serialization.compact_reader import CompactReader
from hzgreen.serialization.compact_writer import CompactWriter

__all__ = ["CompactReader", "CompactWriter"]
