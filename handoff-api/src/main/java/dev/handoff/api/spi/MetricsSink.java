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

    /**
     * Adds one to a counter.
     *
     * @param name the metric ({@code handoff.transfer.attempts})
     * @param tags dimensions (outcome, channel, target id); may be empty
     */
    void increment(String name, Map<String, String> tags);

    /**
     * Records one duration in a timer.
     *
     * @param name     the metric ({@code handoff.latency.connected})
     * @param duration the measured time
     * @param tags     dimensions; may be empty
     */
    void record(String name, Duration duration, Map<String, String> tags);

    /**
     * Sets a gauge to its current value.
     *
     * @param name  the metric
     * @param value the value now
     * @param tags  dimensions; may be empty
     */
    void gauge(String name, double value, Map<String, String> tags);
}
