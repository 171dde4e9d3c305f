package hzgreen.metrics;

import com.hazelcast.internal.metrics.MetricConsumer;
import com.hazelcast.internal.metrics.MetricDescriptor;
import com.hazelcast.internal.metrics.impl.MetricsCompressor;

import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Decodes a metrics blob file with the member's own MetricsCompressor and prints one
 * tab-separated line per metric: prefix, metric, discriminator, discriminator value,
 * unit, excluded targets, tags, value type (long/double), value. A missing word prints
 * as "null".
 */
public final class MetricsBlobDump {

    private MetricsBlobDump() {
    }

    public static void main(String[] args) throws Exception {
        byte[] blob = Files.readAllBytes(Paths.get(args[0]));
        MetricsCompressor.extractMetrics(blob, new MetricConsumer() {
            @Override
            public void consumeLong(MetricDescriptor descriptor, long value) {
                print(descriptor, "long", Long.toString(value));
            }

            @Override
            public void consumeDouble(MetricDescriptor descriptor, double value) {
                print(descriptor, "double", Double.toString(value));
            }
        });
    }

    private static void print(MetricDescriptor d, String type, String value) {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < d.tagCount(); i++) {
            if (i > 0) {
                tags.append(',');
            }
            tags.append(d.tag(i)).append('=').append(d.tagValue(i));
        }
        System.out.println(d.prefix() + "\t" + d.metric() + "\t" + d.discriminator() + "\t"
                + d.discriminatorValue() + "\t" + d.unit() + "\t" + d.excludedTargets() + "\t"
                + tags + "\t" + type + "\t" + value);
    }
}
