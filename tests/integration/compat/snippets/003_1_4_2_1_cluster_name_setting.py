import hazelcast

client = hazelcast.HazelcastClient(
    cluster_name="name-of-your-cluster",
)
