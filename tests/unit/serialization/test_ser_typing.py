"""What type checkers see of serialization: readers and writers are typed per field, mistakes are errors.

mypy is run (through its API) on two snippets written the way users write serializers:
one correct, which must be clean under ``--strict``, and one with a mistake per line, each
of which must be reported on its line. The reader/writer interfaces are declared method
by method for mypy while hzgreen's readers and writers install their methods in loops, so
the last tests check that the two agree, name for name and parameter for parameter.
"""

import inspect

import pytest

from hzgreen.serialization.api import CompactReader, CompactWriter, PortableReader, PortableWriter
from hzgreen.serialization.compact.reader import DefaultCompactReader
from hzgreen.serialization.compact.writer import SUPPORTED_KINDS, DefaultCompactWriter, SchemaWriter, method_suffix
from hzgreen.serialization.portable import ClassDefinitionBuilder, FieldType
from hzgreen.serialization.portable.reader import DefaultPortableReader
from hzgreen.serialization.portable.writer import ClassDefinitionWriter, DefaultPortableWriter
from tests.typecheck import mypy_errors

GOOD = """
    import datetime
    from typing import Any, List, Optional

    from hzgreen.serialization import (ClassDefinitionBuilder, CompactReader, CompactSerializer, CompactWriter,
                                       IdentifiedDataSerializable, ObjectDataInput, ObjectDataOutput, Portable,
                                       PortableReader, PortableWriter, SerializationService, StreamSerializer,
                                       partition_id)
    from hzgreen.serialization.api import Data, SerializerLike


    class Point:
        def __init__(self, x: int, label: Optional[str], tags: List[Optional[str]]) -> None:
            self.x, self.label, self.tags = x, label, tags


    class PointSerializer(CompactSerializer):
        def read(self, reader: CompactReader) -> Point:
            tags = reader.read_array_of_string("tags") or []
            return Point(reader.read_int32("x"), reader.read_string("label"), tags)

        def write(self, writer: CompactWriter, obj: Any) -> None:
            writer.write_int32("x", obj.x)
            writer.write_string("label", obj.label)
            writer.write_array_of_string("tags", obj.tags)
            writer.write_array_of_int8("raw", b"abc")
            writer.write_nullable_float64("ratio", None)

        def get_class(self) -> type:
            return Point

        def get_type_name(self) -> str:
            return "Point"


    class Evolving(CompactSerializer):
        def read(self, reader: CompactReader) -> int:
            return reader.read_int32_or_default("age", -1)


    class Person(Portable):
        def __init__(self) -> None:
            self.age = 0
            self.born: Optional[datetime.date] = None

        def write_portable(self, writer: PortableWriter) -> None:
            writer.write_int("age", self.age)
            writer.write_date("born", self.born)
            writer.write_char("initial", "A")
            writer.get_raw_data_output().write_long(7)

        def read_portable(self, reader: PortableReader) -> None:
            self.age = reader.read_int("age")
            self.born = reader.read_date("born")
            raw: int = reader.get_raw_data_input().read_long()

        def get_factory_id(self) -> int:
            return 1

        def get_class_id(self) -> int:
            return 2


    class Order(IdentifiedDataSerializable):
        def write_data(self, object_data_output: ObjectDataOutput) -> None:
            object_data_output.write_string("id")

        def read_data(self, object_data_input: ObjectDataInput) -> None:
            text: Optional[str] = object_data_input.read_string()


    class Celsius(StreamSerializer):
        def write(self, out: ObjectDataOutput, obj: Any) -> None:
            out.write_double(obj.degrees)

        def read(self, inp: ObjectDataInput) -> float:
            return inp.read_double()

        def get_type_id(self) -> int:
            return 10


    custom: SerializerLike = Celsius()
    definition = ClassDefinitionBuilder(1, 2).add_int_field("age").add_date_field("born").add_utf_field("n").build()
    service = SerializationService(custom_serializers={float: Celsius}, compact_serializers=[PointSerializer()],
                                   portable_factories={1: {2: Person}}, class_definitions=[definition])
    data: Optional[Data] = service.to_data("key")
    assert data is not None
    where: int = partition_id(data, 271)
    value: Any = service.to_object(data)
"""

BAD = """
    from typing import List

    from hzgreen.serialization import (ClassDefinitionBuilder, CompactReader, CompactWriter, ObjectDataInput,
                                       ObjectDataOutput, PortableReader, PortableWriter, SerializationService)


    def compact(reader: CompactReader, writer: CompactWriter) -> None:
        writer.write_int32("age", "31")
        name: int = reader.read_string("name")
        reader.read_int32_or_default("age", None)
        writer.write_array_of_int64("ids", 5)


    def portable(reader: PortableReader, writer: PortableWriter) -> None:
        writer.write_int("age", 1.5)
        ages: List[int] = reader.read_int_array("ages")
        writer.write_portable("child", "not a portable")


    ClassDefinitionBuilder(1, 2).add_strng_field("name")
    ObjectDataOutput().write_string(5)
    ObjectDataInput("text")
    SerializationService(portable_factories={1: "Person"})
"""

