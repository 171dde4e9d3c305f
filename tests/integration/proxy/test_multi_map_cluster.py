"""MultiMap on three members: put_all split over every partition owner, listeners hearing
every member, and key locks seen across clients."""

import pytest

pytestmark = pytest.mark.cp3

WAIT = 60


def test_put_all_and_listener_across_members(hz_cluster3, hz_client_factory, unique_name):
    writer = hz_client_factory(cluster=hz_cluster3)
    reader = hz_client_factory(cluster=hz_cluster3)
    handler = reader.handler
    keys = ["key-%d" % i for i in range(120)]
    heard = set()
    all_heard = handler.event_object()

    def on_added(event):
        heard.add(event.key)
        if len(heard) == len(keys):
            all_heard.set()

    watched = reader.get_multi_map(unique_name)
    registration = watched.add_entry_listener(added_func=on_added)
    partitions, to_data = writer._context.partitions, writer._context.serialization.to_data
    owners = {partitions.owner_of(partitions.partition_id_of(to_data(key))) for key in keys}
    assert len(owners) == 3  # the keys live on every member
    writer.get_multi_map(unique_name).put_all({key: [key.upper(), 0] for key in keys})
    assert all_heard.wait(WAIT), sorted(set(keys) - heard)
    assert watched.size() == 2 * len(keys)
    assert sorted(watched.get("key-42"), key=repr) == sorted([0, "KEY-42"], key=repr)
    assert watched.remove_entry_listener(registration) is True


def test_key_lock_is_seen_by_another_client(hz_cluster3, hz_client_factory, unique_name):
    owner = hz_client_factory(cluster=hz_cluster3).get_multi_map(unique_name)
    other = hz_client_factory(cluster=hz_cluster3).get_multi_map(unique_name)
    owner.lock("k")
    assert other.is_locked("k")
    assert other.try_lock("k", timeout=0.2) is False
    owner.unlock("k")
    assert other.try_lock("k", timeout=WAIT) is True
    assert owner.try_lock("k") is False
    other.unlock("k")
