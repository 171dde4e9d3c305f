"""A member-list change spawns the member-connecting task only when some member lacks a live connection."""

import uuid

from hzgreen.config import ClientConfig
from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.protocol.custom import Address, MemberInfo, MemberVersion
from hzgreen.runtime.cluster import ClusterService, PartitionService
from hzgreen.runtime.connection_manager import ConnectionManager


class RecordingHandler(SequentialThreadingHandler):
    """Records what would be spawned instead of starting threads."""

    def __init__(self):
        super().__init__()
        self.spawned = []

    def spawn(self, func, *args, **kwargs):
        self.spawned.append(getattr(func, "__name__", func))


class Link:
    def __init__(self, alive=True):
        self.alive = alive


def member(port):
    return MemberInfo(Address("127.0.0.1", port), uuid.uuid4(), False, {}, MemberVersion(5, 4, 0))


def running_manager(smart_routing=True):
    handler = RecordingHandler()
    config = ClientConfig(cluster_members=["127.0.0.1:5701"], cluster_name="dev", smart_routing=smart_routing)
    cluster = ClusterService(handler)
    manager = ConnectionManager(config, handler, None, cluster, PartitionService(), lambda changed: None, lambda: None)
    manager.start(None, wait=False)  # the connect loop is only recorded
    handler.spawned.clear()
    return manager, handler, cluster


def test_no_task_when_every_member_has_a_live_connection():
    manager, handler, cluster = running_manager()
    a = member(5701)
    manager._core.by_member[a.uuid] = Link()
    cluster.handle_members_view(1, [a])
    manager._members_changed()
    assert handler.spawned == []


def test_a_new_or_dead_member_connection_spawns_the_task():
    manager, handler, cluster = running_manager()
    a, b = member(5701), member(5702)
    manager._core.by_member[a.uuid] = Link()
    cluster.handle_members_view(1, [a, b])
    manager._members_changed()
    assert handler.spawned == ["_connect_to_members"]
    handler.spawned.clear()
    manager._core.by_member[b.uuid] = Link(alive=False)
    manager._members_changed()
    assert handler.spawned == ["_connect_to_members"]


def test_nothing_without_smart_routing_or_after_shutdown():
    manager, handler, cluster = running_manager(smart_routing=False)
    cluster.handle_members_view(1, [member(5701)])
    manager._members_changed()
    assert handler.spawned == []
    manager, handler, cluster = running_manager()
    cluster.handle_members_view(1, [member(5701)])
    manager.shutdown()
    manager._members_changed()
    assert handler.spawned == []
