"""client.get_distributed_objects and distributed object listeners against a real member, under each handler."""

import pytest

from hzgreen.protocol.codecs import client as client_codec
from hzgreen.proxy.distributed_objects import DistributedObject, DistributedObjectEvent, DistributedObjectEventType
from hzgreen.proxy.queue import Queue
from hzgreen.proxy.replicated_map import ReplicatedMap
from tests.integration.recorders import Recorder

WAIT = 30
ESTIMATOR = "hz:impl:cardinalityEstimatorService"


def create_remote_only(client, name, service_name):
    """Create an object of a service hzgreen has no proxy for (through the raw CreateProxy request)."""
    client._proxies._remote_call(client_codec.encode_create_proxy_request(name, service_name))


def test_get_distributed_objects_lists_proxies(hz_client, hz_client_factory, unique_name):
    m = hz_client.get_map(unique_name + "-map")
    other = hz_client_factory()
    other.get_queue(unique_name + "-queue")
    other.get_replicated_map(unique_name + "-rmap")
    create_remote_only(other, unique_name + "-estimator", ESTIMATOR)

    objects = hz_client.get_distributed_objects()
    mine = {(o.service_name, o.name): o for o in objects if o.name.startswith(unique_name)}
    assert set(mine) == {
        ("hz:impl:mapService", unique_name + "-map"),
        ("hz:impl:queueService", unique_name + "-queue"),
        ("hz:impl:replicatedMapService", unique_name + "-rmap"),
        (ESTIMATOR, unique_name + "-estimator"),
    }
    assert mine["hz:impl:mapService", unique_name + "-map"] is m
    queue = mine["hz:impl:queueService", unique_name + "-queue"]
    assert isinstance(queue, Queue) and hz_client.get_queue(unique_name + "-queue") is queue
    rmap = mine["hz:impl:replicatedMapService", unique_name + "-rmap"]
    assert isinstance(rmap, ReplicatedMap)
    rmap.put("usable", True)
    assert other.get_replicated_map(unique_name + "-rmap").get("usable") is True
    estimator = mine[ESTIMATOR, unique_name + "-estimator"]
    assert type(estimator) is DistributedObject

    estimator.destroy()
    m.destroy()
    left = {(o.service_name, o.name) for o in hz_client.get_distributed_objects()}
    assert (ESTIMATOR, unique_name + "-estimator") not in left
    assert ("hz:impl:mapService", unique_name + "-map") not in left
    assert ("hz:impl:queueService", unique_name + "-queue") in left


def test_listener_sees_creation_and_destruction_by_another_client(
    hz_client, hz_client_factory, hz_handler, unique_name
):
    recorder = Recorder(hz_handler, WAIT)
    registration_id = hz_client.add_distributed_object_listener(listener_func=recorder)
    assert isinstance(registration_id, str)
    other = hz_client_factory()
    m = other.get_map(unique_name)

    def about(kind):
        return lambda e: e.name == unique_name and e.event_type == kind

    [created] = recorder.wait_for(about(DistributedObjectEventType.CREATED), "CREATED event")
    assert isinstance(created, DistributedObjectEvent)
    assert created.service_name == "hz:impl:mapService" and created.event_type == "CREATED"
    assert created.source == other.client_uuid and created.member is None  # a client's request caused it
    m.destroy()
    [destroyed] = recorder.wait_for(about(DistributedObjectEventType.DESTROYED), "DESTROYED event")
    assert destroyed.service_name == "hz:impl:mapService"
    assert all(recorder.on_worker)

    assert hz_client.remove_distributed_object_listener(registration_id) is True
    assert hz_client.remove_distributed_object_listener(registration_id) is False
    marker = Recorder(hz_handler, WAIT)
    hz_client.add_distributed_object_listener(marker)
    other.get_replicated_map(unique_name + "-after")
    marker.wait_for(lambda e: e.name == unique_name + "-after", "event after removal")
    assert not [e for e in recorder.events if e.name == unique_name + "-after"]


def test_own_get_fires_created(hz_client, hz_handler, unique_name):
    recorder = Recorder(hz_handler, WAIT)
    hz_client.add_distributed_object_listener(recorder)
    first = hz_client.get_replicated_map(unique_name)
    assert hz_client.get_replicated_map(unique_name) is first  # cached: nothing sent, no second event
    [created] = recorder.wait_for(lambda e: e.name == unique_name, "CREATED event")
    assert created.service_name == "hz:impl:replicatedMapService"
    assert created.event_type is DistributedObjectEventType.CREATED


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda c: c.add_distributed_object_listener(None), ValueError),
        (lambda c: c.add_distributed_object_listener(42), TypeError),
        (lambda c: c.remove_distributed_object_listener(None), ValueError),
    ],
)
def test_bad_arguments(hz_client, call, error):
    with pytest.raises(error):
        call(hz_client)
