package hzgreen.interop;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/** Entry processor 1/2: sets the entry's value to {@code value} and returns the previous value. */
public class SetValueProcessor implements EntryProcessor<Object, Object, Object>, IdentifiedDataSerializable {
    private Object value;

    @Override
    public Object process(Map.Entry<Object, Object> entry) {
        Object previous = entry.getValue();
        entry.setValue(value);
        return previous;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.SET_VALUE_PROCESSOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeObject(value);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        value = in.readObject();
    }
}
