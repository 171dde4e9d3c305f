"""What the snippet test does with each ```python block of the official documentation.

``CATALOG`` maps a snippet's number (its position in the document, the ``NNN`` of
``snippets/NNN_<section>.py``) to an :class:`Entry`:

* ``runs``: the snippet runs unchanged. A fragment (a snippet that uses ``client`` or a
  name an earlier snippet of the same section defines) runs after a ``prelude`` made of
  the documentation's own lines: the standard client line of section 1.4.2
  (``client = hazelcast.HazelcastClient()``), the earlier snippets it continues
  (``after``), or, written out in ``prelude``, the one-line definitions its prose implies.
* ``cannot``: it cannot run against a Community 5.4 member; ``reason`` says why.

Snippets never change, except that ``import hazelcast`` / ``from hazelcast...`` become
``hzgreen.compat`` and every client is pointed at the test member (address and cluster
name); the runner (``test_compat_snippets.py``) does both from the outside.
"""

from __future__ import annotations

from typing import Dict, NamedTuple, Tuple

CLIENT = "import hazelcast\nclient = hazelcast.HazelcastClient()\n"
IMPORT = "import hazelcast\n"


class Entry(NamedTuple):
    """One snippet: ``status`` is "runs" or "cannot"; ``prelude`` runs first, then the
    snippets numbered in ``after``; ``reason`` explains a "cannot" or an unusual prelude;
    ``expect`` are texts its output must contain (what the documentation says it prints)."""

    status: str
    prelude: str = ""
    after: Tuple[int, ...] = ()
    reason: str = ""
    expect: Tuple[str, ...] = ()


def runs(prelude: str = "", after: Tuple[int, ...] = (), reason: str = "", expect: Tuple[str, ...] = ()) -> Entry:
    """Returns an Entry for a snippet that runs."""
    return Entry("runs", prelude, after, reason, expect)


def cannot(reason: str) -> Entry:
    """Returns an Entry for a snippet that cannot run, and why."""
    return Entry("cannot", reason=reason)


PLACEHOLDER_MODULE = "imports a placeholder module the documentation does not provide"
TLS = "needs a TLS-enabled member: TLS is Enterprise-only on 5.4 (and the certificate files of the example)"

