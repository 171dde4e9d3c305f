"""Compact: schema ids and layout, readers and writers, GenericRecord, the schema hook."""

import struct

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import CompactSerializer, FieldKind, GenericRecord, SchemaNotFoundError, SerializationService
from hzgreen.serialization.compact import FieldDescriptor, Schema, SchemaNotReplicatedError

H = bytes.fromhex


class Point:
    def __init__(self, x=0, y=0, label=None):
        self.x, self.y, self.label = x, y, label

    def __eq__(self, other):
        return isinstance(other, Point) and vars(self) == vars(other)


class PointSerializer(CompactSerializer):
    def read(self, reader):
        return Point(reader.read_int32("x"), reader.read_int32("y"), reader.read_string("label"))

    def write(self, writer, obj):
        writer.write_int32("x", obj.x)
        writer.write_int32("y", obj.y)
        writer.write_string("label", obj.label)

    def get_class(self):
        return Point

    def get_type_name(self):
        return "Point"


def point_schema():
    return Schema(
        "Point",
        [
            FieldDescriptor("x", FieldKind.INT32),
            FieldDescriptor("y", FieldKind.INT32),
            FieldDescriptor("label", FieldKind.STRING),
        ],
    )


def test_schema_ids_are_the_rabin_fingerprints_every_client_computes():
    # values computed by the official Python client for the same schemas
    assert point_schema().schema_id == -1061629560352929856
    assert Schema("a", []).schema_id == 5754436422344553659


def test_layout_fixed_by_size_then_booleans_then_variable_by_name():
    schema = Schema(
        "T",
        [
            FieldDescriptor(n, k)
            for n, k in [
                ("b1", FieldKind.BOOLEAN),
                ("i8", FieldKind.INT8),
                ("i64", FieldKind.INT64),
                ("a32", FieldKind.INT32),
                ("f32", FieldKind.FLOAT32),
                ("s", FieldKind.STRING),
                ("b2", FieldKind.BOOLEAN),
                ("n", FieldKind.NULLABLE_INT8),
            ]
        ],
    )
    fields = schema.fields_by_name
    assert [fields[n].position for n in ("i64", "a32", "f32", "i8")] == [0, 8, 12, 16]
    assert (fields["b1"].position, fields["b1"].bit, fields["b2"].position, fields["b2"].bit) == (17, 0, 17, 1)
    assert schema.fixed_size == 18
    assert (fields["n"].index, fields["s"].index, schema.var_count) == (0, 1, 2)


def test_wire_format_of_a_point():
    service = SerializationService(compact_serializers=[PointSerializer()])
    data = service.to_data(Point(1, 2, "ab"))
    expected = (
        H("00000000ffffffc9")
        + struct.pack(">q", point_schema().schema_id)
        + struct.pack(">i", 14)  # data length: 8 fixed bytes + string (4 + 2)
        + struct.pack(">ii", 1, 2)  # x, y
        + struct.pack(">i", 2)
        + b"ab"  # label
        + bytes([8])
    )  # offset of label (1-byte offsets)
    assert data == expected
    assert service.to_object(data) == Point(1, 2, "ab")


def test_schema_hook_runs_once_per_schema_before_the_data_exists():
    service = SerializationService(compact_serializers=[PointSerializer()])
    sent = []
    service.compact.schema_hook = sent.append
    service.to_data(Point(1, 2))
    service.to_data(Point(3, 4))
    assert [s.type_name for s in sent] == ["Point"]
    service.compact.forget_replication()
    service.to_data(Point(5, 6))
    assert len(sent) == 2


def test_failing_schema_hook_fails_the_write():
    service = SerializationService(compact_serializers=[PointSerializer()])

    def refuse(schema):
        raise OSError("cluster unreachable")

    service.compact.schema_hook = refuse
    with pytest.raises(SchemaNotReplicatedError, match="'Point'.*cluster unreachable"):
        service.to_data(Point(1, 2))


