package hzgreen.mapx;

import com.hazelcast.map.EventJournalMapEvent;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.function.Function;

/** Turns a journal event into the string {@code "<type> <key>=<new value>"}. */
public class KeyValueProjection
        implements Function<EventJournalMapEvent<Object, Object>, Object>, IdentifiedDataSerializable {

    @Override
    public Object apply(EventJournalMapEvent<Object, Object> event) {
        return event.getType() + " " + event.getKey() + "=" + event.getNewValue();
    }

    @Override
    public int getFactoryId() {
        return MapxDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return MapxDataSerializableFactory.KEY_VALUE_PROJECTION;
    }

    @Override
    public void writeData(ObjectDataOutput out) {
    }

    @Override
    public void readData(ObjectDataInput in) {
    }
}
