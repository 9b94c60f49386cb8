/**
 * Metrics: {@link dev.handoff.core.metrics.HandoffMetrics} turns lifecycle events into counters, timers and rates and
 * writes them to a {@link dev.handoff.api.spi.MetricsSink} (in memory by default, Micrometer when it is on the class
 * path).
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.metrics;

import org.jspecify.annotations.NullMarked;
