package hzgreentest;

import com.hazelcast.core.IFunction;

/** Test function for AtomicReference alter/apply: str(value or "") + suffix. */
public class AppendFunction implements IFunction<Object, Object> {
    private static final long serialVersionUID = 1L;
    final String suffix;

    public AppendFunction(String suffix) {
        this.suffix = suffix;
    }

    @Override
    public Object apply(Object value) {
        return (value == null ? "" : value.toString()) + suffix;
    }
}
