import hazelcast

client = hazelcast.HazelcastClient(
    cluster_members=[
        "some-ip-address:port"
    ], 
    cluster_name="name-of-your-cluster",
)
