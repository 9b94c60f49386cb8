package dev.handoff.desktop.internal;

import dev.handoff.api.spi.MetricsSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link MetricsSink} that keeps the last day of {@code HandoffMetrics} output in one-minute buckets, so the
 * wallboard can show each KPI over the last hour or day: counters summed, timer samples for percentiles (at most
 * {@value #MAX_SAMPLES} per metric and minute), gauge readings averaged. Thread-safe; each call touches one bucket.
 */
final class KpiWindow implements MetricsSink {

    static final int MINUTES = 24 * 60;
    static final int MAX_SAMPLES = 2_000;

    private static final class Bucket {
        long minute = Long.MIN_VALUE;
        final Map<String, long[]> counters = new HashMap<>();
        final Map<String, List<Long>> timers = new HashMap<>();
        final Map<String, double[]> gauges = new HashMap<>();

        void reset(long m) {
            minute = m;
            counters.clear();
            timers.clear();
            gauges.clear();
        }
    }

    /** The sums over a window. */
    record Totals(Map<String, Long> counters, Map<String, List<Long>> timerMillis, Map<String, double[]> gauges) {

        long count(String key) {
            return counters.getOrDefault(key, 0L);
        }

        /** Counter values of one metric by the value of its only tag ({@code handoff.escalations{kind=…}}). */
        Map<String, Long> byTag(String name) {
            Map<String, Long> out = new TreeMap<>();
            counters.forEach((k, v) -> {
                if (k.startsWith(name + "{") && k.endsWith("}")) {
                    String tag = k.substring(name.length() + 1, k.length() - 1);
                    out.merge(tag.substring(tag.indexOf('=') + 1), v, Long::sum);
                }
            });
            return out;
        }

        /** Nearest-rank percentile of a timer in milliseconds, or null without samples. */
        Long percentile(String key, double p) {
            List<Long> s = timerMillis.get(key);
            if (s == null || s.isEmpty()) {
                return null;
            }
            List<Long> sorted = new ArrayList<>(s);
            Collections.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
        }

        /** A timer's samples over every tag combination, as one key for {@link #percentile}. */
        Totals mergedTimer(String name) {
            List<Long> all = new ArrayList<>();
            timerMillis.forEach((k, v) -> {
                if (k.equals(name) || k.startsWith(name + "{")) {
                    all.addAll(v);
                }
            });
            Map<String, List<Long>> t = new HashMap<>(timerMillis);
            t.put(name + "{*}", all);
            return new Totals(counters, t, gauges);
        }

        int samples(String key) {
            List<Long> s = timerMillis.get(key);
            return s == null ? 0 : s.size();
        }

        /** Mean of a gauge's readings, or null without readings. */
        Double mean(String key) {
            double[] g = gauges.get(key);
            return g == null || g[1] == 0 ? null : g[0] / g[1];
        }
    }

    private final Clock clock;
    private final Bucket[] ring = new Bucket[MINUTES];

    KpiWindow(Clock clock) {
        this.clock = clock;
        for (int i = 0; i < ring.length; i++) {
            ring[i] = new Bucket();
        }
    }

    /** {@code name} or {@code name{k=v,…}} with tags sorted. */
    static String key(String name, Map<String, String> tags) {
        return tags.isEmpty() ? name : name + new TreeMap<>(tags).toString().replace(", ", ",");
    }

    @Override
    public void increment(String name, Map<String, String> tags) {
        String k = key(name, tags);
        Bucket b = current();
        synchronized (b) {
            b.counters.computeIfAbsent(k, x -> new long[1])[0]++;
        }
    }

    @Override
    public void record(String name, Duration duration, Map<String, String> tags) {
        String k = key(name, tags);
        Bucket b = current();
        synchronized (b) {
            List<Long> l = b.timers.computeIfAbsent(k, x -> new ArrayList<>());
            if (l.size() < MAX_SAMPLES) {
                l.add(duration.toMillis());
            }
        }
    }

    @Override
    public void gauge(String name, double value, Map<String, String> tags) {
        if (Double.isNaN(value)) {
            return;
        }
        String k = key(name, tags);
        Bucket b = current();
        synchronized (b) {
            double[] g = b.gauges.computeIfAbsent(k, x -> new double[2]);
            g[0] += value;
            g[1]++;
        }
    }

    /** Everything recorded in {@code [now - window, now]}. */
    Totals totals(Duration window) {
        Instant now = clock.instant();
        return totals(now.minus(window), now);
    }

    /** Everything recorded in the minutes from {@code from} to {@code to}, both included. */
    Totals totals(Instant from, Instant to) {
        long first = Math.max(from.getEpochSecond() / 60, to.getEpochSecond() / 60 - MINUTES + 1);
        long last = to.getEpochSecond() / 60;
        Map<String, Long> counters = new HashMap<>();
        Map<String, List<Long>> timers = new HashMap<>();
        Map<String, double[]> gauges = new HashMap<>();
        for (long m = first; m <= last; m++) {
            Bucket b = ring[(int) Math.floorMod(m, (long) MINUTES)];
            synchronized (b) {
                if (b.minute != m) {
                    continue;
                }
                b.counters.forEach((k, v) -> counters.merge(k, v[0], Long::sum));
                b.timers.forEach((k, v) -> timers.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
                b.gauges.forEach((k, v) -> {
                    double[] g = gauges.computeIfAbsent(k, x -> new double[2]);
                    g[0] += v[0];
                    g[1] += v[1];
                });
            }
        }
        return new Totals(counters, timers, gauges);
    }

    private Bucket current() {
        long m = clock.instant().getEpochSecond() / 60;
        Bucket b = ring[(int) Math.floorMod(m, (long) MINUTES)];
        synchronized (b) {
            if (b.minute != m) {
                b.reset(m);
            }
        }
        return b;
    }
}
