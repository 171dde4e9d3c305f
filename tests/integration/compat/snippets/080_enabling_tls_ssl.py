client = hazelcast.HazelcastClient(
    ssl_enabled=True
)
