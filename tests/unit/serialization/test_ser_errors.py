"""Error handling: nothing but HzSerializationError escapes, and messages name the type."""

import socket
import struct
import threading

import pytest

from hzgreen.exceptions import HzError, HzSerializationError
from hzgreen.serialization import SerializationService

H = bytes.fromhex


@pytest.fixture
def service():
    return SerializationService()


def test_is_an_hz_error():
    assert issubclass(HzSerializationError, HzError)


def test_lambda_names_its_type(service):
    with pytest.raises(HzSerializationError, match="'function'"):
        service.to_data(lambda: 1)


def test_socket_names_its_type(service):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(HzSerializationError, match="socket.socket"):
            service.to_data(sock)
    finally:
        sock.close()


def test_lock_names_its_type(service):
    with pytest.raises(HzSerializationError, match="lock"):
        service.to_data(threading.Lock())


def test_unpicklable_inside_list_names_the_element_type(service):
    with pytest.raises(HzSerializationError, match="'function'"):
        service.to_data(["ok", lambda: 1])


def test_lone_surrogate_string(service):
    with pytest.raises(HzSerializationError, match="'str'"):
        service.to_data("\ud800")


def test_self_referencing_list(service):
    loop = []
    loop.append(loop)
    with pytest.raises(HzSerializationError, match="'list'"):
        service.to_data(loop)


@pytest.mark.parametrize("blob_hex", ["00", "00000000", "00000000ffff"])
def test_shorter_than_header(service, blob_hex):
    with pytest.raises(HzSerializationError, match="8-byte header"):
        service.to_object(H(blob_hex))


def test_not_bytes(service):
    with pytest.raises(HzSerializationError):
        service.to_object("not bytes")


def test_unknown_type_id_is_named(service):
    with pytest.raises(HzSerializationError, match="12345"):
        service.to_object(struct.pack(">ii", 0, 12345) + b"\x00" * 8)


@pytest.mark.parametrize("type_id", [-2, -1, -55, -56, -27, -42, -999])
def test_unsupported_java_type_ids_are_named(service, type_id):
    with pytest.raises(HzSerializationError, match=str(type_id)):
        service.to_object(struct.pack(">ii", 0, type_id) + b"\x00" * 8)


@pytest.mark.parametrize(
    "blob_hex, type_id",
    [
        ("00000000fffffff9", -7),  # int without payload
        ("00000000fffffff90000", -7),  # int cut short
        ("00000000fffffff8000000", -8),  # long cut short
        ("00000000fffffffc", -4),  # boolean without payload
        ("00000000fffffffd", -3),  # byte without payload
        ("00000000fffffffa00", -6),  # short cut short
        ("00000000fffffff6000000", -10),  # double cut short
        ("00000000fffffff7000000", -9),  # float cut short
        ("00000000fffffff5", -11),  # string without length
        ("00000000fffffff5000000056b", -11),  # string shorter than its length
        ("00000000fffffff57fffffff", -11),  # absurd length
        ("00000000fffffff5fffffffe", -11),  # negative length
        ("00000000fffffff500000001ff", -11),  # invalid UTF-8
        ("00000000fffffff4000000036b", -12),  # byte[] truncated
        ("00000000ffffffeb0011", -21),  # UUID truncated
        ("00000000ffffffe3000000020000000000", -29),  # list missing an element
        ("00000000ffffffe37fffffff", -29),  # absurd list size
        ("00000000ffffffe3fffffffe", -29),  # negative list size
        ("00000000ffffffe300000001fffffff5000000096b", -29),  # truncated nested string
        ("00000000ffffffe30000000100003039", -29),  # nested unknown type id 12345
        ("00000000fffffff0000000020000000100", -16),  # int[] truncated
        ("00000000fffffff07fffffff", -16),  # absurd int[] length
        ("00000000ffffffec000000020000000161", -20),  # String[] truncated
        ("00000000ffffffe6000000050102", -26),  # BigInteger truncated
        ("00000000ffffff8800000003abcdef", -120),  # garbage pickle
        ("00000000ffffff8800000009", -120),  # pickle truncated
        ("00000000ffffff7e00000004", -130),  # JSON truncated
        ("00000000fffffffb00", -5),  # char truncated
    ],
)
def test_corrupt_data_names_type_id(service, blob_hex, type_id):
    with pytest.raises(HzSerializationError) as info:
        service.to_object(H(blob_hex))
    assert str(type_id) in str(info.value)


def test_nested_error_names_both_type_ids(service):
    with pytest.raises(HzSerializationError) as info:
        service.to_object(H("00000000ffffffe300000001fffffff5000000096b"))
    message = str(info.value)
    assert "-29" in message and "-11" in message


def test_nested_unknown_type_id(service):
    with pytest.raises(HzSerializationError, match="12345"):
        service.to_object(H("00000000ffffffe30000000100003039"))


def test_bad_pickle_protocol():
    with pytest.raises(ValueError, match="pickle_protocol"):
        SerializationService(pickle_protocol=99)
