"""The Portable serializer (type id -1) and its class-definition registry.

Payload: int32 factory id, int32 class id, int32 class version, then the field table
(see :mod:`hzgreen.serialization.portable.writer`). The data carries field names and
types, so a reader without a registered class definition learns it from the blob.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional, Tuple

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import constants as c
from hzgreen.serialization.api import PortableLike
from hzgreen.serialization.identified import Factory, create_instance
from hzgreen.serialization.input import ObjectDataInput
from hzgreen.serialization.output import ObjectDataOutput
from hzgreen.serialization.portable.classdef import ClassDefinition, ClassDefinitionBuilder, FieldDefinition, FieldType
from hzgreen.serialization.portable.reader import DefaultPortableReader, MorphingPortableReader
from hzgreen.serialization.portable.writer import ClassDefinitionWriter, DefaultPortableWriter, portable_version_of
from hzgreen.serialization.serializers import BuiltinSerializer


class PortableContext:
    """Class definitions by (factory id, class id, version)."""

    def __init__(self, portable_version: int = 0) -> None:
        self.portable_version = portable_version
        self._defs: Dict[Tuple[int, int, int], ClassDefinition] = {}

    def lookup(self, factory_id: int, class_id: int, version: int) -> Optional[ClassDefinition]:
        return self._defs.get((factory_id, class_id, version))

    def register(self, class_def: ClassDefinition) -> ClassDefinition:
        class_def.set_version_if_not_set(self.portable_version)
        key = (class_def.factory_id, class_def.class_id, class_def.version)
        existing = self._defs.setdefault(key, class_def)
        if existing is not class_def and existing != class_def:
            raise HzSerializationError(
                "incompatible class definitions for Portable %d/%d version %d: %r and %r; give the "
                "changed class a new version (VersionedPortable or portable_version)"
                % (key[0], key[1], key[2], existing, class_def)
            )
        return existing

    def version_of(self, portable: object) -> int:
        """Returns the class version ``portable`` is written with (see :func:`portable_version_of`)."""
        return portable_version_of(portable, self.portable_version)

    def lookup_or_register(self, portable: PortableLike) -> ClassDefinition:
        """Returns the class definition of ``portable``, recorded from its ``write_portable`` the first time."""
        factory_id = portable.get_factory_id()
        class_id = portable.get_class_id()
        version = self.version_of(portable)
        class_def = self.lookup(factory_id, class_id, version)
        if class_def is None:
            writer = ClassDefinitionWriter(self, factory_id, class_id, version)
            portable.write_portable(writer)
            class_def = writer.register_and_get()
        return class_def

    def read_class_definition(
        self, inp: ObjectDataInput, factory_id: int, class_id: int, version: int
    ) -> ClassDefinition:
        """Learn a class definition from a blob's field table (``inp`` at its start)."""
        builder = ClassDefinitionBuilder(factory_id, class_id, version)
        complete = True
        inp.read_int()  # end position
        count = inp.read_int()
        if count < 0 or count * 4 > inp.available():
            raise HzSerializationError("Portable %d/%d: invalid field count %d" % (factory_id, class_id, count))
        table = inp.position()
        for index in range(count):
            inp.set_position(table + 4 * index)
            inp.set_position(inp.read_int())
            name = inp.read_raw(inp.read_short()).decode("ascii", "replace")
            field_type = inp.read_byte()
            nested_factory = nested_class = 0
            nested_version = version
            if field_type == FieldType.PORTABLE:
                is_null = inp.read_boolean()
                nested_factory, nested_class = inp.read_int(), inp.read_int()
                if is_null:
                    complete = False
                else:
                    nested_version = inp.read_int()
                    self.read_class_definition(inp, nested_factory, nested_class, nested_version)
            elif field_type == FieldType.PORTABLE_ARRAY:
                length = inp.read_int()
                nested_factory, nested_class = inp.read_int(), inp.read_int()
                if length > 0:
                    inp.set_position(inp.read_int())
                    nested_version = inp.read_int()
                    self.read_class_definition(inp, nested_factory, nested_class, nested_version)
                else:
                    complete = False
            builder.add_field_def(
                FieldDefinition(index, name, field_type, nested_version, nested_factory, nested_class)
            )
        class_def = builder.build()
        return self.register(class_def) if complete else class_def

    def register_all(self, class_definitions: Iterable[ClassDefinition], check_errors: bool) -> None:
        """The ``class_definitions`` option: register each, checking nested references."""
        known: Dict[Tuple[int, int], ClassDefinition] = {}
        for class_def in class_definitions:
            if not isinstance(class_def, ClassDefinition):
                raise TypeError("class_definitions must hold ClassDefinition objects, got %r" % (class_def,))
            key = (class_def.factory_id, class_def.class_id)
            if key in known:
                raise ValueError("class_definitions has two definitions for factory id %d, class id %d" % key)
            known[key] = class_def
        for class_def in known.values():
            for field in class_def.fields:
                if (
                    field.field_type in (FieldType.PORTABLE, FieldType.PORTABLE_ARRAY)
                    and (field.factory_id, field.class_id) not in known
                    and check_errors
                ):
                    raise ValueError(
                        "class_definitions: field %r of %d/%d refers to Portable %d/%d, which has no "
                        "class definition (set check_class_definition_errors=False to allow it)"
                        % (field.name, class_def.factory_id, class_def.class_id, field.factory_id, field.class_id)
                    )
            self.register(class_def)


class PortableSerializer(BuiltinSerializer):
    type_id = c.CONSTANT_TYPE_PORTABLE

    def __init__(self, context: PortableContext, factories: Dict[int, Factory]) -> None:
        self.context = context
        self._factories = factories

    def write(self, out: ObjectDataOutput, obj: PortableLike) -> None:
        class_id = obj.get_class_id()
        if class_id == 0:
            raise HzSerializationError("%s: a Portable class id cannot be 0" % type(obj).__name__)
        out.write_int(obj.get_factory_id())
        out.write_int(class_id)
        self.write_internal(out, obj)

    def write_internal(self, out: ObjectDataOutput, obj: PortableLike) -> None:
        """Write the class version and fields of ``obj`` (the caller writes its ids); returns None."""
        class_def = self.context.lookup_or_register(obj)
        out.write_int(class_def.version)
        writer = DefaultPortableWriter(self, out, class_def)
        obj.write_portable(writer)
        writer.end()

    def read(self, inp: ObjectDataInput) -> Any:
        factory_id = inp.read_int()
        class_id = inp.read_int()
        return self.read_internal(inp, factory_id, class_id)

    def read_internal(self, inp: ObjectDataInput, factory_id: int, class_id: int) -> Any:
        """Returns a new Portable (factory_id, class_id) with its class version and fields read (the caller read the ids)."""
        version = inp.read_int()
        portable = create_instance(self._factories, factory_id, class_id, "portable_factories", "Portable")
        class_def = self.context.lookup(factory_id, class_id, version)
        if class_def is None:
            start = inp.position()
            class_def = self.context.read_class_definition(inp, factory_id, class_id, version)
            inp.set_position(start)
        if self.context.version_of(portable) == version:
            reader: DefaultPortableReader = DefaultPortableReader(self, inp, class_def)
        else:
            reader = MorphingPortableReader(self, inp, class_def)
        try:
            portable.read_portable(reader)
        except HzSerializationError as e:
            raise HzSerializationError("%s.read_portable: %s" % (type(portable).__name__, e)) from None
        reader.end()
        return portable
