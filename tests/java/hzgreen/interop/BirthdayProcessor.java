package hzgreen.interop;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.nio.serialization.genericrecord.GenericRecord;
import com.hazelcast.nio.serialization.genericrecord.GenericRecordBuilder;

import java.io.IOException;
import java.util.Map;

/**
 * Entry processor 1/6 over Compact "Person" values (no Java class: the member sees a
 * GenericRecord): stores a new Compact "Person" with the name upper-cased, age + 1 and a
 * field "greeted" the Python writer never had (a schema only Java knows), and returns the
 * old age.
 */
public class BirthdayProcessor implements EntryProcessor<Object, GenericRecord, Integer>, IdentifiedDataSerializable {
    @Override
    public Integer process(Map.Entry<Object, GenericRecord> entry) {
        GenericRecord person = entry.getValue();
        int age = person.getInt32("age");
        entry.setValue(GenericRecordBuilder.compact("Person")
                .setString("name", person.getString("name").toUpperCase())
                .setInt32("age", age + 1)
                .setBoolean("greeted", true)
                .build());
        return age;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.BIRTHDAY_PROCESSOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
    }
}
