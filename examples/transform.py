"""A Python function over a streamed map, the flow of Hazelcast JEX without Jet's Python
runtime: every entry written to "streamed-map" (a map with an event journal) is turned
into another object by a Python function and written to "result-map" under the same key.

Start as many copies of this process as you like: they share the map's partitions. The
member must configure an event journal for "streamed-map" (the hzgreen test harness does
for maps named "streamed*" and "journal*"):

    python -m hzgreen.testing run -- python examples/transform.py
"""

from example_client import example_client

from hzgreen.serialization import CompactSerializer


class SomeThing:
    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "SomeThing(Value=%s)" % self.value


class OtherThing:
    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return "OtherThing(Value=%s)" % self.value


class SomeThingSerializer(CompactSerializer):
    def read(self, reader):
        return SomeThing(reader.read_int32("value"))

    def write(self, writer, thing):
        writer.write_int32("value", thing.value)

    def get_class(self):
        return SomeThing

    def get_type_name(self):
        return "SomeThing"


class OtherThingSerializer(CompactSerializer):
    def read(self, reader):
        return OtherThing(reader.read_string("value"))

    def write(self, writer, thing):
        writer.write_string("value", thing.value)

    def get_class(self):
        return OtherThing

    def get_type_name(self):
        return "OtherThing"


def transform(key, thing):
    """The user code: runs in this process, once per entry written to streamed-map."""
    return OtherThing("__%d__" % thing.value)


def main():
    print("Connect to cluster...")
    with example_client(compact_serializers=[SomeThingSerializer(), OtherThingSerializer()]) as client:
        print("Connected")
        key = "example-key-20"
        results = client.get_map("result-map")
        results.delete(key)  # from an earlier run
        found = client.handler.async_result()
        results.add_entry_listener(include_value=True, key=key, added_func=lambda event: found.set(event.value))
        with client.Transform("streamed-map", "result-map", transform) as worker:
            worker.wait_for_acquire(30)
            print("Add entry to streamed-map: %s = %r" % (key, SomeThing(20)))
            client.get_map("streamed-map").put(key, SomeThing(20))
            print("Added")
            print("wait for entry with key %s to appear in result-map" % key)
            print("Found: %s = %r" % (key, found.get(timeout=30)))
            print("transform metrics: %r" % (worker.metrics(),))


if __name__ == "__main__":
    main()
