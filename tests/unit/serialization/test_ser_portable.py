"""Portable: field table layout, nested objects, class definitions, versioning, errors."""

import datetime
import struct

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import ClassDefinitionBuilder, FieldType, Portable, SerializationService, VersionedPortable

H = bytes.fromhex


class Person(Portable):
    def __init__(self, name=None, age=0):
        self.name, self.age = name, age

    def write_portable(self, writer):
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)

    def read_portable(self, reader):
        self.name = reader.read_string("name")
        self.age = reader.read_int("age")

    def get_factory_id(self):
        return 1

    def get_class_id(self):
        return 2

    def __eq__(self, other):
        return isinstance(other, Person) and (self.name, self.age) == (other.name, other.age)


class PersonV2(VersionedPortable):
    """Version 2 of Person: adds 'email', widens nothing."""

    def __init__(self, name=None, age=0, email=None):
        self.name, self.age, self.email = name, age, email

    def write_portable(self, writer):
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)
        writer.write_string("email", self.email)

    def read_portable(self, reader):
        self.name = reader.read_string("name")
        self.age = reader.read_int("age")
        self.email = reader.read_string("email")

    def get_factory_id(self):
        return 1

    def get_class_id(self):
        return 2

    def get_class_version(self):
        return 2


class PersonAgeAsLong(PersonV2):
    """Reads 'age' as a long: a widening Java allows."""

    def read_portable(self, reader):
        self.name = reader.read_string("name")
        self.age = reader.read_long("age")
        self.email = reader.read_string("email")


class PersonAgeAsString(PersonV2):
    """Reads 'age' as a string: an incompatible change."""

    def read_portable(self, reader):
        self.age = reader.read_string("age")


class Team(Portable):
    def __init__(self, lead=None, members=(), when=None):
        self.lead, self.members, self.when = lead, list(members), when

    def write_portable(self, writer):
        writer.write_portable("lead", self.lead)
        writer.write_portable_array("members", self.members)
        writer.write_date("when", self.when)
        writer.get_raw_data_output().write_string("raw tail")

    def read_portable(self, reader):
        self.lead = reader.read_portable("lead")
        self.members = reader.read_portable_array("members")
        self.when = reader.read_date("when")
        self.raw = reader.get_raw_data_input().read_string()

    def get_factory_id(self):
        return 1

    def get_class_id(self):
        return 3


def service(**options):
    options.setdefault("portable_factories", {1: {2: Person, 3: Team}})
    return SerializationService(**options)


def test_wire_format():
    data = service().to_data(Person("Al", 7))
    expected = (
        H("00000000ffffffff")
        + struct.pack(">iii", 1, 2, 0)  # factory, class, version
        + struct.pack(">ii", 63, 2)  # end position, field count
        + struct.pack(">iii", 40, 53, 0)  # field positions (+ raw slot)
        + struct.pack(">h", 4)
        + b"name"
        + bytes([FieldType.STRING])
        + struct.pack(">i", 2)
        + b"Al"
        + struct.pack(">h", 3)
        + b"age"
        + bytes([FieldType.INT])
        + struct.pack(">i", 7)
    )
    assert data == expected
    assert service().to_object(data) == Person("Al", 7)


def test_nested_arrays_dates_and_raw_data():
    team = Team(Person("lead", 1), [Person("a", 2), Person("b", 3)], datetime.date(2024, 1, 31))
    back = service().to_object(service().to_data(team))
    assert back.lead == team.lead and back.members == team.members and back.when == team.when
    assert back.raw == "raw tail"


def test_reader_learns_class_definition_from_the_data():
    writer, reader = service(), service()
    back = reader.to_object(writer.to_data(Person("x", 1)))
    assert back == Person("x", 1)
    assert reader.portable_context.lookup(1, 2, 0).get_field_names() == ["name", "age"]


def test_newer_reader_gets_none_for_a_field_the_old_data_lacks():
    old = service().to_data(Person("old", 40))
    reader = service(portable_factories={1: {2: PersonV2}})
    back = reader.to_object(old)
    assert (back.name, back.age, back.email) == ("old", 40, None)


def test_older_reader_ignores_new_fields():
    new = service(portable_factories={1: {2: PersonV2}}).to_data(PersonV2("new", 41, "n@x"))
    back = service().to_object(new)
    assert back == Person("new", 41)


def test_widening_read_is_allowed():
    old = service().to_data(Person("w", 42))
    back = service(portable_factories={1: {2: PersonAgeAsLong}}).to_object(old)
    assert back.age == 42


