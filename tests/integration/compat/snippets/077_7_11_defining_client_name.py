client = hazelcast.HazelcastClient(
    client_name="blue_client_0"
)
