from hazelcast.serialization.api import Portable

class Foo(Portable):    
    def __init__(self, foo=None):
        self.foo = foo
        
    def get_class_id(self):
        return 1
        
    def get_factory_id(self):
        return 1
        
    def write_portable(self, writer):
        writer.write_utf("foo", self.foo)
    
    def read_portable(self, reader):
        self.foo = reader.read_utf("foo")
