package hzgreen.mapx;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Factory 1100 of the Map interceptor and event journal tests. */
public class MapxDataSerializableFactory implements DataSerializableFactory {
    public static final int FACTORY_ID = 1100;
    public static final int UPPER_CASE_INTERCEPTOR = 1;
    public static final int KEY_PREFIX_PREDICATE = 2;
    public static final int KEY_VALUE_PROJECTION = 3;

    @Override
    public IdentifiedDataSerializable create(int classId) {
        switch (classId) {
            case UPPER_CASE_INTERCEPTOR:
                return new UpperCaseInterceptor();
            case KEY_PREFIX_PREDICATE:
                return new KeyPrefixPredicate();
            case KEY_VALUE_PROJECTION:
                return new KeyValueProjection();
            default:
                return null;
        }
    }
}
