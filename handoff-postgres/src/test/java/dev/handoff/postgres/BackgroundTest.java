package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Scheduler;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Jdbc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class BackgroundTest {

    /** While the database is down a poll fails on every run: the log says so once, then every 60th time, not every run. */
    @Test
    void a_periodic_task_that_keeps_failing_is_logged_at_warn_once_and_then_every_sixtieth_time() throws Exception {
        int failures = 2 * Background.WARN_EVERY + 10;
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(1);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Background bg = new Background(new Jdbc(new PGSimpleDataSource()), "bg-test", 1, false)) {
            bg.attach(Scheduler.of(timer));
            bg.every(Duration.ofMillis(1), "flaky poll", () -> {
                if (runs.incrementAndGet() <= failures) {
                    throw new IllegalStateException("PostgreSQL unavailable (test)");
                }
                recovered.countDown();
            });
            assertThat(recovered.await(60, TimeUnit.SECONDS)).as("the task ran past its failures").isTrue();
        } finally {
            System.setErr(originalErr);
            timer.shutdownNow();
        }

        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("WARN") && l.contains("flaky poll failed")))
                .containsExactly(
                        "WARN dev.handoff.postgres.internal.Background - flaky poll failed: PostgreSQL unavailable (test)",
                        "WARN dev.handoff.postgres.internal.Background - flaky poll failed 60 times in a row: PostgreSQL unavailable (test)",
                        "WARN dev.handoff.postgres.internal.Background - flaky poll failed 120 times in a row: PostgreSQL unavailable (test)");
    }
}
