"""Member addresses as users write them: parsed and checked before anything is sent.

``"host:port"`` is one address, ``"host"`` alone means the default ports 5701..5703 (as
in the official client), and IPv6 literals go in brackets when they carry a port
(``"[::1]:5701"``). Host names must be syntactically valid (RFC 1123 labels), so an
entry such as ``"a..b:5701"`` is refused at construction instead of breaking the
resolver later. Whether a valid name resolves is only known at connect time.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Dict, List, Tuple

DEFAULT_PORT = 5701
PORT_TRY_COUNT = 3  # "host" without a port means ports 5701..5703, as in the official client

_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")
_PORT = re.compile(r"^[0-9]{1,5}$")
_DOTTED_NUMBERS = re.compile(r"^[0-9.]+$")


def parse_address(text: str, option: str = "cluster_members") -> List[Tuple[str, int]]:
    """Parse one member address.

    Returns ``[(host, port)]``, or the three default ports of ``host`` when no port is
    given. Raises ``TypeError`` when ``text`` is not a str and ``ValueError`` (naming
    ``option`` and the entry) for an empty entry, a malformed host name or IP literal,
    or a port that is not a number in 1..65535.
    """
    if not isinstance(text, str):
        raise TypeError("%s entries must be str like '127.0.0.1:5701', got %r" % (option, text))
    if type(text) is not str:  # a str subclass may compare or hash unlike its text: no cache
        return _parse(text, option)
    known = _parsed.get((text, option))
    if known is None:
        known = _parse(text, option)
        if len(_parsed) >= _PARSED_MAX:
            _parsed.clear()
        _parsed[(text, option)] = known
    return list(known)


#: Entries parsed already (a client is often made many times with the same members), with
#: the option each was checked for: the text is a str, the result a new list each time.
_parsed: Dict[Tuple[str, str], List[Tuple[str, int]]] = {}
_PARSED_MAX = 1024


def _parse(text: str, option: str) -> List[Tuple[str, int]]:
    """:func:`parse_address` without the cache; raises as it does."""
    entry = text.strip()
    if not entry:
        raise ValueError("%s has an empty address" % option)
    port_text = None
    if entry.startswith("["):
        end = entry.find("]")
        if end < 0:
            raise ValueError("%s: %r has '[' without the closing ']'" % (option, text))
        host = entry[1:end]
        rest = entry[end + 1 :]
        if rest:
            if not rest.startswith(":"):
                raise ValueError("%s: %r has %r after the IPv6 address; expected ':port'" % (option, text, rest))
            port_text = rest[1:]
        _check_ipv6(host, text, option)
    elif entry.count(":") == 1:
        host, port_text = entry.split(":")
        check_host(host, text, option)
    elif ":" in entry:
        host = entry  # a bare IPv6 literal, default ports
        _check_ipv6(host, text, option)
    else:
        host = entry
        check_host(host, text, option)
    if port_text is None:
        return [(host, DEFAULT_PORT + i) for i in range(PORT_TRY_COUNT)]
    return [(host, _port(port_text, text, option))]


def check_host(host: str, text: str, option: str) -> None:
    """Raise ``ValueError`` naming ``option`` unless ``host`` is an IPv4 literal or a valid host name."""
    if not host:
        raise ValueError("%s: host of %r is empty" % (option, text))
    if _DOTTED_NUMBERS.match(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ValueError("%s: %r is not a valid IPv4 address (in %r)" % (option, host, text)) from None
        return
    name = host[:-1] if host.endswith(".") else host
    if len(name) > 253:
        raise ValueError("%s: host name %r is longer than 253 characters (in %r)" % (option, host, text))
    for label in name.split("."):
        if not label:
            problem = "an empty label"
        elif not label.isascii():
            try:
                encoded = label.encode("idna").decode("ascii")
            except UnicodeError:
                encoded = ""
            problem = "" if _LABEL.match(encoded) else "the label %r" % label
        else:
            problem = "" if _LABEL.match(label) else "the label %r" % label
        if problem:
            raise ValueError(
                "%s: host name %r has %s (in %r); labels are 1-63 letters, digits, '-' or '_'"
                % (option, host, problem, text)
            )


def _check_ipv6(host: str, text: str, option: str) -> None:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        raise ValueError("%s: %r is not a valid IPv6 address (in %r)" % (option, host, text)) from None


def _port(port_text: str, text: str, option: str) -> int:
    if not _PORT.match(port_text):
        raise ValueError("%s: port of %r is not a number" % (option, text))
    number = int(port_text)
    if not 0 < number < 65536:
        raise ValueError("%s: port of %r is out of range 1-65535" % (option, text))
    return number
