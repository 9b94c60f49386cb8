package dev.handoff.core.metrics;

import dev.handoff.api.spi.MetricsSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default metrics sink: counters, timer samples and gauges in memory, queryable by name and tags.
 *
 * <p>Bounded: each timer keeps its most recent {@link #DEFAULT_SAMPLES_PER_TIMER} samples (or the number given to
 * {@link #InMemoryMetricsSink(int)}) as nanoseconds in a ring, so a runtime that hands off for weeks holds the same
 * memory as one that just started; percentiles are over those recent samples, and {@link #recorded} still counts every
 * sample. Counters and gauges hold one value per name and tag combination. For dashboards and alerts over longer
 * windows, pass a {@link MicrometerMetricsSink} to the builder instead.
 */
public final class InMemoryMetricsSink implements MetricsSink {

    /** Samples kept per timer and tag combination by the no-argument constructor (32 KiB each). */
    public static final int DEFAULT_SAMPLES_PER_TIMER = 4_096;

    private final ConcurrentMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Ring> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Double> gauges = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Map<Map<String, String>, String>> keys = new ConcurrentHashMap<>();
    private final int samplesPerTimer;

    /** A sink keeping {@link #DEFAULT_SAMPLES_PER_TIMER} recent samples per timer. */
    public InMemoryMetricsSink() {
        this(DEFAULT_SAMPLES_PER_TIMER);
    }

    /**
     * A sink keeping the given number of recent samples per timer and tag combination.
     *
     * @param samplesPerTimer how many of a timer's most recent samples to keep, at least 1
     * @throws IllegalArgumentException when {@code samplesPerTimer} is below 1
     */
    public InMemoryMetricsSink(int samplesPerTimer) {
        if (samplesPerTimer < 1) {
            throw new IllegalArgumentException("samplesPerTimer must be at least 1, was " + samplesPerTimer);
        }
        this.samplesPerTimer = samplesPerTimer;
    }

    static String key(String name, Map<String, String> tags) {
        return tags.isEmpty() ? name : name + new TreeMap<>(tags);
    }

    /** {@link #key}, built once per name and tag combination: recording a metric allocates no key. */
    private String cachedKey(String name, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return name;
        }
        Map<Map<String, String>, String> byTags = keys.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        String key = byTags.get(tags);
        if (key == null) {
            key = key(name, tags);
            byTags.put(Collections.unmodifiableMap(new java.util.HashMap<>(tags)), key);   // a copy: the caller may change its map
        }
        return key;
    }

    @Override
    public void increment(String name, Map<String, String> tags) {
        counters.computeIfAbsent(cachedKey(name, tags), k -> new LongAdder()).increment();
    }

    @Override
    public void record(String name, Duration duration, Map<String, String> tags) {
        timers.computeIfAbsent(cachedKey(name, tags), k -> new Ring(samplesPerTimer)).add(duration.toNanos());
    }

    @Override
    public void gauge(String name, double value, Map<String, String> tags) {
        gauges.put(cachedKey(name, tags), value);
    }

    /**
     * A counter's value (0 when never incremented).
     *
     * @param name the metric
     * @param tags the exact tag combination
     * @return the counter's value; 0 when never incremented
     */
    public long count(String name, Map<String, String> tags) {
        LongAdder a = counters.get(key(name, tags));
        return a == null ? 0 : a.sum();
    }

    /**
     * Sum of a counter over every tag combination.
     *
     * @param name the metric
     * @return the sum over every tag combination
     */
    public long countAll(String name) {
        return counters.entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /**
     * A timer's most recent samples, in recording order: all of them until the timer has recorded more than this
     * sink keeps, then the latest ones.
     *
     * @param name the metric
     * @param tags the exact tag combination
     * @return a snapshot of the kept samples, oldest first
     */
    public List<Duration> samples(String name, Map<String, String> tags) {
        Ring r = timers.get(key(name, tags));
        return r == null ? List.of() : r.snapshot();
    }

    /**
     * How many samples a timer has recorded in all, including those no longer kept.
     *
     * @param name the metric
     * @param tags the exact tag combination
     * @return the number of samples ever recorded; 0 when none
     */
    public long recorded(String name, Map<String, String> tags) {
        Ring r = timers.get(key(name, tags));
        return r == null ? 0 : r.total();
    }

    /**
     * A gauge's last value, or NaN.
     *
     * @param name the metric
     * @param tags the exact tag combination
     * @return the last value set, or {@link Double#NaN} when never set
     */
    public double gauge(String name, Map<String, String> tags) {
        return gauges.getOrDefault(key(name, tags), Double.NaN);
    }

    /**
     * The p-th percentile (0..100) of a timer's kept samples, nearest-rank; zero when empty.
     *
     * @param name the metric
     * @param tags the exact tag combination
     * @param p    the percentile, 0 to 100
     * @return the nearest-rank percentile; {@link Duration#ZERO} when there are no samples
     */
    public Duration percentile(String name, Map<String, String> tags, double p) {
        List<Duration> sorted = new ArrayList<>(samples(name, tags));
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** A timer's most recent samples in nanoseconds: a fixed array written round, and the count of all samples. */
    private static final class Ring {
        private final long[] nanos;
        private long total;

        Ring(int capacity) {
            this.nanos = new long[capacity];
        }

        synchronized void add(long sample) {
            nanos[(int) (total % nanos.length)] = sample;
            total++;
        }

        synchronized long total() {
            return total;
        }

        synchronized List<Duration> snapshot() {
            int kept = (int) Math.min(total, nanos.length);
            List<Duration> out = new ArrayList<>(kept);
            for (long i = total - kept; i < total; i++) {
                out.add(Duration.ofNanos(nanos[(int) (i % nanos.length)]));
            }
            return out;
        }
    }
}
