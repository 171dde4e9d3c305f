"""ObjectDataOutput / ObjectDataInput."""

import struct

import pytest

from hzgreen.exceptions import HzSerializationError
from hzgreen.serialization import ObjectDataInput, ObjectDataOutput, SerializationService


def test_primitives_big_endian():
    out = ObjectDataOutput()
    out.write_boolean(True)
    out.write_byte(-2)
    out.write_char("A")
    out.write_short(-2)
    out.write_int(0x01020304)
    out.write_long(-2)
    out.write_float(1.5)
    out.write_double(-1.5)
    out.write_unsigned_byte(255)
    assert out.to_byte_array() == bytes.fromhex("01fe0041fffe01020304fffffffffffffffe3fc00000bff8000000000000ff")
    inp = ObjectDataInput(out.to_byte_array())
    assert inp.read_boolean() is True
    assert inp.read_byte() == -2
    assert inp.read_char() == "A"
    assert inp.read_short() == -2
    assert inp.read_int() == 0x01020304
    assert inp.read_long() == -2
    assert inp.read_float() == 1.5
    assert inp.read_double() == -1.5
    assert inp.read_unsigned_byte() == 255
    assert inp.available() == 0


def test_strings_and_null():
    out = ObjectDataOutput()
    out.write_string("héllo😀")
    out.write_string(None)
    out.write_utf("")
    inp = ObjectDataInput(out.to_byte_array())
    assert inp.read_string() == "héllo😀"
    assert inp.read_string() is None
    assert inp.read_utf() == ""


def test_arrays():
    out = ObjectDataOutput()
    out.write_byte_array(b"\x01\x02")
    out.write_byte_array([-1, 2])
    out.write_byte_array(None)
    out.write_boolean_array([True, False])
    out.write_char_array("a😀")
    out.write_char_array(["x", 0x41])
    out.write_short_array([1, -1])
    out.write_int_array([1, -1])
    out.write_long_array([2**40])
    out.write_float_array([0.5])
    out.write_double_array([0.25])
    out.write_string_array(["a", None, "b"])
    out.write_int_array([])
    inp = ObjectDataInput(out.to_byte_array())
    assert inp.read_byte_array() == b"\x01\x02"
    assert inp.read_byte_array() == b"\xff\x02"
    assert inp.read_byte_array() is None
    assert inp.read_boolean_array() == [True, False]
    assert inp.read_char_array() == ["a", "\ud83d", "\ude00"]
    assert inp.read_char_array() == ["x", "A"]
    assert inp.read_short_array() == [1, -1]
    assert inp.read_int_array() == [1, -1]
    assert inp.read_long_array() == [2**40]
    assert inp.read_float_array() == [0.5]
    assert inp.read_double_array() == [0.25]
    assert inp.read_string_array() == ["a", None, "b"]
    assert inp.read_int_array() == []


def test_write_object_and_read_object():
    service = SerializationService()
    out = service.new_output()
    out.write_object("k")
    out.write_object(None)
    out.write_object([1, 2])
    assert out.to_byte_array().hex() == ("fffffff5000000016b00000000ffffffe300000002fffffff900000001fffffff900000002")
    inp = service.new_input(out.to_byte_array())
    assert inp.read_object() == "k"
    assert inp.read_object() is None
    assert inp.read_object() == [1, 2]


def test_write_object_without_service():
    with pytest.raises(HzSerializationError):
        ObjectDataOutput().write_object(1)
    with pytest.raises(HzSerializationError):
        ObjectDataInput(b"\x00\x00\x00\x00").read_object()


@pytest.mark.parametrize(
    "reader",
    [
        "read_boolean",
        "read_byte",
        "read_char",
        "read_short",
        "read_int",
        "read_long",
        "read_float",
        "read_double",
        "read_string",
        "read_byte_array",
        "read_int_array",
        "read_string_array",
        "read_unsigned_byte",
        "read_unsigned_short",
    ],
)
def test_reads_past_end_raise_serialization_error(reader):
    with pytest.raises(HzSerializationError, match="end of data"):
        getattr(ObjectDataInput(b""), reader)()


def test_position_and_skip():
    inp = ObjectDataInput(bytes(range(10)), 2)
    assert inp.position() == 2 and inp.size() == 10
    assert inp.skip_bytes(3) == 3
    assert inp.read_byte() == 5
    inp.set_position(0)
    assert inp.read_raw(2) == b"\x00\x01"
    buff = bytearray(3)
    inp.read_into(buff)
    assert buff == b"\x02\x03\x04"
    assert inp.skip_bytes(100) == 5
    with pytest.raises(HzSerializationError):
        inp.set_position(11)
    with pytest.raises(HzSerializationError):
        ObjectDataInput(b"", 1)


def test_write_int_positional_and_misc():
    out = ObjectDataOutput()
    out.write_zero_bytes(4)
    out.write_from(b"abcdef", 1, 2)
    out.write_int_positional(7, 0)
    assert out.to_byte_array() == b"\x00\x00\x00\x07bc"
    assert out.position() == len(out) == 6 and out.is_big_endian()
    with pytest.raises(IndexError):
        out.write_int_positional(1, 4)
    out.clear()
    assert out.to_byte_array() == b""


def test_invalid_writes_raise():
    out = ObjectDataOutput()
    with pytest.raises(struct.error):
        out.write_byte(200)
    with pytest.raises(ValueError):
        out.write_char("ab")
    with pytest.raises(ValueError):
        out.write_char("😀")
