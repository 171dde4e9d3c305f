"""The static types of serialized data: a Data blob and the buffers streams read.

``Data`` is what :meth:`SerializationService.to_data` returns and the protocol layer
carries (int32 BE partition hash, int32 BE type id, payload): plain ``bytes``, named so
signatures say which bytes are a Data blob. ``BytesLike`` is any buffer an
:class:`~hzgreen.serialization.input.ObjectDataInput` or the partition hash reads
without copying; ``UnpackFrom`` types the pre-built ``struct`` readers.
"""

from __future__ import annotations

from typing import Callable, Tuple, TypeVar, Union

__all__ = ["BytesLike", "Data", "UnpackFrom"]

T = TypeVar("T")

#: A serialized Data blob.
Data = bytes

#: A buffer read in place.
BytesLike = Union[bytes, bytearray, memoryview]

#: ``struct.Struct(fmt).unpack_from`` of a one-value format, typed by its value
#: (``_unpack_int: UnpackFrom[int] = Struct(">i").unpack_from``).
UnpackFrom = Callable[[BytesLike, int], Tuple[T]]
