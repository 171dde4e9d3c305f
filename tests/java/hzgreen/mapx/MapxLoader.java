package hzgreen.mapx;

import com.hazelcast.map.MapLoader;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** A MapLoader that knows keys k1, k2 and k3 and loads any string key k as "loaded-k". */
public class MapxLoader implements MapLoader<Object, Object> {

    @Override
    public Object load(Object key) {
        return key instanceof String ? "loaded-" + key : null;
    }

    @Override
    public Map<Object, Object> loadAll(Collection<Object> keys) {
        Map<Object, Object> loaded = new HashMap<>();
        for (Object key : keys) {
            Object value = load(key);
            if (value != null) {
                loaded.put(key, value);
            }
        }
        return loaded;
    }

    @Override
    public Iterable<Object> loadAllKeys() {
        return Arrays.asList("k1", "k2", "k3");
    }
}
