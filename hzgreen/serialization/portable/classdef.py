"""Portable class definitions: the named, typed fields of one (factory, class, version).

A class definition is built from the first object written (its ``write_portable``
calls), from the ``class_definitions`` option, or from the field table that every
Portable blob carries; each field has an index (its write order), a name, a type and,
for nested Portables, the nested factory/class ids.
"""

from __future__ import annotations

import enum
from typing import Dict, List, Optional, Set, Union

from hzgreen.exceptions import HzSerializationError

__all__ = ["ClassDefinition", "ClassDefinitionBuilder", "FieldDefinition", "FieldType"]


class FieldType(enum.IntEnum):
    """Portable field types (Java ``FieldType`` ids)."""

    PORTABLE = 0
    BYTE = 1
    BOOLEAN = 2
    CHAR = 3
    SHORT = 4
    INT = 5
    LONG = 6
    FLOAT = 7
    DOUBLE = 8
    STRING = 9
    UTF = 9
    PORTABLE_ARRAY = 10
    BYTE_ARRAY = 11
    BOOLEAN_ARRAY = 12
    CHAR_ARRAY = 13
    SHORT_ARRAY = 14
    INT_ARRAY = 15
    LONG_ARRAY = 16
    FLOAT_ARRAY = 17
    DOUBLE_ARRAY = 18
    STRING_ARRAY = 19
    UTF_ARRAY = 19
    DECIMAL = 20
    DECIMAL_ARRAY = 21
    TIME = 22
    TIME_ARRAY = 23
    DATE = 24
    DATE_ARRAY = 25
    TIMESTAMP = 26
    TIMESTAMP_ARRAY = 27
    TIMESTAMP_WITH_TIMEZONE = 28
    TIMESTAMP_WITH_TIMEZONE_ARRAY = 29


class FieldDefinition:
    """One field: index (write order), name, type, and nested ids for Portable fields."""

    __slots__ = ("index", "name", "field_type", "version", "factory_id", "class_id")

    def __init__(
        self,
        index: int,
        name: str,
        field_type: Union[FieldType, int],
        version: int = 0,
        factory_id: int = 0,
        class_id: int = 0,
    ) -> None:
        self.index = index
        self.name = name
        try:
            self.field_type = FieldType(field_type)
        except ValueError:
            raise HzSerializationError("unknown Portable field type %r for field %r" % (field_type, name)) from None
        self.version = version
        self.factory_id = factory_id
        self.class_id = class_id

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FieldDefinition):
            return NotImplemented
        return (self.index, self.name, self.field_type, self.factory_id, self.class_id) == (
            other.index,
            other.name,
            other.field_type,
            other.factory_id,
            other.class_id,
        )

    def __hash__(self) -> int:
        return hash((self.index, self.name, self.field_type))

    def __repr__(self) -> str:
        nested = (
            ", factory_id=%d, class_id=%d" % (self.factory_id, self.class_id)
            if self.field_type in (FieldType.PORTABLE, FieldType.PORTABLE_ARRAY)
            else ""
        )
        return "FieldDefinition(%d, %r, %s%s)" % (self.index, self.name, self.field_type.name, nested)


