package hzgreen.interop;

import com.hazelcast.nio.serialization.Portable;
import com.hazelcast.nio.serialization.PortableReader;
import com.hazelcast.nio.serialization.PortableWriter;

import java.io.IOException;

/** Portable 2/1: the fields in the same order as the Python Employee of the tests. */
@SuppressWarnings("deprecation")
public class Employee implements Portable {
    public String name;
    public int age;
    public double salary;
    public boolean active;

    @Override
    public int getFactoryId() {
        return InteropPortableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropPortableFactory.EMPLOYEE;
    }

    @Override
    public void writePortable(PortableWriter writer) throws IOException {
        writer.writeString("name", name);
        writer.writeInt("age", age);
        writer.writeDouble("salary", salary);
        writer.writeBoolean("active", active);
    }

    @Override
    public void readPortable(PortableReader reader) throws IOException {
        name = reader.readString("name");
        age = reader.readInt("age");
        salary = reader.readDouble("salary");
        active = reader.readBoolean("active");
    }
}
