"""Python and Java classes on a real member: IdentifiedDataSerializable, Portable, entry processors.

The member runs the Java classes of tests/java (see conftest.py); Python writes with the
twins in interop_twins.py, Java code on the member reads and writes, Python reads back.
"""

import pytest
from interop_twins import (
    Address,
    BirthdayProcessor,
    Employee,
    MoveAddressProcessor,
    RaiseProcessor,
    SetValueProcessor,
    ValueComparator,
)

from hzgreen import aggregator as agg
from hzgreen import predicate as p
from hzgreen.exceptions import HzError
from hzgreen.serialization import CompactSerializer, FieldKind


@pytest.fixture
def client(interop_client):
    return interop_client()


@pytest.fixture
def employees(client, unique_name):
    m = client.get_map(unique_name)
    staff = {i: Employee("emp%02d" % i, 20 + i, 1000.0 * i, i % 2 == 0) for i in range(12)}
    m.put_all(staff)
    return m, staff


def test_java_entry_processor_reads_python_ids_and_python_reads_what_java_wrote(client, unique_name):
    m = client.get_map(unique_name)
    m.put("home", Address("main street", 5))
    previous = m.execute_on_key("home", MoveAddressProcessor(10))
    assert previous == Address("main street", 5)  # Java read the Python bytes
    assert m.get("home") == Address("MAIN STREET", 15)  # Python reads the Java bytes


def test_set_value_processor_sets_a_python_value_and_returns_the_previous(client, unique_name):
    m = client.get_map(unique_name)
    m.put("k", Employee("Ann", 30, 10.5, True))
    assert m.execute_on_key("k", SetValueProcessor(Address("x", 1))) == Employee("Ann", 30, 10.5, True)
    assert m.get("k") == Address("x", 1)
    assert m.submit_to_key("k", SetValueProcessor("text")).result(10) == Address("x", 1)
    assert m.get("k") == "text"


def test_execute_on_keys_and_on_entries(client, unique_name):
    m = client.get_map(unique_name)
    m.put_all({i: Address("s%d" % i, i) for i in range(5)})
    moved = dict(m.execute_on_keys([1, 3], MoveAddressProcessor(100)))
    assert moved == {1: Address("s1", 1), 3: Address("s3", 3)}
    assert m.get(3) == Address("S3", 103) and m.get(2) == Address("s2", 2)
    assert m.execute_on_keys([], MoveAddressProcessor(1)) == []
    everything = dict(m.execute_on_entries(SetValueProcessor(0)))
    assert set(everything) == set(range(5)) and everything[1] == Address("S1", 101)
    assert m.values() == [0] * 5


def test_entry_processor_over_portable_with_a_predicate(employees):
    m, staff = employees
    raised = dict(m.execute_on_entries(RaiseProcessor(2.0), p.equal("active", True)))
    assert raised == {i: staff[i].salary * 2 for i in staff if staff[i].active}
    assert m.get(2).salary == 4000.0 and m.get(3).salary == 3000.0


@pytest.mark.parametrize(
    "predicate, expected",
    [
        (p.greater("age", 28), {9, 10, 11}),
        (p.between("age", 21, 23), {1, 2, 3}),
        (p.and_(p.equal("active", True), p.less("salary", 5000.0)), {0, 2, 4}),
        (p.or_(p.like("name", "emp0%"), p.equal("age", 31)), set(range(10)) | {11}),
        (p.in_("name", "emp01", "emp07", "nobody"), {1, 7}),
        (p.regex("name", "emp1[01]"), {10, 11}),
        (p.ilike("name", "EMP0_"), set(range(10))),
        (p.not_(p.greater_or_equal("age", 22)), {0, 1}),
        (p.sql("active AND age >= 28"), {8, 10}),
        (p.less_or_equal("__key", 1), {0, 1}),
        (p.instance_of("hzgreen.interop.Employee"), set(range(12))),
    ],
)
def test_member_side_predicates_over_portable(employees, predicate, expected):
    m, staff = employees
    assert set(m.key_set(predicate)) == expected
    assert sorted(e.name for e in m.values(predicate)) == sorted(staff[k].name for k in expected)


def test_aggregations_over_portable(employees):
    m, staff = employees
    assert m.aggregate(agg.count()) == 12
    assert m.aggregate(agg.int_sum("age")) == sum(e.age for e in staff.values())
    assert m.aggregate(agg.double_avg("salary"), p.equal("active", False)) == 6000.0
    key, oldest = m.aggregate(agg.max_by("age"))
    assert (key, oldest) == (11, staff[11])


def test_paging_with_a_comparator_that_runs_on_the_member(client, unique_name):
    m = client.get_map(unique_name)
    m.put_all({"k%02d" % i: i for i in range(23)})
    paging = p.paging(None, 5, ValueComparator(descending=True))
    assert m.values(paging) == [22, 21, 20, 19, 18]
    paging.next_page()
    assert m.values(paging) == [17, 16, 15, 14, 13]
    paging.next_page()
    assert [v for _, v in m.entry_set(paging)] == [12, 11, 10, 9, 8]
    paging.previous_page()
    assert m.key_set(paging) == ["k17", "k16", "k15", "k14", "k13"]
    paging.page = 4
    assert m.values(paging) == [2, 1, 0]
    paging.page = 9
    assert m.values(paging) == []
    ascending = p.paging(p.greater("this", 10), 4, ValueComparator(descending=False))
    assert m.values(ascending) == [11, 12, 13, 14]


def test_member_without_the_factory_reports_an_error_and_the_connection_survives(client, unique_name):
    class Unknown(SetValueProcessor):
        def get_factory_id(self):
            return 4242

    m = client.get_map(unique_name)
    m.put("k", 1)
    with pytest.raises(HzError) as info:
        m.execute_on_key("k", Unknown(2))
    assert "4242" in str(info.value)
    assert m.get("k") == 1 and m.execute_on_key("k", SetValueProcessor(2)) == 1


class Person:
    def __init__(self, name, age, greeted=None):
        self.name, self.age, self.greeted = name, age, greeted


class PersonSerializer(CompactSerializer):
    """Reads both the Python schema (name, age) and Java's newer one (+ greeted)."""

    def read(self, reader):
        greeted = reader.read_boolean("greeted") if reader.get_field_kind("greeted") == FieldKind.BOOLEAN else None
        return Person(reader.read_string("name"), reader.read_int32("age"), greeted)

    def write(self, writer, person):
        writer.write_string("name", person.name)
        writer.write_int32("age", person.age)

    def get_class(self):
        return Person

    def get_type_name(self):
        return "Person"


def test_compact_python_to_java_to_python(interop_client, unique_name):
    client = interop_client(compact_serializers=[PersonSerializer()])
    m = client.get_map(unique_name)
    m.put("ada", Person("Ada", 36))
    assert m.execute_on_key("ada", BirthdayProcessor()) == 36  # Java read the Python Compact data
    ada = m.get("ada")  # Java's schema, fetched on read
    assert (ada.name, ada.age, ada.greeted) == ("ADA", 37, True)
    record = interop_client().get_map(unique_name).get("ada")  # no class: a GenericRecord
    assert record.to_dict() == {"age": 37, "greeted": True, "name": "ADA"}
    assert m.key_set(p.equal("greeted", True)) == ["ada"]
