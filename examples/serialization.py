"""hzgreen serialization with Java on the member: built-ins, JSON, IdentifiedDataSerializable,
Portable, Compact, GenericRecord, type hints and a Java entry processor.

Needs a member with the Java classes of tests/java on its classpath, e.g. one started for
the occasion by the hzgreen harness (it compiles them with javac):

    python -m hzgreen.testing run --java-sources tests/java \\
        --data-serializable-factory 1=hzgreen.interop.InteropDataSerializableFactory \\
        --portable-factory 2=hzgreen.interop.InteropPortableFactory \\
        -- python examples/serialization.py

(address in HZGREEN_MEMBERS, cluster name in HZGREEN_CLUSTER_NAME; defaults
127.0.0.1:5701 and "dev"; HZGREEN_HANDLER=gevent runs the client under gevent).
"""

import datetime
import decimal

from example_client import example_client

from hzgreen import HazelcastJsonValue
from hzgreen import predicate as p
from hzgreen.serialization import (
    CompactSerializer,
    FieldKind,
    GenericRecord,
    IdentifiedDataSerializable,
    JavaType,
    Portable,
)


class Address(IdentifiedDataSerializable):
    """The twin of the Java class hzgreen.interop.Address (factory 1, class 1)."""

    def __init__(self, street=None, number=0):
        self.street, self.number = street, number

    def write_data(self, out):
        out.write_string(self.street)
        out.write_int(self.number)

    def read_data(self, inp):
        self.street = inp.read_string()
        self.number = inp.read_int()

    def get_factory_id(self):
        return 1

    def get_class_id(self):
        return 1

    def __repr__(self):
        return "Address(%r, %d)" % (self.street, self.number)


class MoveAddressProcessor(IdentifiedDataSerializable):
    """hzgreen.interop.MoveAddressProcessor (1/3): runs on the member, returns the old Address."""

    def __init__(self, delta):
        self.delta = delta

    def write_data(self, out):
        out.write_int(self.delta)

    def read_data(self, inp):
        self.delta = inp.read_int()

    def get_factory_id(self):
        return 1

    def get_class_id(self):
        return 3


class Employee(Portable):
    """The twin of the Java Portable hzgreen.interop.Employee (factory 2, class 1)."""

    def __init__(self, name=None, age=0, salary=0.0, active=False):
        self.name, self.age, self.salary, self.active = name, age, salary, active

    def write_portable(self, writer):
        writer.write_string("name", self.name)
        writer.write_int("age", self.age)
        writer.write_double("salary", self.salary)
        writer.write_boolean("active", self.active)

    def read_portable(self, reader):
        self.name = reader.read_string("name")
        self.age = reader.read_int("age")
        self.salary = reader.read_double("salary")
        self.active = reader.read_boolean("active")

    def get_factory_id(self):
        return 2

    def get_class_id(self):
        return 1


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y


class PointSerializer(CompactSerializer):
    def read(self, reader):
        return Point(reader.read_int32("x"), reader.read_int32("y"))

    def write(self, writer, point):
        writer.write_int32("x", point.x)
        writer.write_int32("y", point.y)

    def get_class(self):
        return Point

    def get_type_name(self):
        return "Point"


def main():
    with example_client(
        data_serializable_factories={1: {1: Address}},
        portable_factories={2: {1: Employee}},
        compact_serializers=[PointSerializer()],
    ) as client:
        m = client.get_map("serialization-example")
        m.clear()

        # Built-ins map to Java types (see docs/serialization.rst).
        m.put("decimal", decimal.Decimal("19.99"))  # java.math.BigDecimal
        m.put("when", datetime.datetime(2024, 5, 1, 12, 0))  # java.time.LocalDateTime
        m.put("ratio", 0.75, value_hint=JavaType.FLOAT)  # java.lang.Float, not Double
        m.put(7, "short key", key_hint="short")  # a java.lang.Short key
        print("Float values:", m.key_set(p.instance_of("java.lang.Float")))
        print("short key 7:", m.get(7, key_hint="short"), "| int key 7:", m.get(7))

        # JSON documents are queryable on the member. (A predicate is evaluated against every
        # value of the map, so keep one kind of value per queried map.)
        docs = client.get_map("serialization-example-docs")
        docs.put("ada", HazelcastJsonValue({"name": "Ada", "langs": [{"name": "Python"}, {"name": "Java"}]}))
        docs.put("bob", HazelcastJsonValue('{"name": "Bob", "langs": [{"name": "Go"}]}'))
        print("documents knowing Java:", docs.key_set(p.equal("langs[any].name", "Java")))

        # IdentifiedDataSerializable, changed on the member by a Java entry processor.
        m.put("home", Address("main street", 5))
        old = m.execute_on_key("home", MoveAddressProcessor(10))
        print("entry processor saw", old, "and stored", m.get("home"))

        # Portable: the member queries its fields without the Python class.
        staff = client.get_map("serialization-example-staff")
        staff.put_all({i: Employee("emp%d" % i, 25 + 5 * i, 1000.0 * i, i % 2 == 0) for i in range(6)})
        print("staff over 35:", sorted(e.name for e in staff.values(p.greater("age", 35))))

        # Compact: the schema goes to the cluster before the first Point.
        m.put("point", Point(3, 4))

    # A client without PointSerializer reads the Point as a GenericRecord (schema fetched).
    with example_client() as other:  # a fresh handler for the second client
        record = other.get_map("serialization-example").get("point")
        print("GenericRecord:", record.type_name, record.to_dict(), record.get_field_kind("x").name)
        other.get_map("serialization-example").put(
            "built", GenericRecord("Point", {"x": (FieldKind.INT32, 1), "y": (FieldKind.INT32, 2)})
        )


if __name__ == "__main__":
    main()
