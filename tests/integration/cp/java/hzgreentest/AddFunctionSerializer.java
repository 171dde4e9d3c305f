package hzgreentest;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;

import java.io.IOException;

/** Type id 7301: one long (the delta). */
public class AddFunctionSerializer implements StreamSerializer<AddFunction> {
    @Override
    public int getTypeId() {
        return 7301;
    }

    @Override
    public void write(ObjectDataOutput out, AddFunction function) throws IOException {
        out.writeLong(function.delta);
    }

    @Override
    public AddFunction read(ObjectDataInput in) throws IOException {
        return new AddFunction(in.readLong());
    }
}
