client = hazelcast.HazelcastClient(
    labels=[
        "role admin",
        "region foo"
    ]
)
