"""Python twins of the Java classes in tests/java/hzgreen/interop (same ids, same field order)."""

import os

from hzgreen.serialization.api import IdentifiedDataSerializable, Portable

JAVA_SOURCES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "java")
DATA_SERIALIZABLE_FACTORY_ID = 1
PORTABLE_FACTORY_ID = 2
JAVA_DATA_SERIALIZABLE_FACTORIES = {DATA_SERIALIZABLE_FACTORY_ID: "hzgreen.interop.InteropDataSerializableFactory"}
JAVA_PORTABLE_FACTORIES = {PORTABLE_FACTORY_ID: "hzgreen.interop.InteropPortableFactory"}


class _Identified(IdentifiedDataSerializable):
    class_id = 0

    def get_factory_id(self):
        return DATA_SERIALIZABLE_FACTORY_ID

    def get_class_id(self):
        return self.class_id


class Address(_Identified):
    """hzgreen.interop.Address (1/1)."""

    class_id = 1

    def __init__(self, street=None, number=0):
        self.street = street
        self.number = number

    def write_data(self, out):
        out.write_string(self.street)
        out.write_int(self.number)

    def read_data(self, inp):
        self.street = inp.read_string()
        self.number = inp.read_int()

    def __eq__(self, other):
        return isinstance(other, Address) and (self.street, self.number) == (other.street, other.number)

    def __hash__(self):
        return hash((self.street, self.number))

    def __repr__(self):
        return "Address(%r, %r)" % (self.street, self.number)


class SetValueProcessor(_Identified):
    """hzgreen.interop.SetValueProcessor (1/2): sets the value, returns the previous one."""

    class_id = 2

    def __init__(self, value=None):
        self.value = value

    def write_data(self, out):
        out.write_object(self.value)

    def read_data(self, inp):
        self.value = inp.read_object()


class MoveAddressProcessor(_Identified):
    """hzgreen.interop.MoveAddressProcessor (1/3): street upper-cased, number + delta; returns the old Address."""

    class_id = 3

    def __init__(self, delta=0):
        self.delta = delta

    def write_data(self, out):
        out.write_int(self.delta)

    def read_data(self, inp):
        self.delta = inp.read_int()


class ValueComparator(_Identified):
    """hzgreen.interop.ValueComparator (1/4): orders entries by value."""

    class_id = 4

    def __init__(self, descending=False):
        self.descending = descending

    def write_data(self, out):
        out.write_boolean(self.descending)

    def read_data(self, inp):
        self.descending = inp.read_boolean()


class RaiseProcessor(_Identified):
    """hzgreen.interop.RaiseProcessor (1/5): salary *= factor on Portable Employees; returns the new salary."""

    class_id = 5

    def __init__(self, factor=1.0):
        self.factor = factor

    def write_data(self, out):
        out.write_double(self.factor)

    def read_data(self, inp):
        self.factor = inp.read_double()


class Employee(Portable):
    """hzgreen.interop.Employee (Portable 2/1)."""

    def __init__(self, name=None, age=0, salary=0.0, active=False):
        self.name = name
        self.age = age
        self.salary = salary
        self.active = active

    def get_factory_id(self):
        return PORTABLE_FACTORY_ID

    def get_class_id(self):
        return 1

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

    def __eq__(self, other):
        return isinstance(other, Employee) and vars(self) == vars(other)

    def __repr__(self):
        return "Employee(%r, %r, %r, %r)" % (self.name, self.age, self.salary, self.active)


DATA_SERIALIZABLE_FACTORIES = {DATA_SERIALIZABLE_FACTORY_ID: {1: Address}}
PORTABLE_FACTORIES = {PORTABLE_FACTORY_ID: {1: Employee}}


class BirthdayProcessor(_Identified):
    """hzgreen.interop.BirthdayProcessor (1/6): over Compact "Person" values; returns the old age."""

    class_id = 6

    def write_data(self, out):
        pass

    def read_data(self, inp):
        pass
