"""The stateless built-in serializers, made once per process and shared by every service.

A :class:`~hzgreen.serialization.service.SerializationService` starts its registries from
:data:`BUILTINS` instead of building some thirty serializer objects of its own: the
built-ins keep no state (their type id is a class attribute), so one instance of each
serves every client. Each service copies the two tables before adding its own entries
(pickle, IdentifiedDataSerializable, Portable, Compact, the Java collections, the user's
serializers), so nothing a client registers is seen by another.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Dict, Tuple

from hzgreen.serialization import extended as ext
from hzgreen.serialization import serializers as s
from hzgreen.serialization.api import SerializerLike
from hzgreen.serialization.json_value import HazelcastJsonValue

__all__ = ["BUILTINS", "BuiltinRegistry"]


class BuiltinRegistry:
    """One instance of every stateless built-in serializer, and the tables made of them.

    ``by_id`` maps each one's type id to it; ``by_type`` maps the Python types written by
    a built-in chosen from the type alone. Both are templates: a service copies them and
    never writes to them.
    """

    __slots__ = (
        "none",
        "byte",
        "short",
        "int",
        "long",
        "big_int",
        "bool",
        "double",
        "str",
        "bytes",
        "list",
        "uuid",
        "json",
        "decimal",
        "date",
        "time",
        "local_datetime",
        "offset_datetime",
        "by_id",
        "by_type",
    )

    def __init__(self) -> None:
        self.none, self.byte, self.short = s.NoneSerializer(), s.ByteSerializer(), s.ShortSerializer()
        self.int, self.long, self.big_int = s.IntegerSerializer(), s.LongSerializer(), s.BigIntegerSerializer()
        self.bool, self.double = s.BooleanSerializer(), s.DoubleSerializer()
        self.str, self.bytes = s.StringSerializer(), s.ByteArraySerializer()
        self.list, self.uuid, self.json = s.ArrayListSerializer(), s.UUIDSerializer(), s.JsonSerializer()
        self.decimal, self.date, self.time = (
            ext.BigDecimalSerializer(),
            ext.LocalDateSerializer(),
            ext.LocalTimeSerializer(),
        )
        self.local_datetime, self.offset_datetime = ext.LocalDateTimeSerializer(), ext.OffsetDateTimeSerializer()
        every: Tuple[SerializerLike, ...] = (
            self.none,
            self.byte,
            self.short,
            self.int,
            self.long,
            self.big_int,
            self.bool,
            self.double,
            self.str,
            self.bytes,
            self.list,
            self.uuid,
            self.json,
            s.CharSerializer(),
            s.FloatSerializer(),
            s.BooleanArraySerializer(),
            s.CharArraySerializer(),
            s.ShortArraySerializer(),
            s.IntegerArraySerializer(),
            s.LongArraySerializer(),
            s.FloatArraySerializer(),
            s.DoubleArraySerializer(),
            s.StringArraySerializer(),
            s.LinkedListSerializer(),
            self.decimal,
            self.date,
            self.time,
            self.local_datetime,
            self.offset_datetime,
            ext.JavaClassSerializer(),
            ext.ObjectArraySerializer(),
        )
        self.by_id: Dict[int, SerializerLike] = {serializer.get_type_id(): serializer for serializer in every}
        self.by_type: Dict[type, SerializerLike] = {
            type(None): self.none,
            bool: self.bool,
            float: self.double,
            str: self.str,
            bytes: self.bytes,
            bytearray: self.bytes,
            list: self.list,
            tuple: self.list,
            uuid.UUID: self.uuid,
            HazelcastJsonValue: self.json,
            decimal.Decimal: self.decimal,
            datetime.date: self.date,
            datetime.time: self.time,
        }


#: The process's built-in serializers (made at import; read-only afterwards).
BUILTINS = BuiltinRegistry()
