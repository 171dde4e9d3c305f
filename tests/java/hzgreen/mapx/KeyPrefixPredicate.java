package hzgreen.mapx;

import com.hazelcast.map.EventJournalMapEvent;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.function.Predicate;

/** Keeps the journal events whose key is a string starting with {@code prefix}. */
public class KeyPrefixPredicate implements Predicate<EventJournalMapEvent<Object, Object>>, IdentifiedDataSerializable {
    private String prefix;

    @Override
    public boolean test(EventJournalMapEvent<Object, Object> event) {
        Object key = event.getKey();
        return key instanceof String && ((String) key).startsWith(prefix);
    }

    @Override
    public int getFactoryId() {
        return MapxDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return MapxDataSerializableFactory.KEY_PREFIX_PREDICATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(prefix);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        prefix = in.readString();
    }
}
