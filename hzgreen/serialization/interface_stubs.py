"""What the serializer-facing interfaces (:mod:`~hzgreen.serialization.portable_api`,
:mod:`~hzgreen.serialization.compact_reader`, :mod:`~hzgreen.serialization.compact_writer`)
share: every method of an interface raises the error :func:`unimplemented` makes."""

from __future__ import annotations

__all__ = ["unimplemented"]


def unimplemented(obj: object) -> NotImplementedError:
    """Returns the error an interface method raises when ``obj``'s class does not implement it."""
    return NotImplementedError("%s does not implement this method" % type(obj).__name__)