class ClassDefinition:
    """The fields of one Portable class version."""

    def __init__(self, factory_id: int, class_id: int, version: int = -1) -> None:
        self.factory_id = factory_id
        self.class_id = class_id
        self.version = version
        self._by_name: Dict[str, FieldDefinition] = {}
        self._by_index: List[FieldDefinition] = []

    def add_field_def(self, field: FieldDefinition) -> None:
        """Adds ``field`` (a FieldDefinition) to this definition; returns None. Raises HzSerializationError
        when a field of that name exists."""
        if field.name in self._by_name:
            raise HzSerializationError("field %r is defined twice in %r" % (field.name, self))
        self._by_name[field.name] = field
        self._by_index.append(field)
        self._by_index.sort(key=lambda f: f.index)

    def get_field(self, name_or_index: Union[str, int]) -> Optional[FieldDefinition]:
        """Returns the FieldDefinition of a name (None when unknown) or of an index. Raises IndexError for
        an index out of range."""
        if isinstance(name_or_index, int):
            if 0 <= name_or_index < len(self._by_index):
                return self._by_index[name_or_index]
            raise IndexError("field index %d out of range for %r" % (name_or_index, self))
        return self._by_name.get(name_or_index)

    def has_field(self, name: str) -> bool:
        """Returns whether the definition has a field ``name``. Raises nothing."""
        return name in self._by_name

    def get_field_names(self) -> List[str]:
        """Returns the field names in index order. Raises nothing."""
        return [f.name for f in self._by_index]

    def get_field_type(self, name: str) -> FieldType:
        """Returns the :class:`FieldType` of field ``name``. Raises HzSerializationError for an unknown
        field."""
        field = self._by_name.get(name)
        if field is None:
            raise HzSerializationError("unknown field %r in %r" % (name, self))
        return field.field_type

    def get_field_class_id(self, name: str) -> int:
        """Returns the class id of the Portable held by field ``name`` (0 for other types). Raises
        HzSerializationError for an unknown field."""
        field = self._by_name.get(name)
        if field is None:
            raise HzSerializationError("unknown field %r in %r" % (name, self))
        return field.class_id

    def get_field_count(self) -> int:
        """Returns the number of fields. Raises nothing."""
        return len(self._by_index)

    @property
    def fields(self) -> List[FieldDefinition]:
        """Returns a copy of the FieldDefinitions in index order. Raises nothing."""
        return list(self._by_index)

    def set_version_if_not_set(self, version: int) -> None:
        """Sets the version to ``version`` unless one is set (>= 0); returns None. Raises nothing."""
        if self.version < 0:
            self.version = version

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ClassDefinition):
            return NotImplemented
        return (self.factory_id, self.class_id, self.version, self._by_index) == (
            other.factory_id,
            other.class_id,
            other.version,
            other._by_index,
        )

    def __hash__(self) -> int:
        return hash((self.factory_id, self.class_id, self.version))

    def __repr__(self) -> str:
        return "ClassDefinition(factory_id=%d, class_id=%d, version=%d, fields=%s)" % (
            self.factory_id,
            self.class_id,
            self.version,
            [f.name for f in self._by_index],
        )


