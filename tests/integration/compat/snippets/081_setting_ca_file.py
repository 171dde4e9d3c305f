client = hazelcast.HazelcastClient(
    ssl_cafile="/home/hazelcast/cafile.pem"
)