def test_unknown_schema_id_raises_schema_not_found_then_reads_once_registered():
    writer = SerializationService(compact_serializers=[PointSerializer()])
    data = writer.to_data(Point(1, 2, "z"))
    reader = SerializationService(compact_serializers=[PointSerializer()])
    with pytest.raises(SchemaNotFoundError) as info:
        reader.to_object(data)
    assert info.value.schema_id == point_schema().schema_id and "-55" in str(info.value)
    assert isinstance(info.value, HzSerializationError)
    reader.compact.register_schema(point_schema())
    assert reader.to_object(data) == Point(1, 2, "z")
    with pytest.raises(SchemaNotFoundError):  # nested too, unchanged
        SerializationService().to_object(writer.to_data([Point()]))


def test_generic_record_without_a_serializer():
    writer = SerializationService(compact_serializers=[PointSerializer()])
    data = writer.to_data(Point(1, 2, "z"))
    reader = SerializationService()
    reader.compact.register_schema(point_schema())
    record = reader.to_object(data)
    assert isinstance(record, GenericRecord)
    assert (record.type_name, record["x"], record["y"], record["label"]) == ("Point", 1, 2, "z")
    assert record.get_field_kind("x") == FieldKind.INT32 and record.get_field_kind("nope") == FieldKind.NOT_AVAILABLE
    assert record.to_dict() == {"label": "z", "x": 1, "y": 2}
    assert reader.to_data(record) == data  # written back byte for byte
    with pytest.raises(KeyError, match="nope"):
        record["nope"]


def test_building_a_generic_record_that_a_class_reads():
    record = GenericRecord(
        "Point", {"x": (FieldKind.INT32, 5), "y": (FieldKind.INT32, 6), "label": (FieldKind.STRING, None)}
    )
    data = SerializationService().to_data(record)
    assert SerializationService(compact_serializers=[PointSerializer()]).to_data(Point(5, 6)) == data
    reader = SerializationService(compact_serializers=[PointSerializer()])
    reader.compact.register_schema(record.schema)
    assert reader.to_object(data) == Point(5, 6, None)


def test_nested_generic_records():
    inner = GenericRecord("In", {"v": (FieldKind.NULLABLE_INT64, None)})
    outer = GenericRecord(
        "Out", {"one": (FieldKind.COMPACT, inner), "many": (FieldKind.ARRAY_OF_COMPACT, [inner, None])}
    )
    service = SerializationService()
    back = service.to_object(service.to_data(outer))
    assert back == outer and back.to_dict() == {"many": [{"v": None}, None], "one": {"v": None}}


class Evolving(CompactSerializer):
    """Reads data written with or without 'email' (schema evolution)."""

    def read(self, reader):
        email = reader.read_string("email") if reader.get_field_kind("email") == FieldKind.STRING else "n/a"
        return (reader.read_string("name"), email, reader.read_int32_or_default("age", -1))

    def write(self, writer, obj):
        writer.write_string("name", obj[0])

    def get_class(self):
        return tuple

    def get_type_name(self):
        return "Person"


def test_schema_evolution_with_field_kind_and_defaults():
    old = GenericRecord("Person", {"name": (FieldKind.STRING, "Ada")})
    new = GenericRecord(
        "Person", {"name": (FieldKind.STRING, "Bob"), "email": (FieldKind.STRING, "b@x"), "age": (FieldKind.INT32, 7)}
    )
    service = SerializationService(compact_serializers=[Evolving()])
    assert service.to_object(service.to_data(old)) == ("Ada", "n/a", -1)
    assert service.to_object(service.to_data(new)) == ("Bob", "b@x", 7)


