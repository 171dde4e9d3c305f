/*
 * The Java-client ceiling of the hzgreen benchmarks: the same scenarios as
 * benchmarks/worker.py, run by com.hazelcast.client.HazelcastClient (shipped
 * in the member jar), one scenario per process, one JSON line on stdout.
 *
 *   javac -cp hazelcast-5.4.0.jar -d OUT Bench.java
 *   java -cp hazelcast-5.4.0.jar:OUT Bench --contender java --scenario seq_get \
 *        --duration 5 --warmup 1 --members 127.0.0.1:5701 --cluster dev
 *
 * Latency: System.nanoTime() around each call (pipelined_put: from submit to
 * the completion callback).  CPU: the process CPU time of the measured section
 * (com.sun.management.OperatingSystemMXBean, every thread including GC and
 * JIT).  RSS: VmHWM from /proc/self/status (peak resident set).
 */

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.IAtomicLong;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.map.IMap;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

public final class Bench {

    static final int CHUNK_BITS = 16;
    static final int CHUNK = 1 << CHUNK_BITS;
    static final int MASK = CHUNK - 1;
    static final java.util.concurrent.Executor DIRECT = Runnable::run;

    // -- options (same names and defaults as worker.py) --------------------------------

    static String contender = "java";
    static String scenario;
    static double duration = 5.0;
    static double warmup = 1.0;
    static String[] members;
    static String cluster;
    static int keyCount = 10000;
    static int valueSize = 100;
    static int bigSize = 1 << 20;
    static int bigKeys = 8;
    static int window = 256;
    static int threads = 8;
    static double getRatio = 0.8;
    static int minConnects = 3;
    /** Scenario-specific JSON fields (with a leading comma) added to the result line. */
    static String extraJson = "";

    // -- measuring ----------------------------------------------------------------------

    /** Per-op latencies in lazily allocated long[65536] chunks.  The chunk table is
     *  fixed-size, so completers of pipelined ops can write their slot while the
     *  submitter allocates further chunks. */
    static final class Recorder {
        final long[][] chunks = new long[1 << 14][];
        int n;

        void add(long ns) {
            int c = n >>> CHUNK_BITS;
            if (chunks[c] == null) {
                chunks[c] = new long[CHUNK];
            }
            chunks[c][n & MASK] = ns;
            n++;
        }

        /** Make room for op i (submitter only, in order). */
        void reserve(int i) {
            int c = i >>> CHUNK_BITS;
            if (chunks[c] == null) {
                chunks[c] = new long[CHUNK];
            }
            n = i + 1;
        }

        void set(int i, long ns) {
            chunks[i >>> CHUNK_BITS][i & MASK] = ns;
        }

        long[] values() {
            long[] out = new long[n];
            for (int c = 0, left = n; left > 0; c++) {
                int take = Math.min(left, CHUNK);
                System.arraycopy(chunks[c], 0, out, c * CHUNK, take);
                left -= take;
            }
            return out;
        }
    }

    static final class Meter {
        final boolean measured;
        long wallNs;
        long cpuNs;
        long t0;
        long c0;

        Meter(boolean measured) {
            this.measured = measured;
        }

        long memberTicks;
        long m0;

        long start() {
            m0 = memberCpuTicks();
            c0 = processCpuNs();
            t0 = System.nanoTime();
            return t0;
        }

        long stop() {
            long t1 = System.nanoTime();
            cpuNs += processCpuNs() - c0;
            wallNs += t1 - t0;
            memberTicks += memberCpuTicks() - m0;
            return t1;
        }
    }

    static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The member JVMs serving the run (HZGREEN_BENCH_MEMBER_PIDS, set by benchmarks/run.py). */
    static final long[] MEMBER_PIDS = memberPids();
    static final long CLOCK_TICKS = Long.parseLong(System.getenv().getOrDefault("HZGREEN_BENCH_CLK_TCK", "100"));

    static long[] memberPids() {
        String text = System.getenv().getOrDefault("HZGREEN_BENCH_MEMBER_PIDS", "");
        return Arrays.stream(text.split(",")).filter(p -> !p.isBlank()).mapToLong(Long::parseLong).toArray();
    }