class ClassDefinitionBuilder:
    """Builds a :class:`ClassDefinition` field by field (the write order is the index order).

    >>> ClassDefinitionBuilder(1, 2).add_string_field("name").add_int_field("age").build()
    ClassDefinition(factory_id=1, class_id=2, version=0, fields=['name', 'age'])
    """

    def __init__(self, factory_id: int, class_id: int, version: int = 0) -> None:
        self.factory_id = factory_id
        self.class_id = class_id
        self.version = version
        self._fields: List[FieldDefinition] = []
        self._names: Set[str] = set()
        self._done = False

    def _add(
        self, name: str, field_type: FieldType, factory_id: int = 0, class_id: int = 0, version: int = 0
    ) -> "ClassDefinitionBuilder":
        if self._done:
            raise HzSerializationError(
                "the ClassDefinition of %d/%d is already built" % (self.factory_id, self.class_id)
            )
        if not isinstance(name, str) or not name:
            raise HzSerializationError("a Portable field name must be a non-empty str, got %r" % (name,))
        if not name.isascii():
            raise HzSerializationError(
                "Portable field names must be ASCII (Java writes one byte per character), got %r" % (name,)
            )
        if name in self._names:
            raise HzSerializationError(
                "field %r is already defined in class %d/%d" % (name, self.factory_id, self.class_id)
            )
        self._names.add(name)
        self._fields.append(FieldDefinition(len(self._fields), name, field_type, version, factory_id, class_id))
        return self

    def add_field_def(self, field: FieldDefinition) -> "ClassDefinitionBuilder":
        """Adds ``field`` (a FieldDefinition) at its index; returns this builder. Raises
        HzSerializationError when its index is not the next one."""
        if field.index != len(self._fields):
            raise HzSerializationError(
                "field %r has index %d, expected %d" % (field.name, field.index, len(self._fields))
            )
        self._names.add(field.name)
        self._fields.append(field)
        return self

    def add_portable_field(self, name: str, class_def: ClassDefinition) -> "ClassDefinitionBuilder":
        """Adds a portable field (of the Portable class ``class_def``) named ``name`` at the next index;
        returns this builder. Raises HzSerializationError when the definition is already built, or the
        name is empty or already used."""
        return self._add(name, FieldType.PORTABLE, class_def.factory_id, class_def.class_id, class_def.version)

    def add_portable_array_field(self, name: str, class_def: ClassDefinition) -> "ClassDefinitionBuilder":
        """Adds an array-of-portable field (of the Portable class ``class_def``) named ``name`` at the next
        index; returns this builder. Raises HzSerializationError when the definition is already built,
        or the name is empty or already used."""
        return self._add(name, FieldType.PORTABLE_ARRAY, class_def.factory_id, class_def.class_id, class_def.version)

    def build(self) -> ClassDefinition:
        """Returns the ClassDefinition of the fields added; the builder takes no more fields."""
        self._done = True
        class_def = ClassDefinition(self.factory_id, self.class_id, self.version)
        for field in self._fields:
            class_def.add_field_def(field)
        return class_def

    # -- one method per field type: add a field of that type, return the builder --------

    def add_byte_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a byte field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.BYTE)

    def add_boolean_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a boolean field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.BOOLEAN)

    def add_char_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a char field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.CHAR)

    def add_short_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a short field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.SHORT)

    def add_int_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a int field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.INT)

    def add_long_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a long field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.LONG)

    def add_float_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a float field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.FLOAT)

    def add_double_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a double field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.DOUBLE)

    def add_string_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a string field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.STRING)

    add_utf_field = add_string_field

    def add_byte_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-byte field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.BYTE_ARRAY)

    def add_boolean_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-boolean field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.BOOLEAN_ARRAY)

    def add_char_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-char field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.CHAR_ARRAY)

    def add_short_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-short field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.SHORT_ARRAY)

    def add_int_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-int field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.INT_ARRAY)

    def add_long_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-long field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.LONG_ARRAY)

    def add_float_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-float field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.FLOAT_ARRAY)

    def add_double_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-double field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.DOUBLE_ARRAY)

    def add_string_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-string field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.STRING_ARRAY)

    add_utf_array_field = add_string_array_field

    def add_decimal_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a decimal field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.DECIMAL)

    def add_decimal_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-decimal field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.DECIMAL_ARRAY)

    def add_time_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a time field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.TIME)

    def add_time_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-time field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.TIME_ARRAY)

    def add_date_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a date field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.DATE)

    def add_date_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-date field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.DATE_ARRAY)

    def add_timestamp_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a timestamp field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.TIMESTAMP)

    def add_timestamp_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-timestamp field named ``name`` at the next index; returns this builder. Raises
        HzSerializationError when the definition is already built, or the name is empty or already used."""
        return self._add(name, FieldType.TIMESTAMP_ARRAY)

    def add_timestamp_with_timezone_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds a timestamp with timezone field named ``name`` at the next index; returns this builder.
        Raises HzSerializationError when the definition is already built, or the name is empty or
        already used."""
        return self._add(name, FieldType.TIMESTAMP_WITH_TIMEZONE)

    def add_timestamp_with_timezone_array_field(self, name: str) -> "ClassDefinitionBuilder":
        """Adds an array-of-timestamp with timezone field named ``name`` at the next index; returns this
        builder. Raises HzSerializationError when the definition is already built, or the name is empty
        or already used."""
        return self._add(name, FieldType.TIMESTAMP_WITH_TIMEZONE_ARRAY)
