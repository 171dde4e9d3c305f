package hzgreen.interop;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Factory 1 of the hzgreen interop tests (registered in the member's serialization config). */
public class InteropDataSerializableFactory implements DataSerializableFactory {
    public static final int FACTORY_ID = 1;
    public static final int ADDRESS = 1;
    public static final int SET_VALUE_PROCESSOR = 2;
    public static final int MOVE_ADDRESS_PROCESSOR = 3;
    public static final int VALUE_COMPARATOR = 4;
    public static final int RAISE_PROCESSOR = 5;
    public static final int BIRTHDAY_PROCESSOR = 6;
    public static final int COLLECTION_PROCESSOR = 7;

    @Override
    public IdentifiedDataSerializable create(int classId) {
        switch (classId) {
            case ADDRESS:
                return new Address();
            case SET_VALUE_PROCESSOR:
                return new SetValueProcessor();
            case MOVE_ADDRESS_PROCESSOR:
                return new MoveAddressProcessor();
            case VALUE_COMPARATOR:
                return new ValueComparator();
            case RAISE_PROCESSOR:
                return new RaiseProcessor();
            case BIRTHDAY_PROCESSOR:
                return new BirthdayProcessor();
            case COLLECTION_PROCESSOR:
                return new CollectionProcessor();
            default:
                return null;
        }
    }
}
