import hazelcast

# Connect to Hazelcast cluster
client = hazelcast.HazelcastClient()

client.shutdown()
