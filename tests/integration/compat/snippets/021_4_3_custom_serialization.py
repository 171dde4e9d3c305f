from hazelcast.serialization.api import StreamSerializer

class MusicianSerializer(StreamSerializer):
    def get_type_id(self):
        return 10
    
    def destroy(self):
        pass
    
    def write(self, output, obj):
        output.write_utf(obj.name)
    
    def read(self, input):
        name = input.read_utf()
        return Musician(name)
