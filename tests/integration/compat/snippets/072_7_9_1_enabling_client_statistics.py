client = hazelcast.HazelcastClient(
    statistics_enabled=True,
    statistics_period=4
)
