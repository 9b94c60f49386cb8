package dev.handoff.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.core.FlakyAuditSink;
import dev.handoff.core.context.CommitmentDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDataRetentionTest {

    private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

    @TempDir
    Path dir;

    private final ManualTime clock = new ManualTime(T);
    /** The audit sink: takes every record until a test sets it down. */
    private final FlakyAuditSink sink = new FlakyAuditSink();
    private FileContextStore contexts;
    private FileCommitmentLedger ledger;
    private FileDataRetention retention;

    @BeforeEach
    void open() {
        contexts = FileContextStore.open(dir.resolve("contexts.journal"), null, clock, Duration.ofDays(30));
        ledger = FileCommitmentLedger.open(dir.resolve("commitments.journal"), clock, new CommitmentDetector(), null, Duration.ofDays(30));
        retention = openRetention();
    }

    private FileDataRetention openRetention() {
        return FileDataRetention.builder(dir.resolve("customer-links.journal"), sink).clock(clock).retention(Duration.ofDays(30))
                .store("contexts", contexts).store("commitments", ledger).open();
    }

    /** Closes the retention and opens it again on the same files and sink, as a restarted process would. */
    private void restart() {
        retention.close();
        retention = openRetention();
    }

    @AfterEach
    void close() {
        retention.close();
        ledger.close();
        contexts.close();
    }

    private void promise(String session, String text) {
        ledger.observe(SessionId.of(session), new Turn(1, Speaker.AI, text, clock.instant(), null, false));
    }

    @Test
    void erasing_a_customer_removes_their_contexts_and_promises_from_every_file_and_audits_each_session() throws Exception {
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        contexts.put(GoldenContext.of("ctx-ann-1", "chat-1", "cust-ann", T));
        promise("chat-1", "I've waived the late fee.");
        promise("chat-2", "I've added a $20 credit to your account.");   // only the link ties chat-2 to Ann
        retention.linkSession(SessionId.of("chat-2"), "cust-ann");
        contexts.put(GoldenContext.of("ctx-ann-3", "chat-3", "cust-ann", T));   // only the context names Ann
        contexts.put(GoldenContext.of("ctx-bob", "chat-9", "cust-bob", T));
        promise("chat-9", "I've booked your engineer for Tuesday.");

        DataRetention.Erasure erasure = retention.eraseCustomer("cust-ann", "privacy-desk");

        assertThat(erasure.sessions()).extracting(SessionId::value).containsExactly("chat-1", "chat-2", "chat-3");
        assertThat(erasure.removed()).containsEntry("contexts", 2L).containsEntry("commitments", 2L).containsEntry("customer-links", 2L);
        assertThat(contexts.get("ctx-ann-1")).isEmpty();
        assertThat(ledger.commitments(SessionId.of("chat-2"))).isEmpty();
        assertThat(retention.linkedSessions("cust-ann")).isEmpty();
        assertThat(text("contexts.journal")).doesNotContain("ctx-ann").doesNotContain("cust-ann").contains("ctx-bob");
        assertThat(text("commitments.journal")).doesNotContain("late fee").doesNotContain("$20 credit").contains("engineer");
        assertThat(text("customer-links.journal")).doesNotContain("cust-ann");
        assertThat(sink.kept.records()).extracting(AuditRecord::action, r -> r.sessionId().value(), AuditRecord::outcome, AuditRecord::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AuditRecord.Action.CUSTOMER_DATA_ERASED, "chat-1", "erased", "privacy-desk"),
                        org.assertj.core.groups.Tuple.tuple(AuditRecord.Action.CUSTOMER_DATA_ERASED, "chat-2", "erased", "privacy-desk"),
                        org.assertj.core.groups.Tuple.tuple(AuditRecord.Action.CUSTOMER_DATA_ERASED, "chat-3", "erased", "privacy-desk"));
        assertThat(sink.kept.records().toString()).as("the audit never names the customer").doesNotContain("cust-ann");
        assertThat(contexts.get("ctx-bob")).isPresent();
        assertThat(ledger.commitments(SessionId.of("chat-9"))).hasSize(1);
    }

    @Test
    void a_customer_with_no_data_gets_one_audit_record_saying_so() {
        DataRetention.Erasure erasure = retention.eraseCustomer("cust-nobody", "privacy-desk");

        assertThat(erasure.sessions()).isEmpty();
        assertThat(erasure.total()).isZero();
        assertThat(sink.kept.records()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo("no-data");
            assertThat(r.sessionId().value()).startsWith("erasure-");
        });
    }

    @Test
    void links_survive_a_restart_and_expire_with_the_retention() throws Exception {
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        clock.advance(Duration.ofDays(20));
        retention.linkSession(SessionId.of("chat-2"), "cust-ann");
        retention.close();
        retention = openRetention();
        assertThat(retention.linkedSessions("cust-ann")).extracting(SessionId::value).containsExactlyInAnyOrder("chat-1", "chat-2");

        clock.advance(Duration.ofDays(11));   // chat-1 linked 31 days ago, chat-2 11 days ago
        DataRetention.Purge purge = retention.purgeExpired();

        assertThat(purge.removed()).containsEntry("customer-links", 1L);
        assertThat(retention.linkedSessions("cust-ann")).extracting(SessionId::value).containsExactly("chat-2");
        assertThat(text("customer-links.journal")).doesNotContain("chat-1").contains("chat-2");
    }

    @Test
    void a_line_of_the_links_file_that_is_neither_a_link_nor_an_audit_record_is_set_aside_and_the_others_are_kept() {
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        retention.close();
        Path links = dir.resolve("customer-links.journal");
        try (dev.handoff.core.internal.journal.FileJournal j = dev.handoff.core.internal.journal.FileJournal.open(links,
                new dev.handoff.core.internal.journal.FileJournal.Options(FileDataRetention.PURPOSE, null, clock), b -> { })) {
            j.append("{\"customerId\": \"cust-bob\"}".getBytes(StandardCharsets.UTF_8));   // no session, no time
            j.append("{\"unaudited\": {\"actor\": \"privacy-desk\"}}".getBytes(StandardCharsets.UTF_8));   // no time, action, outcome
            j.append("{\"unaudited\": null}".getBytes(StandardCharsets.UTF_8));
        }

        retention = openRetention();

        assertThat(retention.recovery().rejected()).isEqualTo(3);
        assertThat(retention.recovery().setAsideFile()).isPresent();
        assertThat(retention.linkedSessions("cust-ann")).extracting(SessionId::value).containsExactly("chat-1");
        assertThat(retention.linkedSessions("cust-bob")).isEmpty();
        retention.purgeExpired();
        assertThat(sink.kept.records()).as("a damaged audit line is not written").isEmpty();
    }

    @Test
    void purge_asks_every_store_to_drop_what_its_retention_no_longer_covers() throws Exception {
        contexts.put(GoldenContext.of("ctx-old", "chat-1", "cust-ann", T));
        promise("chat-1", "I've waived the late fee.");
        clock.advance(Duration.ofDays(31));

        DataRetention.Purge purge = retention.purgeExpired();

        assertThat(purge.removed()).containsEntry("contexts", 1L).containsEntry("commitments", 1L);
        assertThat(text("contexts.journal")).doesNotContain("ctx-old");
        assertThat(text("commitments.journal")).doesNotContain("late fee");
    }

    @Test
    void an_erasure_whose_rewrite_fails_audits_nothing_and_a_second_call_finishes_it() throws Exception {
        contexts.put(GoldenContext.of("ctx-ann", "chat-1", "cust-ann", T));
        promise("chat-1", "I've waived the late fee.");
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        Path blocker = Files.createDirectories(dir.resolve("commitments.journal.tmp").resolve("in-the-way"));

        assertThatThrownBy(() -> retention.eraseCustomer("cust-ann", "privacy-desk")).isInstanceOf(RetriableHandoffException.class)
                .hasMessageContaining("commitments.journal");
        assertThat(sink.kept.records()).isEmpty();
        assertThat(text("commitments.journal")).contains("late fee");

        Files.delete(blocker);
        Files.delete(blocker.getParent());
        DataRetention.Erasure erasure = retention.eraseCustomer("cust-ann", "privacy-desk");

        assertThat(erasure.sessions()).extracting(SessionId::value).containsExactly("chat-1");
        assertThat(text("commitments.journal")).doesNotContain("late fee");
        assertThat(text("contexts.journal")).doesNotContain("ctx-ann");
        assertThat(sink.kept.records()).singleElement().extracting(AuditRecord::outcome).isEqualTo("erased");
    }

    @Test
    void an_erasure_whose_audit_sink_fails_says_so_and_the_next_call_writes_its_records_first() throws Exception {
        sink.down.set(true);
        contexts.put(GoldenContext.of("ctx-ann", "chat-1", "cust-ann", T));
        promise("chat-1", "I've waived the late fee.");
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");

        assertThatThrownBy(() -> retention.eraseCustomer("cust-ann", "privacy-desk")).isInstanceOf(RetriableHandoffException.class)
                .hasMessage("The customer's data was erased (1 session(s)), but the audit sink did not take the 1 CUSTOMER_DATA_ERASED"
                        + " record(s); they are kept in customer-links.journal and written by the next purgeExpired or before those"
                        + " of the next eraseCustomer call: call again (1 record(s) wait)")
                .hasMessageNotContaining("cust-ann");
        assertThat(text("commitments.journal")).doesNotContain("late fee");
        assertThat(sink.kept.records()).isEmpty();

        sink.down.set(false);
        DataRetention.Erasure again = retention.eraseCustomer("cust-ann", "privacy-desk");

        assertThat(again.sessions()).isEmpty();
        assertThat(sink.kept.records()).as("the first erasure's record, then the retry's, which found nothing")
                .extracting(AuditRecord::outcome).containsExactly("erased", "no-data");
        assertThat(sink.kept.records().get(0).sessionId()).isEqualTo(SessionId.of("chat-1"));
    }

    @Test
    void erasure_records_the_sink_did_not_take_survive_a_restart_and_the_next_purge_writes_them_once() throws Exception {
        sink.down.set(true);
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        retention.linkSession(SessionId.of("chat-2"), "cust-ann");
        assertThatThrownBy(() -> retention.eraseCustomer("cust-ann", "privacy-desk")).isInstanceOf(RetriableHandoffException.class);
        Instant erasedAt = clock.instant();
        sink.down.set(false);   // the process stops while the audit database is down; it is up when the next one starts
        restart();
        assertThat(sink.kept.records()).as("opening does not call the sink").isEmpty();
        retention.purgeExpired();

        assertThat(sink.kept.records()).extracting(r -> r.sessionId().value(), AuditRecord::outcome, AuditRecord::actor, AuditRecord::at)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("chat-1", "erased", "privacy-desk", erasedAt),
                        org.assertj.core.groups.Tuple.tuple("chat-2", "erased", "privacy-desk", erasedAt));
        retention.purgeExpired();
        restart();
        retention.purgeExpired();
        assertThat(sink.kept.records()).as("written once: the file no longer holds them").hasSize(2);
        assertThat(text("customer-links.journal")).doesNotContain("chat-1");
    }

    @Test
    void kept_erasure_records_outlive_a_rewrite_of_the_links_file_and_a_purge_while_the_sink_is_still_down() throws Exception {
        sink.down.set(true);
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        assertThatThrownBy(() -> retention.eraseCustomer("cust-ann", "privacy-desk")).isInstanceOf(RetriableHandoffException.class);
        retention.linkSession(SessionId.of("chat-5"), "cust-bob");
        clock.advance(Duration.ofDays(31));

        assertThat(retention.purgeExpired().removed()).as("Bob's link expired, so the file is rewritten")
                .containsEntry("customer-links", 1L);
        assertThat(sink.kept.records()).isEmpty();

        sink.down.set(false);
        restart();
        retention.purgeExpired();

        assertThat(sink.kept.records()).extracting(r -> r.sessionId().value(), AuditRecord::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("chat-1", "erased"));
        assertThat(text("customer-links.journal")).doesNotContain("cust-bob").doesNotContain("chat-1");
    }

    @Test
    void a_record_the_sink_refuses_for_good_is_dropped_and_holds_up_neither_the_kept_records_nor_the_next_erasure() throws Exception {
        sink.down.set(true);
        sink.neverTaken = r -> r.sessionId().value().equals("chat-2");
        retention.linkSession(SessionId.of("chat-1"), "cust-ann");
        retention.linkSession(SessionId.of("chat-2"), "cust-ann");
        retention.linkSession(SessionId.of("chat-3"), "cust-bob");
        assertThatThrownBy(() -> retention.eraseCustomer("cust-ann", "privacy-desk")).isInstanceOf(RetriableHandoffException.class);

        sink.down.set(false);
        DataRetention.Erasure bob = retention.eraseCustomer("cust-bob", "privacy-desk");

        assertThat(bob.sessions()).extracting(SessionId::value).containsExactly("chat-3");
        assertThat(sink.kept.records()).as("the kept records in order, chat-2's dropped, then Bob's")
                .extracting(r -> r.sessionId().value()).containsExactly("chat-1", "chat-3");
        retention.linkSession(SessionId.of("chat-2"), "cust-cy");
        assertThatThrownBy(() -> retention.eraseCustomer("cust-cy", "privacy-desk"))
                .isInstanceOf(dev.handoff.api.NonRetriableHandoffException.class)
                .hasMessage("The customer's data was erased (1 session(s)), but the audit sink refused 1 of its 1 CUSTOMER_DATA_ERASED"
                        + " record(s) for good; they are logged, not kept");
        assertThat(retention.linkedSessions("cust-cy")).as("erased all the same").isEmpty();
        retention.purgeExpired();
        sink.neverTaken = r -> false;   // a chat-2 record still kept would now be written
        restart();
        retention.purgeExpired();
        assertThat(sink.kept.records()).as("nothing refused is kept or written later").hasSize(2);
    }

    @Test
    void bad_arguments_are_refused_with_the_field_and_value() {
        assertThatThrownBy(() -> retention.eraseCustomer(" ", "privacy-desk")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("customerId must be 1-256 characters and not blank, was 1 characters");
        assertThatThrownBy(() -> retention.eraseCustomer("cust-ann", "privacy desk")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actor must be 1-64 characters of [A-Za-z0-9_.:-], was 12 characters");
        assertThatThrownBy(() -> FileDataRetention.builder(dir.resolve("x.journal"), sink).store("contexts", contexts).store("contexts", ledger))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kind \"contexts\" is already used by another store");
        assertThatThrownBy(() -> FileDataRetention.builder(dir.resolve("x.journal"), sink).retention(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive, was PT-24H");
        assertThat(sink.kept.records()).isEmpty();
    }

    private String text(String file) throws IOException {
        return new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.ISO_8859_1);
    }
}
