import some_third_party_serializer
from hazelcast.serialization.api import StreamSerializer

class GlobalSerializer(StreamSerializer):
    def get_type_id(self):
        return 20
    
    def destroy(self):
        pass
    
    def write(self, output, obj):
        output.write_utf(some_third_party_serializer.serialize(obj))
    
    def read(self, input):
        return some_third_party_serializer.deserialize(input.read_utf())
