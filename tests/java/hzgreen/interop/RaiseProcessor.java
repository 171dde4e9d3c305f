package hzgreen.interop;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.Map;

/** Entry processor 1/5 over Portable Employee values: salary *= factor; returns the new salary. */
public class RaiseProcessor implements EntryProcessor<Object, Employee, Double>, IdentifiedDataSerializable {
    private double factor;

    @Override
    public Double process(Map.Entry<Object, Employee> entry) {
        Employee employee = entry.getValue();
        employee.salary = employee.salary * factor;
        entry.setValue(employee);
        return employee.salary;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.RAISE_PROCESSOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeDouble(factor);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        factor = in.readDouble();
    }
}