    /** utime + stime of the member processes, in clock ticks (from /proc/PID/stat). */
    static long memberCpuTicks() {
        long total = 0;
        for (long pid : MEMBER_PIDS) {
            try {
                String stat = Files.readString(Paths.get("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                // a member that is gone counts 0
            }
        }
        return total;
    }

    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    interface Body {
        long run(double seconds, Meter meter, Recorder rec) throws Exception;
    }

    static final class Absent extends Exception {
        Absent(String why) {
            super(why);
        }
    }

    // -- client -------------------------------------------------------------------------

    static HazelcastInstance newClient() {
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster);
        config.getNetworkConfig().addAddress(members);
        config.setProperty("hazelcast.logging.type", "none");
        return HazelcastClient.newHazelcastClient(config);
    }

    static String[] keys() {
        String[] keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = "key-" + i;
        }
        return keys;
    }

    static String value() {
        String v = String.format(Locale.ROOT, "v%0" + (valueSize - 1) + "d", 0);
        return v.substring(0, valueSize);
    }

    static IMap<String, String> prepareMap(HazelcastInstance client, String name, String[] keys, String value) {
        IMap<String, String> map = client.getMap(name);
        map.clear();
        for (int start = 0; start < keys.length; start += 1000) {
            Map<String, String> batch = new HashMap<>();
            for (int i = start; i < Math.min(keys.length, start + 1000); i++) {
                batch.put(keys[i], value);
            }
            map.putAll(batch);
        }
        return map;
    }

    // -- scenarios ----------------------------------------------------------------------

    static Body seqPut(HazelcastInstance client) {
        String[] keys = keys();
        String value = value();
        IMap<String, String> map = prepareMap(client, "bench-seq_put", keys, value);
        return (seconds, meter, rec) -> {
            long i = 0;
            long end = meter.start() + (long) (seconds * 1e9);
            while (true) {
                long t0 = System.nanoTime();
                map.put(keys[(int) (i % keys.length)], value);
                long t1 = System.nanoTime();
                rec.add(t1 - t0);
                i++;
                if (t1 >= end) {
                    break;
                }
            }
            meter.stop();
            return i;
        };
    }

    static Body seqGet(HazelcastInstance client) {
        String[] keys = keys();
        String value = value();
        IMap<String, String> map = prepareMap(client, "bench-seq_get", keys, value);
        if (!value.equals(map.get(keys[keys.length - 1]))) {
            throw new IllegalStateException("prefill check failed");
        }
        return (seconds, meter, rec) -> {
            long i = 0;
            long end = meter.start() + (long) (seconds * 1e9);
            while (true) {
                long t0 = System.nanoTime();
                map.get(keys[(int) (i % keys.length)]);
                long t1 = System.nanoTime();
                rec.add(t1 - t0);
                i++;
                if (t1 >= end) {
                    break;
                }
            }
            meter.stop();
            return i;
        };
    }

