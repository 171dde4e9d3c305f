client = hazelcast.HazelcastClient(
    data_serializable_factories={
        1: factory
    }
)
