package hzgreen.interop;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Comparator;
import java.util.Map;

/** Comparator 1/4 for paging predicates: orders entries by value (Comparable), optionally descending. */
public class ValueComparator implements Comparator<Map.Entry<Object, Object>>, IdentifiedDataSerializable {
    private boolean descending;

    @Override
    @SuppressWarnings("unchecked")
    public int compare(Map.Entry<Object, Object> a, Map.Entry<Object, Object> b) {
        int order = ((Comparable<Object>) a.getValue()).compareTo(b.getValue());
        return descending ? -order : order;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.VALUE_COMPARATOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeBoolean(descending);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        descending = in.readBoolean();
    }
}
