package hzgreentest;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;

import java.io.IOException;

/** Type id 7302: one UTF-8 string (the suffix). */
public class AppendFunctionSerializer implements StreamSerializer<AppendFunction> {
    @Override
    public int getTypeId() {
        return 7302;
    }

    @Override
    public void write(ObjectDataOutput out, AppendFunction function) throws IOException {
        out.writeString(function.suffix);
    }

    @Override
    public AppendFunction read(ObjectDataInput in) throws IOException {
        return new AppendFunction(in.readString());
    }
}
