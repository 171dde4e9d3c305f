"""Event journal loss, member-side predicates and projections, against a private member with
3 partitions, a 30-event journal (10 per partition) on maps named "lossy*", and the Java
classes of tests/java/hzgreen/mapx; under each handler."""

import pytest

from hzgreen.proxy.map_listeners import EntryEventType
from tests.integration.private_cluster import keep_workdir, serve
from tests.integration.proxy.mapx_twins import KeyPrefixPredicate, KeyValueProjection, mapx_cluster

WAIT = 30
PER_PARTITION = 10
LOSSY_XML = '<map name="lossy*"><event-journal enabled="true"><capacity>30</capacity></event-journal></map>'

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lossy_member(request):
    cluster = mapx_cluster(
        extra_config_xml=LOSSY_XML,
        properties={"hazelcast.partition.count": 3},
        keep_workdir=keep_workdir(request),
    )
    yield from serve(cluster)


@pytest.fixture
def client(lossy_member, hz_client_factory):
    return hz_client_factory(cluster=lossy_member)


def partition_of(m, key):
    return m.partition_id_of(key)


def test_a_read_from_an_overwritten_sequence_reports_the_loss(client, unique_name):
    m = client.get_map("lossy-" + unique_name)
    pid = partition_of(m, "k")
    for value in range(25):
        m.set("k", value)
    state = m.subscribe_to_event_journal(pid)
    assert (state.oldest_sequence, state.newest_sequence) == (15, 24)
    batch = m.read_from_event_journal(pid, 0, 0, 100)
    assert batch.lost_count == 15
    assert batch.sequences == list(range(15, 25))
    assert [e.new_value for e in batch] == list(range(15, 25))
    assert batch.next_sequence_to_read_from == 25


def test_a_follower_that_fell_behind_reports_lost_events(client, hz_handler, unique_name):
    m = client.get_map("lossy-" + unique_name)
    pid = partition_of(m, "k")
    for value in range(25):
        m.set("k", value)
    got, lost, done = [], [], hz_handler.event_object()

    def on_event(event):
        got.append(event.new_value)
        if event.new_value == 24:
            done.set()

    follower = m.event_journal_reader(on_event, start={pid: 3}, on_lost=lambda *a: lost.append(a))
    try:
        assert done.wait(WAIT)
        assert lost == [(pid, 12, 3)]
        assert got == list(range(15, 25))
        assert follower.lost_count == 12
        assert follower.sequences[pid] == 25
    finally:
        follower.close()


def test_member_side_predicate_and_projection(client, hz_handler, unique_name):
    m = client.get_map("lossy-" + unique_name)
    pid = partition_of(m, "a-1")
    keys = [k for k in ("a-%d" % i for i in range(40)) if partition_of(m, k) == pid][:3]
    others = [k for k in ("b-%d" % i for i in range(40)) if partition_of(m, k) == pid][:3]
    for key in keys + others:
        m.put(key, key.upper())
    start = m.subscribe_to_event_journal(pid).oldest_sequence
    batch = m.read_from_event_journal(pid, start, 0, 100, predicate=KeyPrefixPredicate("a-"))
    assert sorted(e.key for e in batch) == sorted(keys)
    assert all(e.event_type == EntryEventType.ADDED for e in batch)
    assert batch.read_count == len(keys) + len(others)  # the member went through all of them
    projected = m.read_from_event_journal(pid, start, 0, 100, KeyPrefixPredicate("b-"), KeyValueProjection())
    assert sorted(projected) == sorted("ADDED %s=%s" % (k, k.upper()) for k in others)

    got, done = [], hz_handler.event_object()

    def on_event(item):
        got.append(item)
        if len(got) == len(keys):
            done.set()

    with m.event_journal_reader(on_event, predicate=KeyPrefixPredicate("a-"), projection=KeyValueProjection()):
        assert done.wait(WAIT)
    assert sorted(got) == sorted("ADDED %s=%s" % (k, k.upper()) for k in keys)
