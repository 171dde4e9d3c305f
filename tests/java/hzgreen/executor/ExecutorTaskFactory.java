package hzgreen.executor;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Factory 66 of the executor tests (registered in the member's serialization config). */
public class ExecutorTaskFactory implements DataSerializableFactory {
    public static final int FACTORY_ID = 66;
    public static final int MEMBER_ADDRESS_TASK = 1;
    public static final int MULTIPLY_TASK = 2;
    public static final int FAILING_TASK = 3;

    @Override
    public IdentifiedDataSerializable create(int classId) {
        switch (classId) {
            case MEMBER_ADDRESS_TASK:
                return new MemberAddressTask();
            case MULTIPLY_TASK:
                return new MultiplyTask();
            case FAILING_TASK:
                return new FailingTask();
            default:
                return null;
        }
    }
}
