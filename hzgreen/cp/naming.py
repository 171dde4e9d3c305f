"""Names of CP objects: ``"object"`` or ``"object@group"``, and the CP service names.

A CP data structure lives in a CP group. Users name it ``"jobs"`` (the DEFAULT group)
or ``"jobs@batch"`` (the group ``batch``, created on the cluster on first use). The
member resolves the group from the *proxy name* (the name with its ``@group`` part);
every later call carries the group id plus the *object name* (without ``@group``).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "DEFAULT_GROUP_NAME",
    "METADATA_GROUP_NAME",
    "ATOMIC_LONG_SERVICE",
    "ATOMIC_REFERENCE_SERVICE",
    "COUNT_DOWN_LATCH_SERVICE",
    "LOCK_SERVICE",
    "SEMAPHORE_SERVICE",
    "CPName",
    "parse_name",
]

DEFAULT_GROUP_NAME = "default"
METADATA_GROUP_NAME = "metadata"

# Service names the member knows the CP structures by (used by destroyCPObject).
ATOMIC_LONG_SERVICE = "hz:raft:atomicLongService"
ATOMIC_REFERENCE_SERVICE = "hz:raft:atomicRefService"
COUNT_DOWN_LATCH_SERVICE = "hz:raft:countDownLatchService"
LOCK_SERVICE = "hz:raft:lockService"
SEMAPHORE_SERVICE = "hz:raft:semaphoreService"


class CPName(NamedTuple):
    """A parsed CP object name.

    ``proxy_name`` is what createCPGroup and getSemaphoreType receive (``"obj@group"``,
    or ``"obj"`` for the DEFAULT group); ``object_name`` is what data-structure calls
    carry; ``group_name`` is ``"default"`` for the DEFAULT group.
    """

    proxy_name: str
    object_name: str
    group_name: str

    @property
    def is_default_group(self) -> bool:
        """True for an object of the DEFAULT CP group."""
        return self.group_name == DEFAULT_GROUP_NAME


def parse_name(name: str) -> CPName:
    """Split ``"object"`` / ``"object@group"`` into a :class:`CPName`.

    Surrounding whitespace is ignored, a group named ``default`` (any case) means the
    DEFAULT group, the ``METADATA`` group is refused, and ``@`` may appear once.
    """
    if not isinstance(name, str):
        raise TypeError("a CP object name must be a str, got %r" % (name,))
    text = name.strip()
    if not text:
        raise ValueError("a CP object name must not be empty")
    if text.count("@") > 1:
        raise ValueError("a CP object name may name its group once (one '@'), got %r" % (name,))
    object_name, at, group_name = text.partition("@")
    if not at:
        return CPName(text, text, DEFAULT_GROUP_NAME)
    object_name = object_name.strip()
    group_name = group_name.strip()
    if not object_name:
        raise ValueError("the object part of %r is empty" % (name,))
    if not group_name:
        raise ValueError("the group part of %r is empty" % (name,))
    lowered = group_name.lower()
    if lowered == DEFAULT_GROUP_NAME:
        return CPName(object_name, object_name, DEFAULT_GROUP_NAME)
    if lowered == METADATA_GROUP_NAME:
        raise ValueError("CP data structures cannot live in the METADATA group (%r)" % (name,))
    return CPName("%s@%s" % (object_name, group_name), object_name, group_name)
