client = hazelcast.HazelcastClient(
    custom_serializers={
        Musician: MusicianSerializer
    }
)
