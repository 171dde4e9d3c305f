from hazelcast.serialization.api import Portable

class Foo(Portable):
    def __init__(self, foo=None, foo2=None):
        self.foo = foo  
        self.foo2 = foo2
        
    def get_class_id(self):
        return 1
        
    def get_factory_id(self):
        return 1
        
    def get_class_version(self):
        return 2
        
    def write_portable(self, writer):
        writer.write_utf("foo", self.foo)
        writer.write_utf("foo2", self.foo2)
        
    def read_portable(self, reader):
        self.foo = reader.read_utf("foo")
        self.foo2 = reader.read_utf("foo2")
