package dev.handoff.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffExecutors;
import dev.handoff.core.HandoffSettings;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.core.audit.InMemoryAuditSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Handoff with a data retention purges by itself, so expired PHI leaves the disk while nothing writes to it. Time
 * is a {@link ManualTime} (clock of the stores and scheduler of the Handoff); each purge runs on the one io thread,
 * so a task queued behind it says it has finished.
 */
class RetentionPurgeTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(T);
    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    private Handoff.Builder handoff() {
        return Handoff.builder().clock(time).executors(HandoffExecutors.builder().scheduler(time).io(io).build());
    }

    /** Moves time on and waits until what it handed to the io thread has run. */
    private void advance(Duration d) throws Exception {
        time.advance(d);
        io.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void an_idle_handoff_removes_expired_contexts_from_the_disk_by_itself_and_one_turned_off_does_not() throws Exception {
        FileContextStore purged = FileContextStore.open(dir.resolve("on.journal"), null, time, Duration.ofDays(30));
        FileContextStore kept = FileContextStore.open(dir.resolve("off.journal"), null, time, Duration.ofDays(30));
        purged.put(GoldenContext.of("ctx-expiring-on", "chat-1", "cust-ann", T));
        kept.put(GoldenContext.of("ctx-expiring-off", "chat-2", "cust-bob", T));

        try (Handoff on = handoff().contextStore(purged).dataRetention(retention(purged, "on-links.journal"))
                     .retentionPurgeInterval(Duration.ofSeconds(1)).build();
             Handoff off = handoff().contextStore(kept).dataRetention(retention(kept, "off-links.journal"))
                     .retentionPurgeInterval(Duration.ZERO).build()) {
            advance(Duration.ofDays(31));   // both expired; no write follows that would rewrite either file
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

        try (Handoff h = handoff().dataRetention(flaky).retentionPurgeInterval(Duration.ofSeconds(1)).build()) {
            for (int i = 0; i < 4; i++) {
                advance(Duration.ofSeconds(1));
            }
            assertThat(calls).as("runs go on after two failures").hasValue(4);
        }
        advance(Duration.ofSeconds(3));   // three intervals
        assertThat(calls).as("no run after the handoff closed").hasValue(4);
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
        return FileDataRetention.builder(dir.resolve(links), new InMemoryAuditSink()).clock(time).retention(Duration.ofDays(30))
                .store("contexts", store).open();
    }

    private String text(String file) throws java.io.IOException {
        return new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.ISO_8859_1);
    }
}
