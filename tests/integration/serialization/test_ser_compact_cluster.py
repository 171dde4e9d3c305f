"""Compact schemas on a real cluster: sent before use, fetched on demand, re-sent to a new cluster."""

from official_twins import Point, PointSerializer

from hzgreen import HzState
from hzgreen import predicate as p
from hzgreen.serialization import FieldKind, GenericRecord


def person(name, age):
    return GenericRecord("Person", {"name": (FieldKind.STRING, name), "age": (FieldKind.INT32, age)})


def test_unknown_type_reads_as_generic_record_in_every_read_path(hz_client_factory, unique_name):
    writer = hz_client_factory(compact_serializers=[PointSerializer()])
    m = writer.get_map(unique_name)
    m.put_all({i: Point(i, -i, "p%d" % i) for i in range(20)})
    reader = hz_client_factory().get_map(unique_name)  # never saw the schema, has no class
    record = reader.get(3)  # response handler path
    assert isinstance(record, GenericRecord) and record.to_dict() == {"label": "p3", "x": 3, "y": -3}
    assert sorted(r["x"] for r in reader.values(p.greater("x", 15))) == [16, 17, 18, 19]
    with reader.iterate(page_size=3) as cursor:  # iterating thread path
        assert sorted(v["x"] for _, v in cursor) == list(range(20))
    assert reader.get_async(4).result(10)["label"] == "p4"


def test_generic_record_written_back_is_read_by_the_class(hz_client_factory, unique_name):
    writer = hz_client_factory(compact_serializers=[PointSerializer()])
    writer.get_map(unique_name).put("a", Point(1, 2, "x"))
    generic = hz_client_factory().get_map(unique_name)
    record = generic.get("a")
    generic.put("b", record)  # same schema, written by a client without class
    generic.put(
        "c",
        GenericRecord(
            "Point", {"x": (FieldKind.INT32, 9), "y": (FieldKind.INT32, 8), "label": (FieldKind.STRING, None)}
        ),
    )
    typed_map = writer.get_map(unique_name)
    assert typed_map.get("b") == Point(1, 2, "x") and typed_map.get("c") == Point(9, 8, None)


def test_member_queries_compact_fields_and_new_schemas_are_sent_first(hz_client, unique_name):
    m = hz_client.get_map(unique_name)
    m.put_all({i: person("n%d" % i, 20 + i) for i in range(10)})  # schema sent by the first put
    assert sorted(m.key_set(p.between("age", 22, 24))) == [2, 3, 4]
    assert m.key_set(p.equal("name", "n7")) == [7]


def test_schemas_are_resent_after_the_client_moves_to_a_new_cluster(
    hz_cluster_factory, hz_client_factory, hz_handler_name, unique_name
):
    cluster = hz_cluster_factory()
    client = hz_client_factory(
        cluster=cluster, compact_serializers=[PointSerializer()], retry_initial_backoff=0.2, retry_max_backoff=0.5
    )
    m = client.get_map(unique_name)
    m.put("before", Point(1, 1, "old cluster"))
    schema_id = client.serialization.compact.schemas()[0].schema_id
    reconnected = client.handler.event_object()
    states = []

    def on_state(state):
        states.append(state)
        if state == HzState.CONNECTED and HzState.LOST in states:
            reconnected.set()

    client.add_listener(on_state)
    cluster.restart_all()  # same addresses, new cluster id, no data
    assert reconnected.wait(60), states
    # a client that never wrote a Point can fetch the schema: the first client re-sent it
    other = hz_client_factory(cluster=cluster)
    outcome = other.handler.async_result()
    other.schemas.fetch(schema_id, lambda error: outcome.set(error))
    assert outcome.get(timeout=30) is None
    assert other.serialization.compact.get_schema(schema_id).type_name == "Point"
    # and new data of that schema is readable and queryable there
    m.put("after", Point(2, 2, "new cluster"))
    assert other.get_map(unique_name).get("after")["label"] == "new cluster"
    assert other.get_map(unique_name).key_set(p.equal("x", 2)) == ["after"]


def test_concurrent_first_writers_share_one_schema_request(hz_client_factory, unique_name):
    client = hz_client_factory(compact_serializers=[PointSerializer()])
    schemas = client.schemas
    sent = []
    real_invoke = schemas._invoke

    def counting_invoke(request, response_handler):
        sent.append(request.get_message_type())
        return real_invoke(request, response_handler)

    schemas._invoke = counting_invoke
    m = client.get_map(unique_name)
    tasks = [client.handler.spawn(m.put, i, Point(i, i, None)) for i in range(50)]
    for task in tasks:
        task.join(60)
    assert m.size() == 50
    assert sent.count(0x001300) == 1  # Client.sendSchema, once for 50 concurrent first writers
    assert sorted(p_.x for p_ in m.values()) == list(range(50))
