client = hazelcast.HazelcastClient(
    global_serializer=GlobalSerializer
)