CATALOG: Dict[int, Entry] = {
    1: runs(reason="placeholder address and cluster name, replaced by the test member's"),
    2: runs(),
    3: runs(reason="placeholder cluster name, replaced by the test member's"),
    4: runs(reason="placeholder address, replaced by the test member's"),
    5: runs(),
    6: runs(expect=("Alice is in IT department",)),
    7: runs(),
    8: runs(CLIENT + "import time\npersonnel_map = client.get_map('personnel-map')\n"),
    9: runs(CLIENT),
    10: runs(CLIENT, after=(9,)),
    11: runs(IMPORT),
    12: runs(),
    13: runs(after=(12,)),
    14: runs(IMPORT, after=(12, 13)),
    15: runs(),
    16: runs(after=(15,)),
    17: runs(IMPORT, after=(15, 16)),
    18: runs(IMPORT),
    19: runs(),
    20: runs(),
    21: runs(after=(20,)),
    22: runs(IMPORT, after=(20, 21)),
    23: runs(
        CLIENT + "from hazelcast.core import HazelcastJsonValue\njson_map = client.get_map('json-map').blocking()\n"
    ),
    24: runs(
        CLIENT + "from hazelcast.serialization.predicate import is_less_than_or_equal_to\n"
        "from hazelcast.core import HazelcastJsonValue\njson_map = client.get_map('json-map').blocking()\n",
        after=(23,),
        reason="uses the 4.0 predicate name is_less_than_or_equal_to (hazelcast.serialization.predicate)",
        expect=("Retrieved 1 values whose age is less than 6.", 'Entry is {"age": 4}'),
    ),
    25: cannot(PLACEHOLDER_MODULE + " (some_third_party_serializer)"),
    26: cannot("continues snippet 25 (GlobalSerializer needs some_third_party_serializer)"),
    27: runs(IMPORT, reason="example addresses replaced by the test member's"),
    28: runs(IMPORT, reason="example addresses replaced by the test member's"),
    29: runs(IMPORT),
    30: runs(IMPORT),
    31: runs(IMPORT),
    32: cannot("needs a Hazelcast Cloud (Viridian) discovery token"),
    33: runs(IMPORT),
    34: runs(IMPORT),
    35: runs(IMPORT),
    36: runs(IMPORT, reason="example address replaced by the test member's"),
    37: runs(CLIENT),
    38: runs(CLIENT),
    39: runs(CLIENT),
    40: runs(CLIENT, expect=("value1",)),
    41: runs(CLIENT, expect=("value for key = value",)),
    42: runs(CLIENT, expect=("yet-another-item",)),
    43: runs(CLIENT, expect=("item1", "item2", "item3")),
    44: runs(CLIENT, expect=("Removed: item1", "Current size is 1")),
    45: runs(CLIENT, expect=("100\n200\n",)),
    46: runs(CLIENT),
    47: runs(CLIENT),
    48: runs(CLIENT),
    49: runs(CLIENT, expect=("ID:",)),
    50: runs(IMPORT),
    51: runs(CLIENT, expect=("Value: 0", "CAS operation result: True")),
    52: cannot("latch.await(1) is a SyntaxError on Python 3.7+ (await is a keyword; the method is await_latch)"),
    53: runs(CLIENT, expect=("Value: 42", "CAS result: True")),
    54: runs(CLIENT),
    55: runs(CLIENT, after=(54,)),
    56: runs(CLIENT),
    57: runs(IMPORT),
    58: runs(IMPORT, after=(57,)),
    59: runs(CLIENT + "customer_map = client.get_map('customers')\n"),
    60: runs(CLIENT + "customer_map = client.get_map('customers')\n"),
    61: runs(),
    62: cannot("the entry processor (factory 5, class 1) must be a Java class on the member's classpath"),
    63: runs(),
    64: runs(
        CLIENT, reason="uses the 4.0 module hazelcast.serialization.predicate and names is_equal_to, is_less_than"
    ),
    65: runs(CLIENT, reason="uses the 4.0 module hazelcast.serialization.predicate"),
    66: runs(CLIENT, reason="uses the 4.0 module hazelcast.serialization.predicate", expect=("23",)),
    67: runs(CLIENT, reason="uses the 4.0 name is_greater_than_or_equal_to"),
    68: runs(
        CLIENT + "from hazelcast.core import HazelcastJsonValue\n"
        "from hazelcast.serialization.predicate import is_less_than\n"
    ),
    69: runs(
        CLIENT + "from hazelcast.serialization.predicate import is_equal_to\n"
        "departments = client.get_map('departments').blocking()\n"
    ),
    70: runs(IMPORT),
    71: runs(IMPORT + "from hazelcast.config import InMemoryFormat, EvictionPolicy\n"),
    72: runs(IMPORT),
    73: runs(IMPORT),
    74: runs(),
    75: cannot(PLACEHOLDER_MODULE + " (some_package.log, referenced by the logging configuration)"),
    76: runs(IMPORT),
    77: runs(IMPORT),
    78: runs(IMPORT),
    79: cannot(TLS),
    80: cannot(TLS),
    81: runs(IMPORT, reason="an SSL option without ssl_enabled=True configures nothing, as in the official client"),
    82: runs(IMPORT, reason="an SSL option without ssl_enabled=True configures nothing, as in the official client"),
    83: runs(IMPORT, reason="an SSL option without ssl_enabled=True configures nothing, as in the official client"),
    84: runs(IMPORT, reason="an SSL option without ssl_enabled=True configures nothing, as in the official client"),
    85: runs(IMPORT, reason="an SSL option without ssl_enabled=True configures nothing, as in the official client"),
    86: runs(IMPORT, reason="an SSL option without ssl_enabled=True configures nothing, as in the official client"),
}
