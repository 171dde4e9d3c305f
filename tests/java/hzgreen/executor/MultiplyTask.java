package hzgreen.executor;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.concurrent.Callable;

/** Task 66/2: returns left * right (Java longs). */
public class MultiplyTask implements Callable<Long>, IdentifiedDataSerializable {
    private long left;
    private long right;

    @Override
    public Long call() {
        return left * right;
    }

    @Override
    public int getFactoryId() {
        return ExecutorTaskFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ExecutorTaskFactory.MULTIPLY_TASK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeLong(left);
        out.writeLong(right);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        left = in.readLong();
        right = in.readLong();
    }
}
