package dev.handoff.crm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.core.testing.ManualTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-04T15:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(CircuitBreaker.Config.defaults(), clock);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breaker.tryAcquire()).isEmpty();
            breaker.onFailure();
        }
    }

    @Test
    void four_failures_are_not_enough_to_judge_a_low_volume_endpoint() {
        fail(4);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        fail(1);
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void a_failed_probe_opens_it_again_for_the_full_duration() {
        fail(5);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).isEmpty();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).as("only one probe at a time").contains(Duration.ofSeconds(30));

        breaker.onFailure();

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.tryAcquire()).contains(Duration.ofSeconds(30));
    }

    @Test
    void a_probe_that_was_never_sent_is_given_back() {
        fail(5);
        clock.advance(Duration.ofSeconds(31));
        assertThat(breaker.tryAcquire()).isEmpty();

        breaker.release();

        assertThat(breaker.tryAcquire()).isEmpty();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void rejects_bad_configuration_with_the_value() {
        assertThatThrownBy(() -> new CircuitBreaker.Config(10, 11, 0.5, Duration.ofMinutes(1), Duration.ofSeconds(1)))
                .hasMessage("minimumCalls must be in [1, windowSize=10], was 11");
        assertThatThrownBy(() -> new CircuitBreaker.Config(10, 5, 0.0, Duration.ofMinutes(1), Duration.ofSeconds(1)))
                .hasMessage("failureRateThreshold must be in (0, 1], was 0.0");
    }
}
