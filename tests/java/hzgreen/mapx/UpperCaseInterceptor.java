package hzgreen.mapx;

import com.hazelcast.map.MapInterceptor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;

/** Stores string values upper-cased and prefixes the strings it reads back with {@code prefix}. */
public class UpperCaseInterceptor implements MapInterceptor, IdentifiedDataSerializable {
    private String prefix = "";

    @Override
    public Object interceptGet(Object value) {
        return value instanceof String ? prefix + value : null;
    }

    @Override
    public void afterGet(Object value) {
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
        return newValue instanceof String ? ((String) newValue).toUpperCase() : null;
    }

    @Override
    public void afterPut(Object value) {
    }

    @Override
    public Object interceptRemove(Object removedValue) {
        return null;
    }

    @Override
    public void afterRemove(Object value) {
    }

    @Override
    public int getFactoryId() {
        return MapxDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return MapxDataSerializableFactory.UPPER_CASE_INTERCEPTOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(prefix);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        prefix = in.readString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpperCaseInterceptor && prefix.equals(((UpperCaseInterceptor) o).prefix);
    }

    @Override
    public int hashCode() {
        return prefix.hashCode();
    }
}
