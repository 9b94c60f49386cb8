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

/** The default metrics sink: counters, timer samples and gauges in memory, queryable by name and tags. */
public final class InMemoryMetricsSink implements MetricsSink {

    private final ConcurrentMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<Duration>> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Double> gauges = new ConcurrentHashMap<>();

    static String key(String name, Map<String, String> tags) {
        return tags.isEmpty() ? name : name + new TreeMap<>(tags);
    }

    @Override
    public void increment(String name, Map<String, String> tags) {
        counters.computeIfAbsent(key(name, tags), k -> new LongAdder()).increment();
    }

    @Override
    public void record(String name, Duration duration, Map<String, String> tags) {
        timers.computeIfAbsent(key(name, tags), k -> Collections.synchronizedList(new ArrayList<>())).add(duration);
    }

    @Override
    public void gauge(String name, double value, Map<String, String> tags) {
        gauges.put(key(name, tags), value);
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
     * Timer samples, in recording order.
     *
     * @param name the metric
     * @param tags the exact tag combination
     * @return a snapshot of the samples, in recording order
     */
    public List<Duration> samples(String name, Map<String, String> tags) {
        List<Duration> l = timers.get(key(name, tags));
        if (l == null) {
            return List.of();
        }
        synchronized (l) {
            return List.copyOf(l);
        }
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
     * The p-th percentile (0..100) of a timer, nearest-rank; zero when empty.
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
}
