client = hazelcast.HazelcastClient(
    redo_operation=False
)
