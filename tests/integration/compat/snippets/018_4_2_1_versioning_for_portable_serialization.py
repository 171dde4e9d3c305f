client = hazelcast.HazelcastClient(
    portable_version=1
)
