package dev.handoff.crm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = RetryPolicy.defaults();

    @ParameterizedTest(name = "failure {0}, random {1} -> {2} ms")
    @CsvSource({
            // 500 ms x 2^(n-1), capped at 5 s, x (0.75 + 0.25 r)
            "1, 0.0,   375",
            "1, 0.5,   437.5",
            "1, 0.999999, 499.9995",
            "2, 0.0,   750",
            "3, 0.0,   1500",
            "4, 0.5,   3500",
            "5, 0.0,   3750",
            "5, 0.999999, 4999.99875",
            "9, 0.0,   3750",
            "40, 0.0,  3750"})
    void backoff_doubles_from_500_ms_caps_at_5_s_and_jitters_between_75_and_100_percent(int failures, double r, double millis) {
        Duration wait = policy.backoff(failures, () -> r);

        assertThat(wait.toNanos() / 1_000_000.0).isCloseTo(millis, org.assertj.core.data.Offset.offset(0.001));
    }

    @Test
    void seeded_random_gives_the_same_schedule_every_time_and_stays_in_bounds() {
        Random a = new Random(42);
        Random b = new Random(42);
        for (int n = 1; n <= 8; n++) {
            Duration first = policy.backoff(n, a::nextDouble);
            Duration second = policy.backoff(n, b::nextDouble);
            long capMillis = Math.min(5000, 500L << (n - 1));

            assertThat(first).isEqualTo(second);
            assertThat(first.toMillis()).isBetween(capMillis * 3 / 4, capMillis);
        }
    }

    @Test
    void rejects_a_random_source_outside_zero_to_one() {
        assertThatThrownBy(() -> policy.backoff(1, () -> 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("random must return values in [0, 1), returned 1.0");
    }

    @Test
    void rejects_bad_settings_with_the_value() {
        assertThatThrownBy(() -> policy.withMaxAttempts(0))
                .hasMessage("maxAttempts must be at least 1, was 0");
        assertThatThrownBy(() -> policy.withDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("maxDelay PT1S must not be shorter than initialDelay PT2S");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(1), 0.5, Duration.ofSeconds(1), 0.75, Duration.ZERO))
                .hasMessage("multiplier must be a finite number of at least 1, was 0.5");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(1), 2, Duration.ofSeconds(1), 1.5, Duration.ZERO))
                .hasMessage("jitterMin must be in [0, 1], was 1.5");
    }
}
