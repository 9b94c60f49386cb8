package dev.handoff.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSettings;
import dev.handoff.core.ManualTime;
import dev.handoff.core.audit.InMemoryAuditSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Handoff with a data retention purges by itself, so expired PHI leaves the disk while nothing writes to it. */
class RetentionPurgeTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualTime clock = new ManualTime(T);

    @Test
    void an_idle_handoff_removes_expired_contexts_from_the_disk_by_itself_and_one_turned_off_does_not() throws Exception {
        FileContextStore purged = FileContextStore.open(dir.resolve("on.journal"), null, clock, Duration.ofDays(30));
        FileContextStore kept = FileContextStore.open(dir.resolve("off.journal"), null, clock, Duration.ofDays(30));
        purged.put(GoldenContext.of("ctx-expiring-on", "chat-1", "cust-ann", T));
        kept.put(GoldenContext.of("ctx-expiring-off", "chat-2", "cust-bob", T));
        clock.advance(Duration.ofDays(31));   // both expired; no write follows that would rewrite either file

        try (Handoff on = Handoff.builder().contextStore(purged).dataRetention(retention(purged, "on-links.journal"))
                     .retentionPurgeInterval(Duration.ofSeconds(1)).build();
             Handoff off = Handoff.builder().contextStore(kept).dataRetention(retention(kept, "off-links.journal"))
                     .retentionPurgeInterval(Duration.ZERO).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // no event marks a purge: wait for its result in the file
            while (text("on.journal").contains("ctx-expiring-on")) {
                assertThat(System.nanoTime()).as("the expired context leaves the file within 30 s, with no call").isLessThan(deadline);
                Thread.sleep(100);
            }
        } finally {
            purged.close();
            kept.close();
        }

        assertThat(text("on.journal")).doesNotContain("ctx-expiring-on").doesNotContain("cust-ann");
        assertThat(text("off.journal")).as("purge turned off").contains("ctx-expiring-off");
    }

    @Test
    void a_failing_purge_is_tried_again_at_the_next_interval_and_stops_when_the_handoff_closes() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        DataRetention flaky = new DataRetention() {
            @Override
            public Purge purgeExpired() {
                if (calls.incrementAndGet() <= 2) {
                    throw new RetriableHandoffException("store briefly unavailable");
                }
                return new Purge(Instant.now(), Map.of());
            }

            @Override
            public Erasure eraseCustomer(String customerId, String actor) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void linkSession(SessionId session, String customerId) {
            }
        };

        int atClose;
        try (Handoff h = Handoff.builder().dataRetention(flaky).retentionPurgeInterval(Duration.ofSeconds(1)).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (calls.get() < 4) {
                assertThat(System.nanoTime()).as("runs go on after two failures").isLessThan(deadline);
                Thread.sleep(50);
            }
            atClose = calls.get();
        }
        Thread.sleep(3_000);   // three intervals
        assertThat(calls.get()).as("at most the run under way when the handoff closed").isBetween(atClose, atClose + 1);
    }

    @Test
    void an_interval_out_of_range_is_refused_naming_the_setting_and_value() {
        assertThatThrownBy(() -> Handoff.builder().retentionPurgeInterval(Duration.ofMillis(500))).isInstanceOf(ConfigurationException.class)
                .hasMessage("retentionPurgeInterval must be PT0S (off) or PT1S to PT24H, was PT0.5S");
        assertThatThrownBy(() -> HandoffSettings.builder().retentionPurgeInterval(Duration.ofDays(2))).isInstanceOf(ConfigurationException.class)
                .hasMessage("retentionPurgeInterval must be PT0S (off) or PT1S to PT24H, was PT48H");
        assertThatThrownBy(() -> HandoffSettings.builder().retentionPurgeInterval(Duration.ofSeconds(-1))).isInstanceOf(ConfigurationException.class)
                .hasMessage("retentionPurgeInterval must be PT0S (off) or PT1S to PT24H, was PT-1S");
        assertThat(HandoffSettings.ofDefaults().retentionPurgeInterval()).isEqualTo(Duration.ofMinutes(10));
    }

    private FileDataRetention retention(FileContextStore store, String links) {
        return FileDataRetention.builder(dir.resolve(links), new InMemoryAuditSink()).clock(clock).retention(Duration.ofDays(30))
                .store("contexts", store).open();
    }

    private String text(String file) throws java.io.IOException {
        return new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.ISO_8859_1);
    }
}
