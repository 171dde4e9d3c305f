"""The serializer interface shared by built-in, custom and global serializers.

A serializer turns one kind of Python object into the payload of a Data blob and
back. It owns a type id: negative ids are Hazelcast's built-ins
(:mod:`hzgreen.serialization.constants`), positive ids are for user serializers.
"""

from __future__ import annotations

from typing import Any


class StreamSerializer:
    """Base class of serializers (same shape as the official client's ``StreamSerializer``).

    Subclasses implement :meth:`write`, :meth:`read` and :meth:`get_type_id`.
    ``out`` is an :class:`~hzgreen.serialization.output.ObjectDataOutput`, ``inp`` an
    :class:`~hzgreen.serialization.input.ObjectDataInput`; both are big-endian and
    offer ``write_object``/``read_object`` for nested values.
    """

    def write(self, out, obj: Any) -> None:
        raise NotImplementedError("%s.write" % type(self).__name__)

    def read(self, inp) -> Any:
        raise NotImplementedError("%s.read" % type(self).__name__)

    def get_type_id(self) -> int:
        raise NotImplementedError("%s.get_type_id" % type(self).__name__)

    def destroy(self) -> None:
        """Release resources when the service shuts down (nothing by default)."""