def test_incompatible_field_type_raises():
    old = service().to_data(Person("w", 42))
    with pytest.raises(HzSerializationError) as info:
        service(portable_factories={1: {2: PersonAgeAsString}}).to_object(old)
    message = str(info.value)
    assert "incompatible" in message and "'age'" in message and "INT" in message and "STRING" in message


def test_changed_class_with_same_version_is_rejected():
    s = service(portable_factories={1: {2: PersonV2}})
    s.to_data(PersonV2("a", 1, "e"))

    class Renamed(PersonV2):
        def write_portable(self, writer):
            writer.write_string("nom", self.name)

    with pytest.raises(HzSerializationError, match="no field 'nom' in its class definition"):
        s.to_data(Renamed())
    renamed = ClassDefinitionBuilder(1, 2, 2).add_string_field("nom").build()
    with pytest.raises(HzSerializationError, match="incompatible class definitions"):
        s.portable_context.register(renamed)


def test_unregistered_factory_and_class_are_named():
    data = service().to_data(Person("x", 1))
    with pytest.raises(HzSerializationError) as info:
        SerializationService().to_object(data)
    message = str(info.value)
    assert "factory id 1" in message and "class id 2" in message and "portable_factories" in message
    with pytest.raises(HzSerializationError, match="no class id 2"):
        SerializationService(portable_factories={1: {3: Team}}).to_object(data)


def test_write_null_portable_needs_a_registered_class_definition():
    class Holder(Portable):
        def write_portable(self, writer):
            writer.write_null_portable("p", 1, 2)

        def read_portable(self, reader):
            self.p = reader.read_portable("p")

        def get_factory_id(self):
            return 1

        def get_class_id(self):
            return 9

    with pytest.raises(HzSerializationError, match="class_definitions"):
        service().to_data(Holder())
    person_def = ClassDefinitionBuilder(1, 2).add_string_field("name").add_int_field("age").build()
    s = service(class_definitions=[person_def], portable_factories={1: {2: Person, 9: Holder}})
    assert s.to_object(s.to_data(Holder())).p is None


def test_check_class_definition_errors():
    holder_def = ClassDefinitionBuilder(1, 9).add_portable_field("p", ClassDefinitionBuilder(1, 2).build()).build()
    with pytest.raises(ValueError, match="check_class_definition_errors"):
        service(class_definitions=[holder_def])
    service(class_definitions=[holder_def], check_class_definition_errors=False)


def test_field_written_with_the_wrong_type_or_not_at_all():
    class Bad(Person):
        mode = "ok"

        def write_portable(self, writer):
            writer.write_string("name", self.name)
            if Bad.mode == "ok":
                writer.write_int("age", self.age)
            elif Bad.mode == "long":
                writer.write_long("age", self.age)

    s = service()
    s.to_data(Bad("a", 1))  # defines the class
    Bad.mode = "skip"
    with pytest.raises(HzSerializationError, match="did not write field"):
        s.to_data(Bad("a", 1))
    Bad.mode = "long"
    with pytest.raises(HzSerializationError, match="'age' is INT in the class definition but was written as LONG"):
        s.to_data(Bad("a", 1))


def test_out_of_range_value_names_the_field():
    with pytest.raises(HzSerializationError) as info:
        service().to_data(Person("x", 2**40))
    assert "'age'" in str(info.value) and "INT" in str(info.value)


def test_versions_and_options():
    s = service(portable_version=3)
    assert struct.unpack_from(">i", s.to_data(Person("x", 1)), 16)[0] == 3
    with pytest.raises(ValueError, match="portable_version"):
        SerializationService(portable_version=-1)
    with pytest.raises(TypeError, match="portable_version"):
        SerializationService(portable_version="1")
    with pytest.raises(TypeError, match="check_class_definition_errors"):
        SerializationService(check_class_definition_errors="yes")
    with pytest.raises(TypeError, match="class_definitions"):
        SerializationService(class_definitions="x")


def test_class_id_zero_is_rejected():
    class Zero(Person):
        def get_class_id(self):
            return 0

    with pytest.raises(HzSerializationError, match="cannot be 0"):
        service().to_data(Zero())


def test_corrupt_field_table_is_reported():
    data = bytearray(service().to_data(Person("x", 1)))
    struct.pack_into(">i", data, 24, 5)  # field count 5 instead of 2
    with pytest.raises(HzSerializationError, match="-1"):
        service().to_object(bytes(data))
