client = hazelcast.HazelcastClient(
    smart_routing=True,
)
