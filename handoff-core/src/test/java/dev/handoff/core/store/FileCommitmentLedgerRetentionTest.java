package dev.handoff.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger.Verification;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.core.context.CommitmentDetector;
import dev.handoff.core.context.LedgerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommitmentLedgerRetentionTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final ManualTime clock = new ManualTime(T);

    private Turn promise(String text) {
        return new Turn(1, Speaker.AI, text, clock.instant(), null, false);
    }

    private FileCommitmentLedger open(Path file) {
        return FileCommitmentLedger.open(file, clock, new CommitmentDetector(), null, HOUR);
    }

    @Test
    void a_book_past_the_retention_is_forgotten_and_reopening_removes_its_promises_from_the_disk() throws Exception {
        Path file = dir.resolve("commitments.journal");
        SessionId quiet = SessionId.of("chat-quiet");
        SessionId busy = SessionId.of("chat-busy");
        try (FileCommitmentLedger ledger = open(file)) {
            ledger.observe(quiet, promise("I've waived the late fee."));
            ledger.observe(busy, promise("I've added a $20 credit to your account."));
            clock.advance(Duration.ofMinutes(50));
            ledger.verify(busy, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "ana", clock.instant()));
        }
        clock.advance(Duration.ofMinutes(20));   // quiet: 70 min since its last change; busy: 20 min

        try (FileCommitmentLedger reopened = open(file)) {
            assertThat(reopened.commitments(quiet)).isEmpty();
            assertThat(reopened.commitments(busy)).extracting(Commitment::status).containsExactly(Commitment.Status.CONFIRMED);
            assertThat(reopened.history(busy)).hasSize(2);
        }
        assertThat(text(file)).as("the forgotten promise is gone from the file").doesNotContain("late fee").contains("$20 credit");
    }

    @Test
    void purge_forgets_quiet_books_and_rewrites_the_file_without_them() throws Exception {
        Path file = dir.resolve("commitments.journal");
        try (FileCommitmentLedger ledger = open(file)) {
            ledger.observe(SessionId.of("chat-a"), promise("I've waived the late fee."));
            clock.advance(Duration.ofMinutes(30));
            ledger.observe(SessionId.of("chat-b"), promise("I've added a $20 credit to your account."));
            clock.advance(Duration.ofMinutes(31));

            assertThat(ledger.purgeExpired()).isEqualTo(1);
            assertThat(ledger.purgeExpired()).as("nothing left to remove").isZero();
            assertThat(text(file)).doesNotContain("late fee").contains("$20 credit");
            assertThat(ledger.commitments(SessionId.of("chat-a"))).isEmpty();
        }
    }

    @Test
    void the_file_stays_bounded_by_the_retention_window_without_a_purge_call() throws Exception {
        Path file = dir.resolve("commitments.journal");
        try (FileCommitmentLedger ledger = open(file)) {
            for (int i = 0; i < 1_000; i++) {
                ledger.observe(SessionId.of("chat-" + i), promise("I've waived the late fee."));
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(ledger.commitments(SessionId.of("chat-999"))).hasSize(1);
        }
        try (FileCommitmentLedger all = FileCommitmentLedger.open(file, clock)) {   // no retention: reads every entry
            assertThat(all.recovery().records()).as("entries in the file: under twice the 60 live ones plus 64, not 1,000")
                    .isLessThan(2 * 60 + 64);
        }
    }

    @Test
    void a_change_that_starts_a_failing_rewrite_still_succeeds_and_a_later_check_removes_the_forgotten_books() throws Exception {
        Path file = dir.resolve("commitments.journal");
        Path blocker = Files.createDirectories(dir.resolve("commitments.journal.tmp").resolve("in-the-way"));   // the rewrite's temp file
        try (FileCommitmentLedger ledger = open(file)) {
            for (int i = 0; i < 64; i++) {
                ledger.observe(SessionId.of("chat-a" + i), promise("I've waived the late fee."));
            }
            clock.advance(Duration.ofHours(2));
            for (int i = 0; i < 64; i++) {   // the 128th change forgets the first 64 books and tries a rewrite, which fails
                ledger.observe(SessionId.of("chat-b" + i), promise("I've added a $20 credit to your account."));
            }
            assertThat(ledger.commitments(SessionId.of("chat-b63"))).as("the change itself succeeded").hasSize(1);
            assertThat(text(file)).contains("late fee");

            Files.delete(blocker);
            Files.delete(blocker.getParent());
            clock.advance(Duration.ofHours(2));
            for (int i = 0; i < 64; i++) {
                ledger.observe(SessionId.of("chat-c" + i), promise("I've booked your engineer for Tuesday."));
            }
            assertThat(text(file)).as("the 192nd change's check rewrote the file").doesNotContain("late fee")
                    .doesNotContain("$20 credit").contains("engineer");
        }
    }

    @Test
    void erase_removes_the_sessions_promises_from_memory_and_file_and_keeps_the_others() throws Exception {
        Path file = dir.resolve("commitments.journal");
        SessionId erased = SessionId.of("chat-erased");
        SessionId kept = SessionId.of("chat-kept");
        try (FileCommitmentLedger ledger = FileCommitmentLedger.open(file, clock)) {   // erasure needs no retention
            ledger.observe(erased, promise("I've waived the late fee."));
            ledger.verify(erased, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "ana", clock.instant()));
            ledger.observe(kept, promise("I've added a $20 credit to your account."));

            assertThat(ledger.erase(Set.of(erased), "cust-1")).as("the recording and the verification").isEqualTo(2);
            assertThat(ledger.commitments(erased)).isEmpty();
            assertThatThrownBy(() -> ledger.verify(erased, "c-1", new Verification(Commitment.Status.REVOKED, null, "ana", clock.instant())))
                    .hasMessageContaining("no commitment \"c-1\" in session chat-erased");
        }
        assertThat(text(file)).doesNotContain("late fee").doesNotContain("chat-erased").contains("$20 credit");
        try (FileCommitmentLedger reopened = FileCommitmentLedger.open(file, clock)) {
            assertThat(reopened.commitments(kept)).hasSize(1);
            assertThat(reopened.recovery().clean()).isTrue();
        }
    }

    @Test
    void rewrites_running_beside_writers_lose_no_acknowledged_change() throws Exception {
        Path file = dir.resolve("commitments.journal");
        List<LedgerEntry> acknowledged;
        try (FileCommitmentLedger ledger = FileCommitmentLedger.open(file, clock, new CommitmentDetector(), null, Duration.ofDays(1))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            AtomicBoolean writing = new AtomicBoolean(true);
            CountDownLatch started = new CountDownLatch(1);
            Future<Integer> rewriter = pool.submit(() -> {
                int n = 0;
                started.countDown();
                while (writing.get()) {   // an erasure of a session nobody writes to rewrites the whole file each time
                    ledger.erase(Set.of(SessionId.of("chat-nobody")), "cust-nobody");
                    n++;
                }
                return n;
            });
            started.await();
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        SessionId s = SessionId.of("chat-" + writer + "-" + i);
                        ledger.observe(s, new Turn(1, Speaker.AI, "I've waived the late fee.", T, null, false));
                        ledger.verify(s, "c-1", new Verification(Commitment.Status.CONFIRMED, null, "ana", T));
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            assertThat(rewriter.get(60, TimeUnit.SECONDS)).as("rewrites ran").isPositive();
            pool.shutdown();
            acknowledged = ledger.entries();
        }
        assertThat(acknowledged).hasSize(3 * 150 * 2);
        try (FileCommitmentLedger reopened = FileCommitmentLedger.open(file, clock)) {
            List<LedgerEntry> read = reopened.entries();
            assertThat(new HashSet<>(read)).as("every acknowledged change, once").isEqualTo(new HashSet<>(acknowledged));
            assertThat(read).hasSameSizeAs(acknowledged);
            assertThat(reopened.history(SessionId.of("chat-2-149"))).extracting(LedgerEntry::action)
                    .containsExactly(LedgerEntry.Action.RECORDED, LedgerEntry.Action.VERIFIED);
        }
    }

    @Test
    void a_retention_that_is_not_positive_is_refused_with_the_value() {
        assertThatThrownBy(() -> FileCommitmentLedger.open(dir.resolve("c.journal"), clock, new CommitmentDetector(), null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive, was PT0S");
    }

    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }
}
