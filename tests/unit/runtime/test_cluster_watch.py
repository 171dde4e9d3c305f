"""ClusterService.watch_members: observers run where the member list changes, before the listeners hear of it."""

import logging
import uuid

from hzgreen.handlers.threading import SequentialThreadingHandler
from hzgreen.protocol.custom import Address, MemberInfo, MemberVersion
from hzgreen.runtime.cluster import ClusterService


def member(port):
    return MemberInfo(Address("127.0.0.1", port), uuid.uuid4(), False, {}, MemberVersion(5, 4, 0))


class RecordingHandler(SequentialThreadingHandler):
    def __init__(self):
        super().__init__()
        self.dispatched = []

    def dispatch_callback(self, func, *args, **kwargs):
        self.dispatched.append((func, args))


def test_observers_run_once_per_change_and_see_the_new_list():
    handler = RecordingHandler()
    cluster = ClusterService(handler)
    seen = []
    cluster.watch_members(lambda: seen.append((len(cluster.get_members()), len(handler.dispatched))))
    cluster.add_listener(lambda m: None)
    a, b = member(5701), member(5702)
    cluster.handle_members_view(1, [a, b])
    cluster.handle_members_view(1, [a, b])  # not newer: no change
    cluster.handle_members_view(2, [a, b])  # newer, same members: no change
    cluster.handle_members_view(3, [a])
    assert seen == [(2, 0), (1, 2)]


def test_a_failing_observer_is_logged_and_the_others_still_run(caplog):
    cluster = ClusterService(RecordingHandler())
    ran = []

    def broken():
        raise RuntimeError("observer bug")

    cluster.watch_members(broken)
    cluster.watch_members(lambda: ran.append(True))
    with caplog.at_level(logging.ERROR, logger="hzgreen.runtime.cluster"):
        events = cluster.handle_members_view(1, [member(5701)])
    assert len(events) == 1 and ran == [True]
    assert "member list observer" in caplog.text
    assert cluster.wait_initial_member_list(0)
