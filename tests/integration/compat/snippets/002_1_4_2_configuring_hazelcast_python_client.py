import hazelcast

client = hazelcast.HazelcastClient()
