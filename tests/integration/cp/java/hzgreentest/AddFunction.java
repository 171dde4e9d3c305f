package hzgreentest;

import com.hazelcast.core.IFunction;

/** Test function for AtomicLong alter/apply: value + delta. */
public class AddFunction implements IFunction<Long, Long> {
    private static final long serialVersionUID = 1L;
    final long delta;

    public AddFunction(long delta) {
        this.delta = delta;
    }

    @Override
    public Long apply(Long value) {
        return value + delta;
    }
}
