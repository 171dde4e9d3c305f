client = hazelcast.HazelcastClient(
    cluster_members=["127.0.0.1:5701"]
)
