package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.store.AtRestKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an audit spool, the records a failing sink has not taken survive the Handoff: one closed or killed during the
 * outage leaves them in the file, and the next one on the same file writes them, in order, with their own times.
 */
// a child JVM that never prints would leave readLine waiting: a failure after a generous bound, not a hang
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuditSpoolTest {

    @TempDir
    Path dir;

    private final ExecutorService agents = Executors.newCachedThreadPool();
    private final List<Handoff> open = new ArrayList<>();

    @AfterEach
    void tearDown() {
        agents.shutdownNow();
        open.forEach(Handoff::close);
    }

    private Handoff start(Handoff.Builder b) {
        Handoff h = b.build();
        open.add(h);
        return h;
    }

    private void stop(Handoff h) {
        open.remove(h);
        h.close();
    }

    private HandoffOutcome connect(Handoff h) throws Exception {
        AgentQueue support = h.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(Offer::accept));
        HandoffSession session = h.open(Channel.CHAT);
        return session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void records_left_by_a_handoff_closed_during_an_outage_are_written_by_the_next_one_and_only_once() throws Exception {
        Path spool = dir.resolve("audit").resolve("spool.journal");
        FlakyAuditSink down = new FlakyAuditSink();
        down.down.set(true);
        Handoff first = start(Handoff.builder().auditSink(down).auditSpool(spool));
        HandoffOutcome during = connect(first);
        assertThat(during.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(first.auditBacklog()).isEqualTo(new dev.handoff.core.audit.AuditBacklog(4, dev.handoff.core.audit.AuditBacklog.DEFAULT_LIMIT, 0, spool, true));
        Instant beforeRestart = Instant.now();
        stop(first);   // the sink is still down: its last attempt fails too
        assertThat(down.kept.records()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.getParent()))).isEqualTo("rwx------");

        FlakyAuditSink back = new FlakyAuditSink();
        Handoff second = start(Handoff.builder().auditSink(back).auditSpool(spool));
        back.awaitWritten(4);
        assertThat(back.kept.records()).extracting(AuditRecord::action).containsExactlyElementsOf(AuditRetryTest.CONNECTED_TRAIL);
        assertThat(back.kept.records()).extracting(AuditRecord::sessionId).containsOnly(during.sessionId());
        assertThat(back.kept.records()).as("each keeps the time it was made").allSatisfy(r -> assertThat(r.at()).isBefore(beforeRestart));
        stop(second);

        InMemoryAuditSink third = new InMemoryAuditSink();
        stop(start(Handoff.builder().auditSink(third).auditSpool(spool)));
        assertThat(third.records()).as("written records are not written again").isEmpty();
    }

    @Test
    void records_kept_by_a_handoff_killed_during_an_outage_are_written_by_the_next_one() throws Exception {
        Path spool = dir.resolve("spool.journal");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), AuditSpoolChild.class.getName(),
                spool.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> acknowledged = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (acknowledged.size() < 30 && (line = out.readLine()) != null) {
                if (line.startsWith("kept ")) {
                    acknowledged.add(line.substring(5));
                }
            }
            child.destroyForcibly();   // kill -9, while it may still be recording
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acknowledged).hasSize(30);

        InMemoryAuditSink back = new InMemoryAuditSink();
        stop(start(Handoff.builder().auditSink(back).auditSpool(spool)));   // close writes what is pending, at the latest

        List<String> written = back.records().stream().map(r -> r.sessionId().value()).toList();
        assertThat(written).as("every acknowledged record, first and in order").startsWith(acknowledged.toArray(String[]::new));
        assertThat(written).as("and the ones after them, in order, none twice")
                .containsExactlyElementsOf(IntStream.range(0, written.size()).mapToObj(i -> "s-" + i).toList());
    }

    @Test
    void a_spool_carried_through_restarts_while_the_sink_stays_down_keeps_every_record_in_order() {
        Path spool = dir.resolve("long-outage.journal");
        int records = AuditSpool.RECORDS_PER_ENTRY * 2 + 500;   // rewritten on open as several entries
        FlakyAuditSink down = new FlakyAuditSink();
        down.down.set(true);
        Handoff first = start(Handoff.builder().auditSink(down).auditSpool(spool));
        for (int i = 0; i < records; i++) {
            first.auditSink().record(new AuditRecord(Instant.now(), "alice", AuditRecord.Action.CONTEXT_VIEWED, SessionId.of("s-" + i),
                    null, "opened"));
        }
        stop(first);
        Handoff second = start(Handoff.builder().auditSink(down).auditSpool(spool));   // still down: replayed, kept, left again
        assertThat(second.auditBacklog().waiting()).isEqualTo(records);
        stop(second);
        java.util.concurrent.atomic.AtomicInteger entries = new java.util.concurrent.atomic.AtomicInteger();
        dev.handoff.core.internal.journal.FileJournal.open(spool, new dev.handoff.core.internal.journal.FileJournal.Options(
                AuditSpool.PURPOSE, null, java.time.Clock.systemUTC()), bytes -> entries.incrementAndGet()).close();
        assertThat(entries.get()).as("the rewrite on open: entries of at most %d records", AuditSpool.RECORDS_PER_ENTRY).isEqualTo(3);

        InMemoryAuditSink back = new InMemoryAuditSink();
        stop(start(Handoff.builder().auditSink(back).auditSpool(spool)));
        assertThat(back.records()).extracting(r -> r.sessionId().value())
                .containsExactlyElementsOf(IntStream.range(0, records).mapToObj(i -> "s-" + i).toList());
    }

    @Test
    void sealed_records_are_written_after_a_restart_and_the_file_shows_no_id() throws Exception {
        Path spool = dir.resolve("sealed.journal");
        AtRestKeys keys = AtRestKeys.of("k1", new byte[32]);
        FlakyAuditSink down = new FlakyAuditSink();
        down.down.set(true);
        Handoff first = start(Handoff.builder().auditSink(down).auditSpool(spool, keys));
        first.auditSink().record(new AuditRecord(Instant.now(), "alice", AuditRecord.Action.CONTEXT_VIEWED,
                SessionId.of("s-sealed-42"), "ctx-sealed-42", "ok"));
        stop(first);
        assertThat(new String(Files.readAllBytes(spool), StandardCharsets.ISO_8859_1)).doesNotContain("s-sealed-42");

        InMemoryAuditSink back = new InMemoryAuditSink();
        stop(start(Handoff.builder().auditSink(back).auditSpool(spool, keys)));
        assertThat(back.records()).extracting(AuditRecord::contextId).containsExactly("ctx-sealed-42");
    }

    @Test
    void a_spool_that_is_not_a_journal_or_is_open_in_another_handoff_fails_the_build_naming_the_file() throws Exception {
        Path notAJournal = dir.resolve("notes.txt");
        Files.writeString(notAJournal, "hello");
        assertThatThrownBy(() -> start(Handoff.builder().auditSpool(notAJournal)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessageContaining(notAJournal.toString())
                .hasMessageContaining("is not a Handoff journal");
        assertThat(Files.readString(notAJournal)).isEqualTo("hello");

        Path spool = dir.resolve("shared.journal");
        Handoff first = start(Handoff.builder().auditSpool(spool));
        assertThatThrownBy(() -> start(Handoff.builder().auditSpool(spool)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessageContaining(spool.toString())
                .hasMessageContaining("already open");
        stop(first);
        stop(start(Handoff.builder().auditSpool(spool)));   // free again once the first is closed
    }
}