    static Body pipelinedPut(HazelcastInstance client) {
        String[] keys = keys();
        String value = value();
        IMap<String, String> map = prepareMap(client, "bench-pipelined_put", keys, value);
        return (seconds, meter, rec) -> {
            Semaphore sem = new Semaphore(window);
            AtomicInteger errors = new AtomicInteger();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            int i = 0;
            long end = meter.start() + (long) (seconds * 1e9);
            while (true) {
                sem.acquire();
                rec.reserve(i);
                final int op = i;
                final long t0 = System.nanoTime();
                // whenCompleteAsync(.., Runnable::run) runs the callback on the thread that
                // completes the future.  Plain whenComplete hands it to the default async
                // executor, which on a 2-CPU machine (common pool parallelism 1) starts a new
                // thread per callback: 4-5x slower.  The ceiling uses the fast form.
                map.putAsync(keys[i % keys.length], value).whenCompleteAsync((old, error) -> {
                    rec.set(op, System.nanoTime() - t0);
                    if (error != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                    sem.release();
                }, DIRECT);
                i++;
                if (t0 >= end) {
                    break;
                }
            }
            sem.acquire(window); // drain: every submitted op has completed after this
            meter.stop();
            if (errors.get() > 0) {
                throw new IllegalStateException(errors.get() + " pipelined puts failed", firstError.get());
            }
            return i;
        };
    }

    /** The mixed workload's shared plan: keys and whether each step is a put. */
    static final class Plan {
        static final int SIZE = 1 << 14;
        final String[] keys = new String[SIZE];
        final boolean[] put = new boolean[SIZE];

        Plan(String[] keySet) {
            Random rng = new Random(20240521);
            for (int j = 0; j < SIZE; j++) {
                keys[j] = keySet[rng.nextInt(keySet.length)];
                put[j] = rng.nextDouble() >= getRatio;
            }
        }
    }

    static Body mixedThreads(HazelcastInstance client, String name) {
        String[] keys = keys();
        String value = value();
        IMap<String, String> map = prepareMap(client, name, keys, value);
        Plan plan = new Plan(keys);
        List<IMap<String, String>> maps = List.of(map);
        return (seconds, meter, rec) -> runMixed(maps, threads, plan, value, seconds, meter, rec);
    }

    /** What one thread of {@link #runThreads} does: its operations until {@code end}
     *  (System.nanoTime), latencies into {@code rec}; returns how many it did. */
    interface Worker {
        long run(int index, long end, Recorder rec) throws Exception;
    }

    /** {@code count} threads started together on a latch once the measured section begins,
     *  each running {@code worker}; returns the operations of them all, their latencies added
     *  to {@code rec}. */
    static long runThreads(int count, Worker worker, double seconds, Meter meter, Recorder rec) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Recorder[] recs = new Recorder[count];
        long[] counts = new long[count];
        long[] endHolder = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            final int me = w;
            recs[w] = new Recorder();
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    counts[me] = worker.run(me, endHolder[0], recs[me]);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bench-" + w);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
        endHolder[0] = meter.start() + (long) (seconds * 1e9);
        go.countDown();
        for (Thread t : workers) {
            t.join();
        }
        meter.stop();
        if (failure.get() != null) {
            throw new IllegalStateException("a worker thread failed", failure.get());
        }
        long total = 0;
        for (int w = 0; w < count; w++) {
            total += counts[w];
            for (long v : recs[w].values()) {
                rec.add(v);
            }
        }
        return total;
    }

    /** The mixed workload on {@code threadCount} threads, thread w using maps[w % size]
     *  (one proxy per client); returns the operations done. */
    static long runMixed(List<IMap<String, String>> maps, int threadCount, Plan plan, String value,
                         double seconds, Meter meter, Recorder rec) throws Exception {
        return runThreads(threadCount, (me, end, r) -> {
            IMap<String, String> map = maps.get(me % maps.size());
            int j = me * 997;
            long n = 0;
            while (true) {
                int k = j & (Plan.SIZE - 1);
                long t0 = System.nanoTime();
                if (plan.put[k]) {
                    map.put(plan.keys[k], value);
                } else {
                    map.get(plan.keys[k]);
                }
                long t1 = System.nanoTime();
                r.add(t1 - t0);
                j++;
                n++;
                if (t1 >= end) {
                    return n;
                }
            }
        }, seconds, meter, rec);
    }

