package dev.handoff.core.metrics;

import dev.handoff.api.spi.MetricsSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends Handoff's metrics to a Micrometer {@link MeterRegistry}. Micrometer is an optional dependency of
 * handoff-core: add {@code io.micrometer:micrometer-core} to use this class.
 */
public final class MicrometerMetricsSink implements MetricsSink {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

    /**
     * A sink that registers Handoff's counters, timers and gauges in {@code registry} as they are first written.
     *
     * @param registry the registry (a Spring Boot application's, a Prometheus one)
     */
    public MicrometerMetricsSink(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    private static Tags tags(Map<String, String> tags) {
        Tags t = Tags.empty();
        for (var e : tags.entrySet()) {
            t = t.and(e.getKey(), e.getValue());
        }
        return t;
    }

    @Override
    public void increment(String name, Map<String, String> tags) {
        registry.counter(name, tags(tags)).increment();
    }

    @Override
    public void record(String name, Duration duration, Map<String, String> tags) {
        registry.timer(name, tags(tags)).record(duration);
    }

    @Override
    public void gauge(String name, double value, Map<String, String> tags) {
        AtomicReference<Double> holder = gauges.computeIfAbsent(InMemoryMetricsSink.key(name, tags), k -> {
            AtomicReference<Double> h = new AtomicReference<>(value);
            registry.gauge(name, tags(tags), h, AtomicReference::get);
            return h;
        });
        holder.set(value);
    }
}
