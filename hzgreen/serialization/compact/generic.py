"""GenericRecord: Compact data without a Python class.

Reading Compact data whose type name has no registered ``CompactSerializer`` gives a
:class:`GenericRecord`: its fields by name, typed by the schema the writer used (the
Hazelcast counterpart of pyignite's binary objects). A GenericRecord can be written
back unchanged, and new ones can be built from field kinds and values::

    record = m.get("emp-1")                 # written by Java as Compact "Employee"
    record.type_name, record["name"], record.get_field_kind("age")
    new = GenericRecord("Employee", {"name": (FieldKind.STRING, "Ada"),
                                     "age": (FieldKind.INT32, 36)})
    m.put("emp-2", new)                     # Java reads an Employee
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Tuple, Union

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization.compact.schema import UNSUPPORTED_KINDS, FieldDescriptor, FieldKind, Schema

if TYPE_CHECKING:
    from hzgreen.serialization.compact.reader import DefaultCompactReader
    from hzgreen.serialization.compact.writer import DefaultCompactWriter

__all__ = ["GenericRecord"]

_MISSING = object()


class GenericRecord:
    """Compact fields by name (see the module docstring)."""

    __slots__ = ("_schema", "_values")

    def __init__(self, type_name: str, fields: Mapping[str, Tuple[Union[FieldKind, int], Any]]) -> None:
        descriptors = []
        values: Dict[str, Any] = {}
        for name, spec in fields.items():
            try:
                kind, value = spec
            except (TypeError, ValueError):
                raise TypeError(
                    "GenericRecord fields map a name to (FieldKind, value), got %r for %r" % (spec, name)
                ) from None
            descriptor = FieldDescriptor(name, kind)
            if descriptor.kind in UNSUPPORTED_KINDS:
                raise HzSerializationError(
                    "field %r: kind %s is not supported by Compact in Python" % (name, descriptor.kind.name)
                )
            descriptors.append(descriptor)
            values[name] = value
        self._schema = Schema(type_name, descriptors)
        self._values = values

    @classmethod
    def from_schema(cls, schema: Schema, values: Dict[str, Any]) -> "GenericRecord":
        """Returns a record of ``schema`` holding ``values`` (field name to value), as read from data.
        Raises nothing; the values are not checked."""
        record = cls.__new__(cls)
        record._schema = schema
        record._values = values
        return record

    # -- schema --------------------------------------------------------------------------

    @property
    def type_name(self) -> str:
        """Returns the type name of the record's schema. Raises nothing."""
        return self._schema.type_name

    @property
    def schema(self) -> Schema:
        """Returns the record's :class:`Schema`. Raises nothing."""
        return self._schema

    @property
    def schema_id(self) -> int:
        """Returns the id of the record's schema (its fingerprint). Raises nothing."""
        return self._schema.schema_id

    def field_names(self) -> List[str]:
        """Returns the names of the schema's fields, in schema order. Raises nothing."""
        return [f.name for f in self._schema.fields]

    def get_field_kind(self, name: str) -> FieldKind:
        """Returns the :class:`FieldKind` of field ``name``, ``FieldKind.NOT_AVAILABLE`` when the schema
        has none. Raises nothing."""
        field = self._schema.fields_by_name.get(name)
        return FieldKind.NOT_AVAILABLE if field is None else field.kind

    def has_field(self, name: str) -> bool:
        """Returns whether the record has a value for field ``name``. Raises nothing."""
        return name in self._values

    # -- values --------------------------------------------------------------------------

    def __getitem__(self, name: str) -> Any:
        value = self._values.get(name, _MISSING)
        if value is _MISSING:
            raise KeyError(
                "GenericRecord %r has no field %r (fields: %s)" % (self.type_name, name, ", ".join(self.field_names()))
            )
        return value

    def get(self, name: str, default: Any = None) -> Any:
        """Returns the value of field ``name``, or ``default`` when the record has none. Raises nothing."""
        return self._values.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self.field_names())

    def __len__(self) -> int:
        return len(self._values)

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict; nested records (and lists of them) become dicts too."""

        def plain(value: Any) -> Any:
            if isinstance(value, GenericRecord):
                return value.to_dict()
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {name: plain(self._values[name]) for name in self.field_names()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GenericRecord):
            return NotImplemented
        return self._schema == other._schema and self._values == other._values

    def __hash__(self) -> int:
        return hash(self._schema.schema_id)

    def __repr__(self) -> str:
        return "GenericRecord(%r, {%s})" % (
            self.type_name,
            ", ".join("%r: %r" % (n, self._values.get(n)) for n in self.field_names()),
        )


def read_generic(reader: DefaultCompactReader) -> GenericRecord:
    """Returns a GenericRecord of every field of the data ``reader`` reads."""
    schema = reader.schema
    values = {field.name: reader.read_field(field.name, field.kind) for field in schema.fields}
    return GenericRecord.from_schema(schema, values)


def write_generic(writer: DefaultCompactWriter, record: GenericRecord) -> None:
    """Write every field of ``record`` (its schema is the writer's); returns None."""
    values = record._values
    for field in record.schema.fields:
        writer.write_field(field.name, field.kind, values.get(field.name))
