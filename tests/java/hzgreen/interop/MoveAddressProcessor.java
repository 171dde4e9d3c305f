package hzgreen.interop;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/**
 * Entry processor 1/3 over Address values: reads the Address Python wrote, stores a new
 * one (street upper-cased, number + delta) and returns the old one.
 */
public class MoveAddressProcessor implements EntryProcessor<Object, Address, Address>, IdentifiedDataSerializable {
    private int delta;

    @Override
    public Address process(Map.Entry<Object, Address> entry) {
        Address old = entry.getValue();
        if (old == null) {
            return null;
        }
        entry.setValue(new Address(old.street.toUpperCase(), old.number + delta));
        return old;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.MOVE_ADDRESS_PROCESSOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(delta);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        delta = in.readInt();
    }
}
