package hzgreen.executor;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.concurrent.Callable;

/** Task 66/3: throws an IllegalStateException carrying its message. */
public class FailingTask implements Callable<String>, IdentifiedDataSerializable {
    private String message;

    @Override
    public String call() {
        throw new IllegalStateException(message);
    }

    @Override
    public int getFactoryId() {
        return ExecutorTaskFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ExecutorTaskFactory.FAILING_TASK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(message);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        message = in.readString();
    }
}