def test_plain_and_nullable_kinds_read_each_other():
    record = GenericRecord(
        "N",
        {
            "a": (FieldKind.NULLABLE_INT32, 5),
            "b": (FieldKind.NULLABLE_INT32, None),
            "c": (FieldKind.INT32, 6),
            "d": (FieldKind.ARRAY_OF_NULLABLE_INT16, [1, None]),
            "e": (FieldKind.ARRAY_OF_INT16, [1, 2]),
        },
    )

    class Reader(CompactSerializer):
        def read(self, reader):
            results = {
                "a": reader.read_int32("a"),
                "c": reader.read_nullable_int32("c"),
                "e": reader.read_array_of_nullable_int16("e"),
            }
            for call in (
                lambda: reader.read_int32("b"),
                lambda: reader.read_array_of_int16("d"),
                lambda: reader.read_string("a"),
                lambda: reader.read_int32("missing"),
            ):
                try:
                    call()
                except HzSerializationError as e:
                    results.setdefault("errors", []).append(str(e))
            return results

        def write(self, writer, obj):
            raise AssertionError

        def get_class(self):
            return dict

        def get_type_name(self):
            return "N"

    service = SerializationService(compact_serializers=[Reader()])
    service.compact.register_schema(record.schema)
    result = service.to_object(SerializationService().to_data(record))
    assert (result["a"], result["c"], result["e"]) == (5, 6, [1, 2])
    errors = result["errors"]
    assert "'b' is None; read it with read_nullable_int32" in errors[0]
    assert "holds None items; read it with read_array_of_nullable_int16" in errors[1]
    assert "NULLABLE_INT32, it cannot be read as STRING" in errors[2]
    assert "no field 'missing'" in errors[3]


@pytest.mark.parametrize(
    "kind, value, words",
    [
        (FieldKind.INT8, 300, ["'f'", "INT8", "300"]),
        (FieldKind.INT32, 2**40, ["INT32"]),
        (FieldKind.INT32, None, ["NULLABLE_INT32"]),
        (FieldKind.BOOLEAN, 1, ["BOOLEAN", "bool"]),
        (FieldKind.ARRAY_OF_INT16, [1, 2**20], ["ARRAY_OF_INT16"]),
        (
            FieldKind.TIMESTAMP,
            __import__("datetime").datetime(2020, 1, 1, tzinfo=__import__("datetime").timezone.utc),
            ["TIMESTAMP_WITH_TIMEZONE"],
        ),
    ],
)
def test_bad_values_name_the_field_and_kind(kind, value, words):
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_data(GenericRecord("T", {"f": (kind, value)}))
    for word in words:
        assert word in str(info.value)


def test_writer_errors():
    class Wrong(PointSerializer):
        def write(self, writer, obj):
            writer.write_int32("x", obj.x)
            writer.write_int64("y", obj.y) if obj.y else writer.write_int32("y", 0)
            writer.write_string("label", None)

    service = SerializationService(compact_serializers=[Wrong()])
    service.to_data(Point(1, 0))
    with pytest.raises(HzSerializationError, match="'y' is INT32 in the schema but was written as INT64"):
        service.to_data(Point(1, 5))
    with pytest.raises(HzSerializationError, match="no Compact serializer"):
        SerializationService().compact.write(None, Point())


def test_unsupported_kinds_and_bad_options():
    with pytest.raises(HzSerializationError, match="CHAR"):
        GenericRecord("T", {"c": (FieldKind.CHAR, "x")})
    with pytest.raises(TypeError, match="compact_serializers"):
        SerializationService(compact_serializers=[PointSerializer])
    with pytest.raises(TypeError, match="compact_serializers"):
        SerializationService(compact_serializers=[object()])
    with pytest.raises(ValueError, match="two serializers for class"):
        SerializationService(compact_serializers=[PointSerializer(), PointSerializer()])


def test_truncated_compact_data():
    service = SerializationService(compact_serializers=[PointSerializer()])
    data = service.to_data(Point(1, 2, "abc"))
    with pytest.raises(HzSerializationError, match="-55"):
        service.to_object(data[:-4])
