"""Classes usable by both hzgreen and the official client (hazelcast-python-client, test extra).

Each subclasses both clients' interface, so the same object goes through both
serializers and the blobs can be compared byte for byte.
"""

import datetime
import decimal

from hazelcast.serialization import api as official

from hzgreen.serialization import api as ours

TZ = datetime.timezone(datetime.timedelta(hours=3))


class Address(official.IdentifiedDataSerializable, ours.IdentifiedDataSerializable):
    def __init__(self, street=None, number=0):
        self.street, self.number = street, number

    def write_data(self, out):
        out.write_string(self.street)
        out.write_int(self.number)

    def read_data(self, inp):
        self.street = inp.read_string()
        self.number = inp.read_int()

    def get_factory_id(self):
        return 66

    def get_class_id(self):
        return 1

    def __eq__(self, other):
        return isinstance(other, Address) and vars(self) == vars(other)


class Child(official.Portable, ours.Portable):
    def __init__(self, name=None):
        self.name = name

    def write_portable(self, writer):
        writer.write_string("name", self.name)

    def read_portable(self, reader):
        self.name = reader.read_string("name")

    def get_factory_id(self):
        return 77

    def get_class_id(self):
        return 2

    def __eq__(self, other):
        return isinstance(other, Child) and self.name == other.name


class Employee(official.Portable, ours.Portable):
    """Every Portable field type the official client supports."""

    def __init__(self, name=None, age=0, kids=(), boss=None):
        self.name, self.age, self.kids, self.boss = name, age, list(kids), boss
        self.salary = decimal.Decimal("1234.50")
        self.born = datetime.date(1990, 5, 17)
        self.at = datetime.datetime(2024, 1, 2, 3, 4, 5, 6000)
        self.t = datetime.time(1, 2, 3)
        self.tz = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TZ)
        self.flags = [True, False]
        self.scores = [1, 2, 3]
        self.longs = [2**40]
        self.shorts = [-3]
        self.floats = [0.5]
        self.doubles = [1.25]
        self.names = ["a", None]
        self.chars = ["x", "y"]
        self.raw = bytearray(b"\x01\x02")
        self.c = "x"
        self.b = 5
        self.s = -7
        self.lng = -(2**50)
        self.f = 1.5
        self.d = 2.5
        self.flag = True
        self.decs = [decimal.Decimal("1.1"), decimal.Decimal("-2")]
        self.dates = [datetime.date(2000, 1, 1)]
        self.times = [datetime.time(23, 59)]
        self.stamps = [datetime.datetime(2001, 2, 3)]
        self.tzs = [datetime.datetime(2001, 2, 3, tzinfo=TZ)]

    def write_portable(self, w):
        w.write_string("name", self.name)
        w.write_int("age", self.age)
        w.write_portable_array("kids", self.kids)
        w.write_portable("boss", self.boss)
        w.write_decimal("salary", self.salary)
        w.write_date("born", self.born)
        w.write_timestamp("at", self.at)
        w.write_time("t", self.t)
        w.write_timestamp_with_timezone("tz", self.tz)
        w.write_boolean_array("flags", self.flags)
        w.write_int_array("scores", self.scores)
        w.write_long_array("longs", self.longs)
        w.write_short_array("shorts", self.shorts)
        w.write_float_array("floats", self.floats)
        w.write_double_array("doubles", self.doubles)
        w.write_string_array("names", self.names)
        w.write_char_array("chars", self.chars)
        w.write_byte_array("raw", self.raw)
        w.write_char("c", self.c)
        w.write_byte("b", self.b)
        w.write_short("s", self.s)
        w.write_long("lng", self.lng)
        w.write_float("f", self.f)
        w.write_double("d", self.d)
        w.write_boolean("flag", self.flag)
        w.write_decimal_array("decs", self.decs)
        w.write_date_array("dates", self.dates)
        w.write_time_array("times", self.times)
        w.write_timestamp_array("stamps", self.stamps)
        w.write_timestamp_with_timezone_array("tzs", self.tzs)

    def read_portable(self, r):
        self.name = r.read_string("name")
        self.age = r.read_int("age")
        self.kids = r.read_portable_array("kids")
        self.boss = r.read_portable("boss")
        self.salary = r.read_decimal("salary")
        self.born = r.read_date("born")
        self.at = r.read_timestamp("at")
        self.t = r.read_time("t")
        self.tz = r.read_timestamp_with_timezone("tz")
        self.flags = r.read_boolean_array("flags")
        self.scores = r.read_int_array("scores")
        self.longs = r.read_long_array("longs")
        self.shorts = r.read_short_array("shorts")
        self.floats = r.read_float_array("floats")
        self.doubles = r.read_double_array("doubles")
        self.names = r.read_string_array("names")
        self.chars = r.read_char_array("chars")
        self.raw = bytearray(r.read_byte_array("raw"))
        self.c = r.read_char("c")
        self.b = r.read_byte("b")
        self.s = r.read_short("s")
        self.lng = r.read_long("lng")
        self.f = r.read_float("f")
        self.d = r.read_double("d")
        self.flag = r.read_boolean("flag")
        self.decs = r.read_decimal_array("decs")
        self.dates = r.read_date_array("dates")
        self.times = r.read_time_array("times")
        self.stamps = r.read_timestamp_array("stamps")
        self.tzs = r.read_timestamp_with_timezone_array("tzs")

    def get_factory_id(self):
        return 77

    def get_class_id(self):
        return 1

    def __eq__(self, other):
        return isinstance(other, Employee) and vars(self) == vars(other)


