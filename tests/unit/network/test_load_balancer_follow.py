"""The built-in load balancers follow the client's member list where it changes, without the callback worker."""

import uuid

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.network.load_balancer import RandomLB, RoundRobinLB
from hzgreen.protocol.custom import Address, MemberInfo, MemberVersion
from hzgreen.runtime.cluster import ClusterService


def member(port):
    return MemberInfo(Address("127.0.0.1", port), uuid.uuid4(), False, {}, MemberVersion(5, 4, 0))


class RecordingHandler(SequentialThreadingHandler):
    """Never started: a callback dispatched to the worker is only recorded."""

    def __init__(self):
        super().__init__()
        self.dispatched = []

    def dispatch_callback(self, func, *args, **kwargs):
        self.dispatched.append(func)


def test_round_robin_sees_every_view_change_at_once():
    handler = RecordingHandler()
    cluster = ClusterService(handler)
    balancer = RoundRobinLB()
    balancer.init(cluster)
    assert balancer.next() is None
    a, b = member(5701), member(5702)
    cluster.handle_members_view(1, [a, b])
    assert {balancer.next().uuid, balancer.next().uuid} == {a.uuid, b.uuid}
    cluster.handle_members_view(2, [b])
    assert balancer.next() is b
    assert handler.dispatched == []


def test_random_lb_starts_from_the_present_members():
    cluster = ClusterService(RecordingHandler())
    a = member(5701)
    cluster.handle_members_view(1, [a])
    balancer = RandomLB()
    balancer.init(cluster)
    assert balancer.next() is a


def test_a_subclass_with_its_own_refresh_keeps_membership_listeners():
    class Counting(RoundRobinLB):
        def __init__(self):
            super().__init__()
            self.refreshed = 0

        def _refresh(self, _member):
            self.refreshed += 1
            super()._refresh(_member)

    handler = RecordingHandler()
    cluster = ClusterService(handler)
    balancer = Counting()
    balancer.init(cluster)
    cluster.handle_members_view(1, [member(5701)])
    assert handler.dispatched == [balancer._refresh]


def test_a_source_without_watch_members_is_followed_through_listeners():
    class Source:
        def __init__(self):
            self.listeners = []

        def get_members(self):
            return [member(5701)]

        def add_listener(self, member_added=None, member_removed=None, fire_for_existing=False):
            self.listeners.append((member_added, member_removed, fire_for_existing))

    source = Source()
    balancer = RoundRobinLB()
    balancer.init(source)
    assert len(source.listeners) == 1 and source.listeners[0][2] is True
    assert balancer.next() is not None
