package dev.handoff.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class InMemoryMetricsSinkTest {

    private static final Map<String, String> TAGS = Map.of("target", "queue:support");

    @Test
    void a_timer_keeps_its_most_recent_samples_in_order_and_counts_them_all() {
        InMemoryMetricsSink sink = new InMemoryMetricsSink(100);
        for (int i = 1; i <= 10_000; i++) {
            sink.record("handoff.duration", Duration.ofMillis(i), TAGS);
        }

        List<Duration> expected = new ArrayList<>();
        LongStream.rangeClosed(9_901, 10_000).forEach(ms -> expected.add(Duration.ofMillis(ms)));
        assertThat(sink.samples("handoff.duration", TAGS)).containsExactlyElementsOf(expected);
        assertThat(sink.recorded("handoff.duration", TAGS)).isEqualTo(10_000);
        assertThat(sink.percentile("handoff.duration", TAGS, 50)).isEqualTo(Duration.ofMillis(9_950));
        assertThat(sink.percentile("handoff.duration", TAGS, 100)).isEqualTo(Duration.ofMillis(10_000));
    }

    @Test
    void below_its_capacity_a_timer_keeps_every_sample() {
        InMemoryMetricsSink sink = new InMemoryMetricsSink();
        sink.record("handoff.duration", Duration.ofNanos(1_500), TAGS);
        sink.record("handoff.duration", Duration.ofSeconds(3), TAGS);

        assertThat(sink.samples("handoff.duration", TAGS)).containsExactly(Duration.ofNanos(1_500), Duration.ofSeconds(3));
        assertThat(sink.recorded("handoff.duration", TAGS)).isEqualTo(2);
        assertThat(sink.samples("handoff.duration", Map.of())).isEmpty();
        assertThat(sink.recorded("other", TAGS)).isZero();
        assertThat(sink.percentile("other", TAGS, 99)).isEqualTo(Duration.ZERO);
    }

    @Test
    void a_capacity_below_one_is_refused_with_the_value() {
        assertThatThrownBy(() -> new InMemoryMetricsSink(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("samplesPerTimer must be at least 1, was 0");
    }
}
