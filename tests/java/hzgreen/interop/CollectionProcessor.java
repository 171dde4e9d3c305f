package hzgreen.interop;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Entry processor 1/7 for java.util collections. Returns a description of the entry's value
 * as the member deserialized it: Java class names with the contents, map entries and set
 * elements sorted (e.g. {@code HashMap{String:a=Integer:1}}). When {@code make} names a
 * collection type, the value is then replaced by a collection of that type built here:
 * maps hold one=1, two="zwei", list=[1L, "x"], set={"s"}; sets hold "a", "b", "c".
 * "TreeMapWithComparator" is a TreeMap in reverse order (a Java-serialized comparator).
 */
public class CollectionProcessor implements EntryProcessor<Object, Object, String>, IdentifiedDataSerializable {
    private String make;

    @Override
    public String process(Map.Entry<Object, Object> entry) {
        String description = describe(entry.getValue());
        if (make != null) {
            entry.setValue(build(make));
        }
        return description;
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String type = value.getClass().getSimpleName();
        List<String> parts = new ArrayList<>();
        if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                parts.add(describe(e.getKey()) + "=" + describe(e.getValue()));
            }
            Collections.sort(parts);
            return type + "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof Set) {
            for (Object item : (Set<?>) value) {
                parts.add(describe(item));
            }
            Collections.sort(parts);
            return type + "{" + String.join(", ", parts) + "}";
        }
        if (value instanceof List) {
            for (Object item : (List<?>) value) {
                parts.add(describe(item));
            }
            return type + "[" + String.join(", ", parts) + "]";
        }
        return type + ":" + value;
    }

    static Object build(String kind) {
        switch (kind) {
            case "HashMap":
                return fill(new HashMap<>());
            case "LinkedHashMap":
                return fill(new LinkedHashMap<>());
            case "ConcurrentHashMap":
                return fill(new ConcurrentHashMap<>());
            case "TreeMap":
                return fill(new TreeMap<>());
            case "ConcurrentSkipListMap":
                return fill(new ConcurrentSkipListMap<>());
            case "TreeMapWithComparator":
                return fill(new TreeMap<>(Collections.reverseOrder()));
            case "HashSet":
                return fill(new HashSet<>());
            case "LinkedHashSet":
                return fill(new LinkedHashSet<>());
            case "CopyOnWriteArraySet":
                return fill(new CopyOnWriteArraySet<>());
            case "TreeSet":
                return fill(new TreeSet<>());
            case "ConcurrentSkipListSet":
                return fill(new ConcurrentSkipListSet<>());
            default:
                throw new IllegalArgumentException("unknown collection type " + kind);
        }
    }

    private static Map<Object, Object> fill(Map<Object, Object> map) {
        map.put("one", 1);
        map.put("two", "zwei");
        map.put("list", new ArrayList<Object>(Arrays.asList(1L, "x")));
        map.put("set", new HashSet<Object>(Collections.singleton("s")));
        return map;
    }

    private static Set<Object> fill(Set<Object> set) {
        set.add("a");
        set.add("b");
        set.add("c");
        return set;
    }

    @Override
    public int getFactoryId() {
        return InteropDataSerializableFactory.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return InteropDataSerializableFactory.COLLECTION_PROCESSOR;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(make);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        make = in.readString();
    }
}
