package hzgreen.interop;

import com.hazelcast.nio.serialization.Portable;
import com.hazelcast.nio.serialization.PortableFactory;

/** Portable factory 2 of the hzgreen interop tests. */
@SuppressWarnings("deprecation")
public class InteropPortableFactory implements PortableFactory {
    public static final int FACTORY_ID = 2;
    public static final int EMPLOYEE = 1;

    @Override
    public Portable create(int classId) {
        return classId == EMPLOYEE ? new Employee() : null;
    }
}
