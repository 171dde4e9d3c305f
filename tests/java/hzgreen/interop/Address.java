package hzgreen.interop;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Objects;

/** IdentifiedDataSerializable 1/1: a street and a house number (hzgreen tests: Python Address). */
public class Address implements IdentifiedDataSerializable {
    public String street;
    public int number;

    public Address() {
    }

    public Address(String street, int number) {
        this.street = street;
        this.number = number;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.ADDRESS;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(street);
        out.writeInt(number);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        street = in.readString();
        number = in.readInt();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address && Objects.equals(street, ((Address) o).street) && number == ((Address) o).number;
    }

    @Override
    public int hashCode() {
        return Objects.hash(street, number);
    }
}
