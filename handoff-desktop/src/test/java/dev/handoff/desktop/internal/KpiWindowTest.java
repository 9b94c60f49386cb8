package dev.handoff.desktop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wallboard's one-day window of core metrics, and the CSV cell guard. */
class KpiWindowTest {

    static final class Time extends Clock {
        Instant now = Instant.parse("2026-03-04T12:00:30Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void counters_timers_and_gauges_are_summed_over_the_last_hour_or_day_and_older_minutes_fall_out() {
        Time time = new Time();
        KpiWindow w = new KpiWindow(time);
        w.increment("handoff.handoffs", Map.of("result", "connected"));
        w.record("handoff.latency.phase", Duration.ofMillis(900), Map.of("phase", "CONNECTED"));
        w.gauge("handoff.repetition.rate", 0.2, Map.of());
        time.now = time.now.plus(Duration.ofMinutes(90));
        w.increment("handoff.handoffs", Map.of("result", "connected"));
        w.record("handoff.latency.phase", Duration.ofMillis(100), Map.of("phase", "CONNECTED"));
        w.gauge("handoff.repetition.rate", 0.0, Map.of());

        KpiWindow.Totals hour = w.totals(Duration.ofHours(1));
        KpiWindow.Totals day = w.totals(Duration.ofDays(1));

        assertThat(hour.count("handoff.handoffs{result=connected}")).isEqualTo(1);
        assertThat(day.count("handoff.handoffs{result=connected}")).isEqualTo(2);
        assertThat(day.percentile("handoff.latency.phase{phase=CONNECTED}", 50)).isEqualTo(100);
        assertThat(day.percentile("handoff.latency.phase{phase=CONNECTED}", 99)).isEqualTo(900);
        assertThat(hour.mean("handoff.repetition.rate")).isEqualTo(0.0);
        assertThat(day.mean("handoff.repetition.rate")).isEqualTo(0.1);

        time.now = time.now.plus(Duration.ofDays(1));
        assertThat(w.totals(Duration.ofDays(1)).count("handoff.handoffs{result=connected}")).as("a day later").isZero();
        w.increment("handoff.handoffs", Map.of("result", "connected"));
        assertThat(w.totals(Duration.ofDays(1)).count("handoff.handoffs{result=connected}")).as("the ring is reused").isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "0.5|0.5",
        "-3|-3",
        "=HYPERLINK(\"http://evil\")|~\"'=HYPERLINK(\"\"http://evil\"\")\"~",
        "+cmd|~\"'+cmd\"~",
        "@SUM(A1)|~\"'@SUM(A1)\"~",
        "support, tier 2|~\"support, tier 2\"~",
        "PACKAGED|PACKAGED"})
    void csv_cells_are_quoted_and_never_run_as_formulas(String value, String cell) {
        assertThat(Board.cell(value)).isEqualTo(cell);
    }
}
