"""Bad input: HzSerializationError naming the type, factory, class or schema; nothing else breaks.

Corrupt or unreadable Data is stored on a real member by writing raw blobs with the Map
codec (members store whatever bytes a client sends); reading it back is then exactly
"corrupt Data from the member".
"""

import struct

import pytest
from interop_twins import Address, Employee, SetValueProcessor

from hzgreen.exceptions import HzError, HzSerializationError
from hzgreen.protocol.codecs import map as codec


def put_raw(m, key, blob):
    key_data = m._to_data(key)
    request = codec.encode_set_request(m.name, key_data, blob, m._thread_id(), -1)
    m._invoke_on_key(request, key_data).result(10)


@pytest.mark.parametrize(
    "mode, value, java", [("SHORT", 40000, "short"), ("BYTE", -129, "byte"), ("LONG", 2**63, "long")]
)
def test_out_of_range_ints_fail_before_sending(hz_client_factory, unique_name, mode, value, java):
    client = hz_client_factory(default_int_type=mode)
    m = client.get_map(unique_name)
    with pytest.raises(HzSerializationError) as info:
        m.put("k", value)
    assert java in str(info.value) and str(value) in str(info.value)
    with pytest.raises(HzSerializationError, match=java):
        m.put("k", [1, value])  # nested values follow the same rule
    m.put("k", 5)
    assert m.get("k") == 5 and m.size() == 1


def test_out_of_range_hints(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    with pytest.raises(HzSerializationError, match="Java short"):
        m.put(1, 70000, value_hint="short")
    with pytest.raises(HzSerializationError, match="Java byte"):
        m.get(300, key_hint="byte")
    m.put(1, 7, value_hint="short")
    assert m.get(1) == 7


def test_unregistered_factory_and_class_ids(hz_client_factory, unique_name):
    writer = hz_client_factory(data_serializable_factories={1: {1: Address}}, portable_factories={2: {1: Employee}})
    w = writer.get_map(unique_name)
    w.put("ids", Address("x", 1))
    w.put("portable", Employee("e", 1, 1.0, True))
    w.put("plain", "fine")
    reader = hz_client_factory(data_serializable_factories={1: {7: Address}}).get_map(unique_name)
    with pytest.raises(HzSerializationError) as info:
        reader.get("ids")
    assert "factory 1 has no class id 1" in str(info.value)
    with pytest.raises(HzSerializationError) as info:
        reader.get("portable")
    assert "factory id 2" in str(info.value) and "class id 1" in str(info.value)
    with pytest.raises(HzSerializationError):
        reader.values()
    assert reader.get("plain") == "fine" and reader.size() == 3


def test_schema_the_cluster_does_not_know(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    put_raw(m, "ghost", struct.pack(">iiq", 0, -55, 0x1234567890) + b"\x00" * 8)
    with pytest.raises(HzSerializationError) as info:
        m.get("ghost")
    assert str(0x1234567890) in str(info.value) and "does not know it" in str(info.value)
    with pytest.raises(HzSerializationError):
        list(m.iterate())
    m.put("ok", 1)
    assert m.get("ok") == 1


@pytest.mark.parametrize(
    "blob_hex, type_id",
    [
        ("00000000fffffff5000000ff41", "-11"),  # String longer than the data
        ("00000000fffffff500000001ff", "-11"),  # invalid UTF-8
        ("00000000fffffff9", "-7"),  # int without payload
        ("00000000ffffffe300000002fffffff900000001", "-29"),  # ArrayList missing an element
        ("00000000ffffff8800000003abcdef", "-120"),  # garbage pickle
        ("0000000000003039", "12345"),  # type id nobody registered
    ],
)
def test_corrupt_data_from_the_member(hz_client, unique_name, blob_hex, type_id):
    m = hz_client.get_map(unique_name)
    put_raw(m, "bad", bytes.fromhex(blob_hex))
    m.put("good", "still fine")
    with pytest.raises(HzSerializationError) as info:
        m.get("bad")
    assert type_id in str(info.value)
    with pytest.raises(HzSerializationError):
        m.entry_set()
    assert m.get("good") == "still fine"
    assert hz_client.connected


def test_member_side_deserialization_failure_is_an_error_not_a_hang(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put("k", 1)
    with pytest.raises(HzError) as info:  # the plain test member has no factory 1
        m.execute_on_key("k", SetValueProcessor(2))
    assert not isinstance(info.value, HzSerializationError)
    assert m.get("k") == 1