class Point:
    def __init__(self, x=0, y=0, label=None):
        self.x, self.y, self.label = x, y, label

    def __eq__(self, other):
        return isinstance(other, Point) and vars(self) == vars(other)

    def __repr__(self):
        return "Point(%r, %r, %r)" % (self.x, self.y, self.label)


class PointSerializer(official.CompactSerializer, ours.CompactSerializer):
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


#: Every Compact kind a Python client supports, with a sample value.
KINDS = {
    "boolean": True,
    "int8": 7,
    "int16": -300,
    "int32": 70000,
    "int64": -(2**40),
    "float32": 1.5,
    "float64": -2.25,
    "nullable_boolean": None,
    "nullable_int8": 5,
    "nullable_int16": None,
    "nullable_int32": -9,
    "nullable_int64": 2**50,
    "nullable_float32": 0.5,
    "nullable_float64": None,
    "string": "héllo",
    "decimal": decimal.Decimal("-12.345"),
    "time": datetime.time(1, 2, 3, 4000),
    "date": datetime.date(2020, 2, 29),
    "timestamp": datetime.datetime(2021, 3, 4, 5, 6, 7, 8000),
    "timestamp_with_timezone": datetime.datetime(2021, 3, 4, 5, 6, 7, tzinfo=TZ),
    "compact": Point(1, 2, "p"),
    "array_of_boolean": [True, False, True, True, False, False, True, True, True],
    "array_of_int8": [1, -2, 3],
    "array_of_int16": [300, -300],
    "array_of_int32": [1, 2],
    "array_of_int64": [2**40],
    "array_of_float32": [0.25],
    "array_of_float64": [1.5, -1.5],
    "array_of_nullable_boolean": [True, None],
    "array_of_nullable_int8": [None, 1],
    "array_of_nullable_int16": [2, None],
    "array_of_nullable_int32": [None],
    "array_of_nullable_int64": [5],
    "array_of_nullable_float32": [None, 1.0],
    "array_of_nullable_float64": [2.0],
    "array_of_string": ["a", None, "c"],
    "array_of_decimal": [decimal.Decimal("1.5"), None],
    "array_of_time": [datetime.time(1, 1)],
    "array_of_date": [datetime.date(1999, 12, 31), None],
    "array_of_timestamp": [datetime.datetime(2000, 1, 1)],
    "array_of_timestamp_with_timezone": [datetime.datetime(2000, 1, 1, tzinfo=TZ)],
    "array_of_compact": [Point(3, 4, None), None, Point(5, 6, "q")],
}


class Shape:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __eq__(self, other):
        return isinstance(other, Shape) and vars(self) == vars(other)


class ShapeSerializer(official.CompactSerializer, ours.CompactSerializer):
    """Writes one field of every kind (named after its kind)."""

    def read(self, reader):
        return Shape(**{kind: getattr(reader, "read_" + kind)(kind) for kind in KINDS})

    def write(self, writer, obj):
        for kind in KINDS:
            getattr(writer, "write_" + kind)(kind, getattr(obj, kind))

    def get_class(self):
        return Shape

    def get_type_name(self):
        return "Shape"