#: line of BAD (1-based, after dedent) -> text mypy must report there
EXPECTED = {
    9: 'Argument 2 to "write_int32" of "CompactWriter" has incompatible type "str"; expected "int"',
    10: 'Incompatible types in assignment (expression has type "str | None", variable has type "int")',
    11: 'Argument 2 to "read_int32_or_default" of "CompactReader" has incompatible type "None"',
    12: 'Argument 2 to "write_array_of_int64" of "CompactWriter" has incompatible type "int"',
    16: 'Argument 2 to "write_int" of "PortableWriter" has incompatible type "float"; expected "int"',
    17: 'Incompatible types in assignment (expression has type "list[int] | None", variable has type "list[int]")',
    18: 'Argument 2 to "write_portable" of "PortableWriter" has incompatible type "str"',
    21: '"ClassDefinitionBuilder" has no attribute "add_strng_field"',
    22: 'Argument 1 to "write_string" of "ObjectDataOutput" has incompatible type "int"',
    23: 'Argument 1 to "ObjectDataInput" has incompatible type "str"',
    24: 'Dict entry 0 has incompatible type "int": "str"',
}


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory):
    return mypy_errors(tmp_path_factory.mktemp("ser_typing"), {"good.py": GOOD, "bad.py": BAD})


def test_correct_serializers_are_clean(mypy_report):
    assert [line for line in mypy_report if "good.py" in line] == []


@pytest.mark.parametrize("line,text", sorted(EXPECTED.items()))
def test_each_mistake_is_reported(mypy_report, line, text):
    reported = [entry for entry in mypy_report if "bad.py:%d:" % line in entry]
    assert any(text in entry for entry in reported), mypy_report


def test_nothing_else_is_reported(mypy_report):
    lines = {int(entry.split("bad.py:")[1].split(":")[0]) for entry in mypy_report if "bad.py:" in entry}
    assert lines == set(EXPECTED)


#: The compact reader's and writers' generic entry points, which every field method calls.
_BY_KIND = {"read_field", "read_field_or_default", "write_field"}


def _declared(interface, prefix):
    return {name for name in vars(interface) if name.startswith(prefix)}


@pytest.mark.parametrize(
    "interface,implementations,prefixes",
    [
        (CompactReader, [DefaultCompactReader], ("read_", "get_")),
        (CompactWriter, [DefaultCompactWriter, SchemaWriter], ("write_",)),
        (PortableReader, [DefaultPortableReader], ("read_", "get_")),
        (PortableWriter, [DefaultPortableWriter, ClassDefinitionWriter], ("write_", "get_")),
    ],
)
def test_implementations_define_every_declared_method_with_its_parameters(interface, implementations, prefixes):
    declared = set().union(*(_declared(interface, prefix) for prefix in prefixes))
    assert declared
    for implementation in implementations:
        for name in sorted(declared):
            method = getattr(implementation, name)
            assert method is not getattr(interface, name), "%s does not implement %s" % (implementation, name)
            assert list(inspect.signature(method).parameters) == list(
                inspect.signature(getattr(interface, name)).parameters
            ), (implementation, name)


@pytest.mark.parametrize(
    "interface,implementations,prefixes",
    [
        (CompactReader, [DefaultCompactReader], ("read_",)),
        (CompactWriter, [DefaultCompactWriter, SchemaWriter], ("write_",)),
        (PortableReader, [DefaultPortableReader], ("read_",)),
        (PortableWriter, [DefaultPortableWriter, ClassDefinitionWriter], ("write_",)),
    ],
)
def test_every_field_method_of_the_implementations_is_declared(interface, implementations, prefixes):
    # A kind or field type added to the implementations must be declared for type checkers too.
    for implementation in implementations:
        public = {name for name in dir(implementation) if name.startswith(prefixes)} - _BY_KIND
        assert public <= set(dir(interface)), public - set(dir(interface))


def test_the_compact_interfaces_cover_exactly_the_supported_kinds():
    suffixes = {method_suffix(kind) for kind in SUPPORTED_KINDS}
    assert _declared(CompactWriter, "write_") == {"write_" + suffix for suffix in suffixes}
    assert _declared(CompactReader, "read_") == {"read_" + suffix for suffix in suffixes} | {
        "read_%s_or_default" % suffix for suffix in suffixes
    }


def test_the_class_definition_builder_has_an_add_method_per_field_type():
    for name, field_type in FieldType.__members__.items():
        builder = ClassDefinitionBuilder(1, 2)
        add = getattr(builder, "add_%s_field" % name.lower())
        if field_type in (FieldType.PORTABLE, FieldType.PORTABLE_ARRAY):
            add("f", ClassDefinitionBuilder(1, 3).build())
        else:
            add("f")
        assert builder.build().get_field_type("f") is field_type
