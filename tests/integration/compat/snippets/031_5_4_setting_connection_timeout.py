client = hazelcast.HazelcastClient(
    connection_timeout=6.0
)
