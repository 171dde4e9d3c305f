package hzgreen.executor;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.concurrent.Callable;

/** Task 66/1: returns "host:port" of the member that runs it. */
public class MemberAddressTask implements Callable<String>, IdentifiedDataSerializable, HazelcastInstanceAware {
    private transient HazelcastInstance instance;

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.instance = instance;
    }

    @Override
    public String call() {
        Address address = instance.getCluster().getLocalMember().getAddress();
        return address.getHost() + ":" + address.getPort();
    }

    @Override
    public int getFactoryId() {
        return ExecutorTaskFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return ExecutorTaskFactory.MEMBER_ADDRESS_TASK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
    }
}
