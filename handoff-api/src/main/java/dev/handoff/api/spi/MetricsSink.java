package dev.handoff.api.spi;

import java.time.Duration;
import java.util.Map;

/**
 * Where Handoff's metrics go (counters, timers, gauges with tags). The default keeps them in memory; an adapter
 * for Micrometer ships with handoff-core (optional dependency).
 *
 * <p>Called on Handoff's threads, often concurrently; must be non-blocking and thread-safe. Metric names are
 * dotted lowercase ({@code handoff.transfer.attempts}); tag values are enum names or target ids, never customer
 * data.
 */
public interface MetricsSink {

    void increment(String name, Map<String, String> tags);

    void record(String name, Duration duration, Map<String, String> tags);

    void gauge(String name, double value, Map<String, String> tags);
}
