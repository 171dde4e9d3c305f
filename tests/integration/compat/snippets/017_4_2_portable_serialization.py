client = hazelcast.HazelcastClient(
    portable_factories={
        1: factory
    }
)
