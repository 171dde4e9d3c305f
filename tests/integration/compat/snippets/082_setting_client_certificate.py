client = hazelcast.HazelcastClient(
    ssl_certfile="/home/hazelcast/certfile.pem"
)