    /** The mixed workload submitted asynchronously: {@code submitters} threads, thread w using
     *  maps[w % size], each keeping {@code window} operations in flight (completion callbacks
     *  on the completing thread); returns the operations done. */
    static long runPipelinedMixed(List<IMap<String, String>> maps, int submitters, int window, Plan plan,
                                  String value, double seconds, Meter meter, Recorder rec) throws Exception {
        return runThreads(submitters, (me, end, r) -> {
            IMap<String, String> map = maps.get(me % maps.size());
            Semaphore sem = new Semaphore(window);
            AtomicInteger errors = new AtomicInteger();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            int i = 0;
            int j = me * 997;
            while (true) {
                sem.acquire();
                r.reserve(i);
                final int op = i;
                final long t0 = System.nanoTime();
                int k = j & (Plan.SIZE - 1);
                java.util.concurrent.CompletionStage<String> stage = plan.put[k]
                        ? map.putAsync(plan.keys[k], value) : map.getAsync(plan.keys[k]);
                stage.whenCompleteAsync((result, error) -> {
                    r.set(op, System.nanoTime() - t0);
                    if (error != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                    sem.release();
                }, DIRECT);
                i++;
                j++;
                if (t0 >= end) {
                    break;
                }
            }
            sem.acquire(window); // drain: every submitted operation has completed after this
            if (errors.get() > 0) {
                throw new IllegalStateException(errors.get() + " operations failed", firstError.get());
            }
            return i;
        }, seconds, meter, rec);
    }

    /** Steps of the member ceiling: {clients, submitting threads per client, operations in flight per thread}. */
    static final int[][] CEILING_STEPS = {{1, 1, 256}, {1, 2, 512}, {2, 2, 512}, {4, 2, 1024}, {4, 4, 1024}, {8, 4, 1024}};

    /** The mixed workload on the one member from more and more Java clients, submitting threads
     *  and operations in flight in this process, {@code seconds} per step, until two steps in a
     *  row gain less than 5% over the best; the result is the best step's (its ops, wall, CPU,
     *  latencies and the members' CPU). Asynchronous calls reach the member's limit with the
     *  least client CPU, which shares the machine with the member. */
    static Body memberCeiling(HazelcastInstance client) {
        String[] keys = keys();
        String value = value();
        IMap<String, String> first = prepareMap(client, "bench-member_ceiling", keys, value);
        Plan plan = new Plan(keys);
        List<IMap<String, String>> maps = new ArrayList<>(List.of(first));
        return (seconds, meter, rec) -> {
            if (!meter.measured) {
                int[] step = CEILING_STEPS[0];
                return runPipelinedMixed(maps.subList(0, 1), step[1], step[2], plan, value, seconds, meter, rec);
            }
            double best = 0;
            long bestOps = 0;
            Meter bestMeter = null;
            Recorder bestRec = null;
            int[] bestStep = null;
            int flat = 0;
            StringBuilder steps = new StringBuilder();
            for (int[] step : CEILING_STEPS) {
                while (maps.size() < step[0]) {
                    maps.add(newClient().getMap("bench-member_ceiling"));
                }
                Meter m = new Meter(true);
                Recorder r = new Recorder();
                long ops = runPipelinedMixed(maps.subList(0, step[0]), step[0] * step[1], step[2], plan, value,
                        seconds, m, r);
                double rate = ops / (m.wallNs / 1e9);
                steps.append(steps.length() == 0 ? "" : ", ").append("[").append(step[0]).append(", ")
                        .append(step[1]).append(", ").append(step[2]).append(", ").append(num(rate)).append("]");
                boolean gained = rate >= best * 1.05;
                if (rate > best) {
                    best = rate;
                    bestOps = ops;
                    bestMeter = m;
                    bestRec = r;
                    bestStep = step;
                }
                flat = gained ? 0 : flat + 1;
                if (flat >= 2) {
                    break;
                }
            }
            meter.wallNs = bestMeter.wallNs;
            meter.cpuNs = bestMeter.cpuNs;
            meter.memberTicks = bestMeter.memberTicks;
            for (long v : bestRec.values()) {
                rec.add(v);
            }
            extraJson = ", \"clients\": " + bestStep[0] + ", \"threads_per_client\": " + bestStep[1]
                    + ", \"in_flight_per_thread\": " + bestStep[2] + ", \"steps\": [" + steps + "]";
            return bestOps;
        };
    }

    static Body bigValues(HazelcastInstance client) {
        IMap<String, byte[]> map = client.getMap("bench-big_values");
        String[] keys = new String[bigKeys];
        byte[] value = new byte[bigSize];
        int full = (bigSize / 256) * 256;
        for (int i = 0; i < full; i++) {
            value[i] = (byte) i;
        }
        map.clear();
        for (int i = 0; i < bigKeys; i++) {
            keys[i] = "big-" + i;
            map.put(keys[i], value);
        }
        byte[] got = map.get(keys[0]);
        if (got == null || got.length != bigSize) {
            throw new IllegalStateException("big value round trip failed");
        }
        return (seconds, meter, rec) -> {
            long i = 0;
            long end = meter.start() + (long) (seconds * 1e9);
            while (true) {
                String key = keys[(int) ((i >> 1) % keys.length)];
                long t0 = System.nanoTime();
                if ((i & 1) == 1) {
                    map.get(key);
                } else {
                    map.put(key, value);
                }
                long t1 = System.nanoTime();
                rec.add(t1 - t0);
                i++;
                if (t1 >= end && (i & 1) == 0) {
                    break;
                }
            }
            meter.stop();
            return i;
        };
    }

    static Body cpLock(HazelcastInstance client) {
        FencedLock lock = client.getCPSubsystem().getLock("bench-lock");
        lock.lock();
        lock.unlock();
        return (seconds, meter, rec) -> {
            long i = 0;
            long end = meter.start() + (long) (seconds * 1e9);
            while (true) {
                long t0 = System.nanoTime();
                lock.lock();
                lock.unlock();
                long t1 = System.nanoTime();
                rec.add(t1 - t0);
                i++;
                if (t1 >= end) {
                    break;
                }
            }
            meter.stop();
            return i;
        };
    }

    static Body cpAtomic(HazelcastInstance client, String name) {
        IAtomicLong counter = client.getCPSubsystem().getAtomicLong(name);
        long first = counter.incrementAndGet();
        if (counter.incrementAndGet() != first + 1) {
            throw new IllegalStateException("incrementAndGet did not increment by one");
        }
        return (seconds, meter, rec) -> {
            long i = 0;
            long end = meter.start() + (long) (seconds * 1e9);
            while (true) {
                long t0 = System.nanoTime();
                counter.incrementAndGet();
                long t1 = System.nanoTime();
                rec.add(t1 - t0);
                i++;
                if (t1 >= end) {
                    break;
                }
            }
            meter.stop();
            return i;
        };
    }

    static Body connect() {
        return (seconds, meter, rec) -> {
            // seconds of wall time, shutdowns included, and at least minConnects;
            // ops/s is 1 / mean connect time.
            long end = System.nanoTime() + (long) (seconds * 1e9);
            int minimum = meter.measured ? minConnects : 1;
            long i = 0;
            while (true) {
                long t0 = meter.start();
                HazelcastInstance fresh = newClient();
                long t1 = meter.stop();
                fresh.shutdown();
                rec.add(t1 - t0);
                i++;
                if (System.nanoTime() >= end && i >= minimum) {
                    break;
                }
            }
            return i;
        };
    }

    static Body prepare(HazelcastInstance client) throws Absent {
        switch (scenario) {
            case "seq_put": return seqPut(client);
            case "seq_get": return seqGet(client);
            case "pipelined_put": return pipelinedPut(client);
            case "mixed_threads": return mixedThreads(client, "bench-mixed_threads");
            case "mixed_greenlets": throw new Absent("Java has no greenlets");
            case "big_values": return bigValues(client);
            case "cp_lock": return cpLock(client);
            case "cp_atomic": return cpAtomic(client, "bench-atomic");
            case "connect": return connect();
            case "topic_publish": throw new Absent("Bench.java has no topic scenario");
            case "ringbuffer_read_many": throw new Absent("Bench.java has no ringbuffer scenario");
            case "near_cache_get": throw new Absent("Bench.java has no near cache scenario");
            case "transform": throw new Absent("Bench.java has no transform scenario");
            case "mixed_3_members": return mixedThreads(client, "bench-mixed_3_members");
            case "cp_atomic_3_members": return cpAtomic(client, "bench-atomic-3");
            case "member_ceiling": return memberCeiling(client);
            case "fleet_1": case "fleet_2": case "fleet_4":
                throw new Absent("compared at the same total CPU instead: see the fleet table");
            default: throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    // -- output -------------------------------------------------------------------------

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static String head() {
        return "{\"contender\": " + quote(contender) + ", \"scenario\": " + quote(scenario);
    }

    static long percentile(long[] sorted, int p) {
        long rank = Math.max(1, (sorted.length * (long) p + 99) / 100);
        return sorted[(int) rank - 1];
    }

    static String summarize(long ops, Meter meter, Recorder rec, double rssMib) {
        long[] lat = rec.values();
        Arrays.sort(lat);
        double elapsed = meter.wallNs / 1e9;
        StringBuilder b = new StringBuilder(head());
        b.append(", \"ops\": ").append(ops);
        b.append(", \"elapsed_s\": ").append(num(elapsed));
        b.append(", \"ops_per_s\": ").append(num(ops / elapsed));
        b.append(", \"p50_us\": ").append(lat.length == 0 ? "null" : num(percentile(lat, 50) / 1e3));
        b.append(", \"p99_us\": ").append(lat.length == 0 ? "null" : num(percentile(lat, 99) / 1e3));
        b.append(", \"cpu_us_per_op\": ").append(ops == 0 ? "null" : num(meter.cpuNs / 1e3 / ops));
        b.append(", \"rss_mib\": ").append(num(rssMib));
        b.append(", \"latency_samples\": ").append(lat.length);
        if (MEMBER_PIDS.length > 0 && ops > 0) {
            b.append(", \"member_cpu_us_per_op\": ").append(num(meter.memberTicks * 1e6 / CLOCK_TICKS / ops));
        }
        return b.append(extraJson).append('}').toString();
    }

    static String runOnce() throws Exception {
        HazelcastInstance client = "connect".equals(scenario) || "mixed_greenlets".equals(scenario)
                ? null : newClient();
        try {
            Body body;
            try {
                body = prepare(client);
            } catch (Absent why) {
                return head() + ", \"absent\": " + quote(why.getMessage()) + "}";
            }
            if (warmup > 0) {
                body.run(warmup, new Meter(false), new Recorder());
            }
            Meter meter = new Meter(true);
            Recorder rec = new Recorder();
            long ops = body.run(duration, meter, rec);
            double rss = peakRssMib();
            return summarize(ops, meter, rec, rss);
        } finally {
            if (client != null) {
                client.shutdown();
            }
        }
    }

    static void parse(String[] argv) {
        for (int i = 0; i < argv.length; i++) {
            String flag = argv[i];
            String value;
            int eq = flag.indexOf('=');
            if (eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                if (i + 1 >= argv.length) {
                    throw new IllegalArgumentException("missing value for " + flag);
                }
                value = argv[++i];
            }
            switch (flag) {
                case "--contender": contender = value; break;
                case "--scenario": scenario = value; break;
                case "--duration": duration = Double.parseDouble(value); break;
                case "--warmup": warmup = Double.parseDouble(value); break;
                case "--members": members = value.split(","); break;
                case "--cluster": cluster = value; break;
                case "--keys": keyCount = Integer.parseInt(value); break;
                case "--value-size": valueSize = Integer.parseInt(value); break;
                case "--big-size": bigSize = Integer.parseInt(value); break;
                case "--big-keys": bigKeys = Integer.parseInt(value); break;
                case "--window": window = Integer.parseInt(value); break;
                case "--threads": threads = Integer.parseInt(value); break;
                case "--greenlets": break; // no greenlets in Java
                case "--get-ratio": getRatio = Double.parseDouble(value); break;
                case "--min-connects": minConnects = Integer.parseInt(value); break;
                default: throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (scenario == null || members == null || cluster == null) {
            throw new IllegalArgumentException("--scenario, --members and --cluster are required");
        }
    }

    public static void main(String[] argv) {
        String line;
        int code = 0;
        try {
            parse(argv);
            line = runOnce();
        } catch (Throwable e) {
            e.printStackTrace();
            line = head() + ", \"error\": " + quote(e.getClass().getSimpleName() + ": " + e.getMessage()) + "}";
            code = 1;
        }
        System.out.println(line);
        System.out.flush();
        System.err.flush();
        // halt: client threads left behind must not keep the JVM (and the run) alive
        Runtime.getRuntime().halt(code);
    }
}
