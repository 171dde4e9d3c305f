client = hazelcast.HazelcastClient(
    ssl_password="keyfile-password"
)
