"""Distributed objects without a member: the proxy built for each service, argument checks, events."""

import uuid

import pytest

import hzgreen.client  # noqa: F401  (loads every proxy class the client offers)
from hzgreen.protocol.codecs import client as client_codec
from hzgreen.protocol.custom import DistributedObjectInfo
from hzgreen.proxy import distributed_objects as dobj
from hzgreen.proxy.manager import ProxyManager
from hzgreen.proxy.map import Map
from hzgreen.proxy.queue import Queue
from hzgreen.proxy.replicated_map import ReplicatedMap
from tests.unit.proxy.fakes import make_context

WAIT = 10


class AnsweringInvocations:
    """Answers GetDistributedObjects with ``objects``; records every request."""

    def __init__(self, objects):
        self.objects = objects
        self.sent = []

    def invoke(self, invocation):
        self.sent.append(invocation.request.get_message_type())
        if invocation.request.get_message_type() == client_codec.GET_DISTRIBUTED_OBJECTS_REQUEST_TYPE:
            response = client_codec.encode_get_distributed_objects_response(self.objects)
            invocation.future.set(invocation.response_handler(response))
        else:
            invocation.future.set(None)


@pytest.fixture
def context(handler):
    context = make_context(handler, invocations=AnsweringInvocations([]))
    context.proxies = ProxyManager(context)
    return context


def test_proxy_classes_know_the_client_structures():
    classes = dobj.proxy_classes()
    assert classes["hz:impl:mapService"] is Map
    assert classes["hz:impl:queueService"] is Queue
    assert classes["hz:impl:replicatedMapService"] is ReplicatedMap
    assert all(service for service in classes)
    assert dobj.DistributedObject not in classes.values()


def test_known_services_become_their_proxies_without_creating_anything(context):
    context.invocations.objects = [
        DistributedObjectInfo("hz:impl:mapService", "users"),
        DistributedObjectInfo("hz:impl:replicatedMapService", "config"),
        DistributedObjectInfo("hz:impl:cardinalityEstimatorService", "visitors"),
    ]
    cached = context.proxies.get_or_create(Map, "users")
    context.invocations.sent.clear()
    objects = dobj.get_distributed_objects(context)
    assert context.invocations.sent == [client_codec.GET_DISTRIBUTED_OBJECTS_REQUEST_TYPE]
    users, config, visitors = objects
    assert users is cached
    assert isinstance(config, ReplicatedMap) and config.name == "config"
    assert context.proxies.get_or_create(ReplicatedMap, "config") is config
    assert isinstance(visitors, dobj.DistributedObject)
    assert (visitors.name, visitors.service_name) == ("visitors", "hz:impl:cardinalityEstimatorService")
    assert visitors == dobj.DistributedObject("visitors", "hz:impl:cardinalityEstimatorService", context)
    assert "cardinalityEstimatorService" in repr(visitors)


def test_generic_object_destroy_sends_destroy_proxy(context):
    obj = dobj.DistributedObject("visitors", "hz:impl:cardinalityEstimatorService", context)
    assert obj.destroy() is True
    assert context.invocations.sent == [client_codec.DESTROY_PROXY_REQUEST_TYPE]


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda c: dobj.add_distributed_object_listener(c, None), ValueError, "listener_func must not be None"),
        (lambda c: dobj.add_distributed_object_listener(c, "f"), TypeError, "listener_func must be callable"),
        (lambda c: dobj.remove_distributed_object_listener(c, None), ValueError, "registration_id"),
        (lambda c: dobj.remove_distributed_object_listener(c, 7), TypeError, "registration_id"),
    ],
)
def test_bad_arguments_raise_before_anything_is_sent(context, call, error, words):
    with pytest.raises(error, match=words):
        call(context)
    assert context.listeners.registered == [] and context.listeners.deregistered == []
    assert context.invocations.sent == []


def test_events_are_delivered_on_the_callback_worker(context, handler):
    seen = []
    done = handler.event_object()

    def listener(event):
        seen.append((event, handler.in_callback_worker()))
        if len(seen) == 3:
            done.set()

    registration_id = dobj.add_distributed_object_listener(context, listener)
    [(codec, on_event)] = context.listeners.registered
    assert client_codec.decode_add_distributed_object_listener_request(codec.encode_add(True))["local_only"] is True
    client_uuid = uuid.uuid4()
    encode = client_codec.encode_add_distributed_object_listener_distributed_object_event
    on_event(encode("users", "hz:impl:mapService", "CREATED", client_uuid))
    on_event(encode("users", "hz:impl:mapService", "DESTROYED", context.member.uuid))
    on_event(encode("users", "hz:impl:mapService", "RENAMED", client_uuid))
    assert done.wait(WAIT)
    (created, w1), (destroyed, w2), (unknown, w3) = seen
    assert w1 and w2 and w3
    assert created.event_type is dobj.DistributedObjectEventType.CREATED and created.event_type == "CREATED"
    assert (created.name, created.service_name, created.source, created.member) == (
        "users",
        "hz:impl:mapService",
        client_uuid,
        None,
    )
    assert destroyed.event_type is dobj.DistributedObjectEventType.DESTROYED
    assert destroyed.member is context.member
    assert unknown.event_type == "RENAMED"
    assert "CREATED" in repr(created)
    assert dobj.remove_distributed_object_listener(context, registration_id) is True
    assert context.listeners.deregistered == [registration_id]
