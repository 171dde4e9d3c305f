"""The ssl_* options: official names and defaults, checks at construction, the SSL context built."""

import ssl

import pytest

from hzgreen.config import DEFAULTS, ClientConfig
from hzgreen.network.tls import SSL_OPTIONS, SSLProtocol, parse_tls_options
from hzgreen.testing.tls import TlsMaterial

OFFICIAL_DEFAULTS = {
    "ssl_enabled": False,
    "ssl_cafile": None,
    "ssl_certfile": None,
    "ssl_keyfile": None,
    "ssl_password": None,
    "ssl_protocol": "TLSv1_2",
    "ssl_ciphers": None,
    "ssl_check_hostname": False,
}


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    return TlsMaterial(str(tmp_path_factory.mktemp("tls")), key_password="pw")


def test_official_names_and_defaults():
    assert SSL_OPTIONS == OFFICIAL_DEFAULTS
    assert {name: DEFAULTS[name] for name in OFFICIAL_DEFAULTS} == OFFICIAL_DEFAULTS
    tls = ClientConfig().tls
    assert tls.enabled is False
    assert tls.context is None
    assert tls.protocol is SSLProtocol.TLSv1_2
    assert tls.connect_options("127.0.0.1") == {}


def test_protocol_enum_has_the_official_names_and_values():
    assert [(p.name, p.value) for p in SSLProtocol] == [
        ("SSLv2", 0),
        ("SSLv3", 1),
        ("TLSv1", 2),
        ("TLSv1_1", 3),
        ("TLSv1_2", 4),
        ("TLSv1_3", 5),
    ]


@pytest.mark.parametrize("value", [SSLProtocol.TLSv1_3, "TLSv1_3", 5])
def test_protocol_by_enum_name_or_value(value, material):
    tls = ClientConfig(ssl_enabled=True, ssl_cafile=material.ca_file, ssl_protocol=value).tls
    assert tls.protocol is SSLProtocol.TLSv1_3
    assert tls.context.minimum_version == tls.context.maximum_version == ssl.TLSVersion.TLSv1_3


@pytest.mark.parametrize(
    "options, error, words",
    [
        ({"ssl_enabled": 1}, TypeError, "ssl_enabled"),
        ({"ssl_check_hostname": "yes"}, TypeError, "ssl_check_hostname"),
        ({"ssl_cafile": 3}, TypeError, "ssl_cafile"),
        ({"ssl_certfile": b"x"}, TypeError, "ssl_certfile"),
        ({"ssl_keyfile": ""}, ValueError, "ssl_keyfile"),
        ({"ssl_password": 12}, TypeError, "ssl_password"),
        ({"ssl_ciphers": ["AES"]}, TypeError, "ssl_ciphers"),
        ({"ssl_protocol": "TLSv9"}, ValueError, "ssl_protocol"),
        ({"ssl_protocol": 17}, ValueError, "ssl_protocol"),
        ({"ssl_protocol": True}, TypeError, "ssl_protocol"),
        ({"ssl_protocol": 4.0}, TypeError, "ssl_protocol"),
        ({"ssl_protocol": "SSLv3"}, ValueError, "ssl_protocol"),
        ({"ssl_protocol": SSLProtocol.SSLv2}, ValueError, "ssl_protocol"),
        ({"ssl_keyfile": "/k.pem"}, ValueError, "ssl_certfile"),
    ],
)
def test_bad_values_are_refused_naming_the_option(options, error, words):
    with pytest.raises(error, match=words):
        ClientConfig(**options)


def test_unusable_files_fail_at_construction_when_enabled(tmp_path, material):
    missing = str(tmp_path / "missing.pem")
    with pytest.raises(ValueError, match="ssl_cafile"):
        ClientConfig(ssl_enabled=True, ssl_cafile=missing)
    with pytest.raises(ValueError, match="ssl_certfile"):
        ClientConfig(ssl_enabled=True, ssl_cafile=material.ca_file, ssl_certfile=missing)
    # Disabled: the paths are only type-checked, as the official client discards them.
    assert ClientConfig(ssl_enabled=False, ssl_cafile=missing).tls.cafile == missing


def test_bad_cipher_list_is_refused(material):
    with pytest.raises(ValueError, match="ssl_ciphers"):
        ClientConfig(ssl_enabled=True, ssl_cafile=material.ca_file, ssl_ciphers="NO-SUCH-CIPHER")


def test_cipher_list_is_applied(material):
    tls = ClientConfig(ssl_enabled=True, ssl_cafile=material.ca_file, ssl_ciphers="ECDHE-RSA-AES128-GCM-SHA256").tls
    names = {cipher["name"] for cipher in tls.context.get_ciphers() if cipher["protocol"] == "TLSv1.2"}
    assert names == {"ECDHE-RSA-AES128-GCM-SHA256"}


@pytest.mark.parametrize("password", ["pw", b"pw", lambda: "pw"])
def test_encrypted_client_key_with_its_password(material, password):
    tls = ClientConfig(
        ssl_enabled=True,
        ssl_cafile=material.ca_file,
        ssl_certfile=material.client_cert_file,
        ssl_keyfile=material.client_key_file,
        ssl_password=password,
    ).tls
    assert tls.context is not None
    assert tls.certfile == material.client_cert_file
    assert "password" not in repr(tls)


def test_wrong_key_password_is_refused(material):
    with pytest.raises(ValueError, match="ssl_password"):
        ClientConfig(
            ssl_enabled=True,
            ssl_cafile=material.ca_file,
            ssl_certfile=material.client_cert_file,
            ssl_keyfile=material.client_key_file,
            ssl_password="wrong",
        )


def test_context_always_verifies_and_checks_hostname_only_when_asked(material):
    plain = parse_tls_options({**SSL_OPTIONS, "ssl_enabled": True, "ssl_cafile": material.ca_file})
    assert plain.context.verify_mode == ssl.CERT_REQUIRED
    assert plain.context.check_hostname is False
    assert plain.connect_options("10.1.2.3") == {"ssl_context": plain.context, "server_hostname": None}
    checked = parse_tls_options(
        {**SSL_OPTIONS, "ssl_enabled": True, "ssl_cafile": material.ca_file, "ssl_check_hostname": True}
    )
    assert checked.context.check_hostname is True
    assert checked.connect_options("member-1")["server_hostname"] == "member-1"


def test_default_cas_when_no_cafile():
    tls = ClientConfig(ssl_enabled=True).tls
    assert tls.context is not None
    assert tls.cafile is None
