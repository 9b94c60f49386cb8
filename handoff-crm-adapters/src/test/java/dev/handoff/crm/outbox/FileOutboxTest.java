package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore.Claim;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.TestContexts;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutboxTest {

    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("outbox");
    }

    static HandoffContext context(String id) {
        return TestContexts.sample(id, TestContexts.sample().customer());
    }

    @Test
    void a_pending_push_survives_a_reopen_and_an_acknowledged_one_does_not_come_back() {
        OutboxEntry delivered;
        OutboxEntry waiting;
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            delivered = outbox.append("hubspot", "hubspot:ctx-1", context("ctx-1"));
            waiting = outbox.append("zendesk", "zendesk:ctx-1", context("ctx-1"));
            outbox.acknowledge(delivered.id(), new CrmReceipt("hubspot", "7001", null));
        }

        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.pending()).containsExactly(waiting);
        }
    }

    @Test
    void erasing_a_customer_drops_their_pending_pushes_and_dead_letters_from_both_journals() throws IOException {
        dev.handoff.api.CustomerData ann = new dev.handoff.api.CustomerData("cust-ann", java.util.Map.of(), java.util.Map.of(), java.util.List.of());
        dev.handoff.api.CustomerData bob = new dev.handoff.api.CustomerData("cust-bob", java.util.Map.of(), java.util.Map.of(), java.util.List.of());
        OutboxEntry bobs;
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            outbox.append("hubspot", "hubspot:ctx-ann-1", TestContexts.sample("ctx-ann-1", ann));
            OutboxEntry refused = outbox.append("zendesk", "zendesk:ctx-ann-2", TestContexts.sample("ctx-ann-2", ann));
            outbox.deadLetter(refused.id(), "zendesk POST /tickets 422");
            bobs = outbox.append("hubspot", "hubspot:ctx-bob", TestContexts.sample("ctx-bob", bob));

            assertThat(outbox.sessionsNaming("cust-ann")).extracting(dev.handoff.api.SessionId::value).containsExactly("s-7");
            assertThat(outbox.erase(java.util.Set.of(), "cust-ann")).as("one pending push and one dead letter").isEqualTo(2);

            assertThat(outbox.pending()).containsExactly(bobs);
            assertThat(outbox.deadLetters()).isEmpty();
        }
        assertThat(new String(Files.readAllBytes(dir().resolve(FileOutbox.JOURNAL)), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("ctx-ann").contains("ctx-bob");
        assertThat(new String(Files.readAllBytes(dir().resolve(FileOutbox.DEAD_LETTERS)), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("ctx-ann");
        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.pending()).containsExactly(bobs);
            assertThat(reopened.deadLetters()).isEmpty();
        }
    }

    @Test
    void dead_letters_older_than_their_retention_are_purged_from_the_journal() throws IOException {
        ManualTime clock = new ManualTime(Instant.parse("2026-03-02T14:00:00Z"));
        try (FileOutbox outbox = FileOutbox.open(dir(), clock, null, java.time.Duration.ofDays(7))) {
            outbox.deadLetter(outbox.append("zendesk", "zendesk:ctx-old", context("ctx-old")).id(), "zendesk POST /tickets 422");
            clock.advance(java.time.Duration.ofDays(5));
            outbox.deadLetter(outbox.append("zendesk", "zendesk:ctx-new", context("ctx-new")).id(), "zendesk POST /tickets 422");
            clock.advance(java.time.Duration.ofDays(3));   // the first was given up 8 days ago, the second 3

            assertThat(outbox.purgeExpired()).isEqualTo(1);
            assertThat(outbox.deadLetters()).extracting(d -> d.entry().contextId()).containsExactly("ctx-new");
        }
        assertThat(new String(Files.readAllBytes(dir().resolve(FileOutbox.DEAD_LETTERS)), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("ctx-old").contains("ctx-new");
        try (FileOutbox withoutRetention = FileOutbox.open(dir(), clock)) {
            assertThat(withoutRetention.purgeExpired()).as("no retention: dead letters stay until erased").isZero();
            assertThat(withoutRetention.deadLetters()).hasSize(1);
        }
        assertThatThrownBy(() -> FileOutbox.open(tmp.resolve("other"), clock, null, java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("deadLetterRetention must be positive, was PT0S");
    }

    @Test
    void finished_entries_are_compacted_away_on_open() throws IOException {
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            for (int i = 0; i < 20; i++) {
                OutboxEntry e = outbox.append("webhook", "webhook:ctx-" + i, context("ctx-" + i));
                outbox.acknowledge(e.id(), null);
            }
            outbox.append("webhook", "webhook:ctx-last", context("ctx-last"));
        }
        long before = Files.size(dir().resolve(FileOutbox.JOURNAL));

        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-last");
        }
        long after = Files.size(dir().resolve(FileOutbox.JOURNAL));
        assertThat(after).isLessThan(before / 10);
        try (FileOutbox again = FileOutbox.open(dir())) {
            assertThat(again.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-last");
        }
    }

    @Test
    void a_torn_last_record_from_a_crash_is_cut_and_appends_continue() throws IOException {
        OutboxEntry first;
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            first = outbox.append("webhook", "webhook:ctx-1", context("ctx-1"));
            outbox.append("webhook", "webhook:ctx-2", context("ctx-2"));
        }
        Path journal = dir().resolve(FileOutbox.JOURNAL);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(f.length() - 7); // the crash hit in the middle of the second append
        }

        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.pending()).containsExactly(first);
            assertThat(reopened.recovery().tornBytes()).isPositive();
            reopened.append("webhook", "webhook:ctx-3", context("ctx-3"));
        }
        try (FileOutbox again = FileOutbox.open(dir())) {
            assertThat(again.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-1", "ctx-3");
            assertThat(again.recovery().clean()).isTrue();
        }
    }

    @Test
    void a_damaged_record_in_the_middle_is_set_aside_and_every_record_after_it_is_replayed() throws IOException {
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            for (int i = 1; i <= 5; i++) {
                outbox.append("webhook", "webhook:ctx-" + i, context("ctx-" + i));
            }
        }
        Path journal = dir().resolve(FileOutbox.JOURNAL);
        byte[] bytes = Files.readAllBytes(journal);
        int second = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("webhook:ctx-2");
        bytes[second] ^= 0x20; // flip one bit inside the second record's payload
        Files.write(journal, bytes);

        try (FileOutbox reopened = FileOutbox.open(dir()); Stream<Path> files = Files.list(dir())) {
            assertThat(reopened.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-1", "ctx-3", "ctx-4", "ctx-5");
            assertThat(reopened.recovery().damaged()).isEqualTo(1);
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("outbox.journal.set-aside-"));
        }
    }

    @Test
    void a_dead_letter_keeps_the_context_and_the_reason_across_a_reopen() {
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            OutboxEntry e = outbox.append("salesforce", "salesforce:ctx-1", context("ctx-1"));
            outbox.deadLetter(e.id(), "salesforce POST /services/data/v60.0/sobjects/Case was refused: HTTP 400");
            assertThat(outbox.pending()).isEmpty();
        }

        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.pending()).isEmpty();
            assertThat(reopened.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.entry().adapter()).isEqualTo("salesforce");
                assertThat(d.entry().idempotencyKey()).isEqualTo("salesforce:ctx-1");
                assertThat(d.entry().contextJson()).contains("\"contextId\":\"ctx-1\"");
                assertThat(d.reason()).isEqualTo("salesforce POST /services/data/v60.0/sobjects/Case was refused: HTTP 400");
            });
        }
    }

    @Test
    void an_invalid_context_is_refused_before_it_is_written() {
        HandoffContext bad = context("ctx-1").withCommitments(List.of(new dev.handoff.api.Commitment(" ", dev.handoff.api.Commitment.Kind.OTHER,
                dev.handoff.api.Commitment.Strength.SOFT, "x", null, 0, dev.handoff.api.Commitment.Status.PENDING_VERIFICATION, null, null, null)));
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            assertThatThrownBy(() -> outbox.append("webhook", "webhook:ctx-1", bad)).isInstanceOf(ValidationException.class);
            assertThat(outbox.pending()).isEmpty();
        }
    }

    @Test
    void journal_and_dead_letters_are_owner_only_and_can_be_encrypted() throws IOException {
        try (FileOutbox outbox = FileOutbox.open(dir(), Clock.systemUTC(), AtRestKeys.of("k1", new byte[32]))) {
            OutboxEntry e = outbox.append("webhook", "webhook:ctx-1", context("ctx-1"));
            outbox.deadLetter(e.id(), "refused");
        }
        for (String name : List.of(FileOutbox.JOURNAL, FileOutbox.DEAD_LETTERS, "outbox.lock")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve(name)))).as(name).isEqualTo("rw-------");
            assertThat(new String(Files.readAllBytes(dir().resolve(name)), StandardCharsets.ISO_8859_1)).as(name)
                    .doesNotContain("Dana Reyes", "dana@example.com");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
        try (FileOutbox reopened = FileOutbox.open(dir(), Clock.systemUTC(), AtRestKeys.of("k1", new byte[32]))) {
            assertThat(reopened.deadLetters()).hasSize(1);
        }
    }

    @Test
    void one_directory_cannot_be_opened_twice() {
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            assertThatThrownBy(() -> FileOutbox.open(dir()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Outbox directory " + dir() + " is already open (by this or another process);"
                            + " give each process its own directory");
            assertThat(outbox.pending()).isEmpty();
        }
    }

    @Test
    void an_append_whose_key_is_still_pending_returns_the_pending_entry_and_writes_nothing() {
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            OutboxEntry first = outbox.append("webhook", "webhook:ctx-1", context("ctx-1"));

            OutboxEntry again = outbox.append("webhook", "webhook:ctx-1", context("ctx-1"));

            assertThat(again).isEqualTo(first);
            assertThat(outbox.pendingCount()).isEqualTo(1);
            outbox.acknowledge(first.id(), null);
            assertThat(outbox.append("webhook", "webhook:ctx-1", context("ctx-1")).id()).as("a delivered key is a new push here")
                    .isNotEqualTo(first.id());
        }
        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.append("webhook", "webhook:ctx-1", context("ctx-1"))).isEqualTo(reopened.pending().get(0));
            assertThat(reopened.pendingCount()).isEqualTo(1);
        }
    }

    @Test
    void a_claim_holds_until_its_lease_runs_out_and_a_superseded_claim_changes_nothing() {
        ManualTime clock = new ManualTime(Instant.parse("2026-03-02T14:00:00Z"));
        try (FileOutbox outbox = FileOutbox.open(dir(), clock)) {
            outbox.append("webhook", "webhook:ctx-1", context("ctx-1"));
            outbox.append("legacy", "legacy:ctx-1", context("ctx-1"));

            Claim first = outbox.claimDue(Set.of("webhook"), 10, Duration.ofSeconds(30)).get(0);
            assertThat(outbox.claimDue(Set.of("webhook", "legacy"), 10, Duration.ofSeconds(30))).extracting(c -> c.entry().adapter())
                    .as("the claimed one is not handed out twice").containsExactly("legacy");
            clock.advance(Duration.ofSeconds(31));
            Claim second = outbox.claimDue(Set.of("webhook"), 10, Duration.ofSeconds(30)).get(0);

            assertThat(second.entry()).isEqualTo(first.entry());
            assertThat(outbox.acknowledge(first, null)).isFalse();
            assertThat(outbox.pendingCount()).isEqualTo(2);
            assertThat(outbox.retryLater(second, Duration.ofMinutes(1))).isTrue();
            assertThat(outbox.claimDue(Set.of("webhook"), 10, Duration.ofSeconds(30))).as("not due yet").isEmpty();
            clock.advance(Duration.ofMinutes(1));
            Claim third = outbox.claimDue(Set.of("webhook"), 10, Duration.ofSeconds(30)).get(0);
            assertThat(third.failures()).isEqualTo(1);
            assertThat(outbox.deadLetter(third, "webhook POST /hooks was refused: HTTP 400")).isTrue();
            assertThat(outbox.deadLetters()).extracting(d -> d.reason()).containsExactly("webhook POST /hooks was refused: HTTP 400");
            assertThat(outbox.pendingCount()).isEqualTo(1);
        }
    }

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** Writes enqueue records as they are on disk, e.g. as a build from before trace contexts wrote them. */
    private void writeJournal(String... records) {
        try (FileJournal journal = FileJournal.open(dir().resolve(FileOutbox.JOURNAL),
                new FileJournal.Options("handoff.outbox", null, Clock.systemUTC()), bytes -> { })) {
            for (String r : records) {
                journal.append(r.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static String enqueueRecord(String id, String contextId, String extraFields) throws IOException {
        String contextJson = new String(dev.handoff.core.json.ContextJson.get().write(context(contextId)), StandardCharsets.UTF_8);
        var node = dev.handoff.core.json.ContextJson.get().mapper().createObjectNode().put("op", "enqueue").put("id", id)
                .put("adapter", "webhook").put("key", "webhook:" + contextId).put("contextId", contextId)
                .put("at", "2026-03-02T14:00:00Z").put("context", contextJson);
        String json = node.toString();
        return extraFields.isEmpty() ? json : json.substring(0, json.length() - 1) + "," + extraFields + "}";
    }

    @Test
    void the_trace_context_is_kept_across_a_reopen_and_nothing_but_the_w3c_fields_is_written() throws IOException {
        OutboxEntry traced;
        try (FileOutbox outbox = FileOutbox.open(dir())) {
            traced = outbox.append("webhook", "webhook:ctx-t", context("ctx-t"),
                    Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc", "baggage", "customer=alice"));
        }

        assertThat(traced.traceContext()).isEqualTo(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"));
        assertThat(Files.readString(dir().resolve(FileOutbox.JOURNAL), StandardCharsets.ISO_8859_1))
                .contains(TRACEPARENT).doesNotContain("baggage").doesNotContain("customer=alice");
        try (FileOutbox reopened = FileOutbox.open(dir())) {
            assertThat(reopened.pending()).containsExactly(traced);
        }
    }

    @Test
    void a_journal_written_before_trace_contexts_loads_and_a_malformed_stored_traceparent_is_dropped() throws IOException {
        writeJournal(enqueueRecord("e-old", "ctx-old", ""),
                enqueueRecord("e-bad", "ctx-bad", "\"traceparent\":\"00-zz-not-a-trace\",\"tracestate\":\"vendor=abc\""),
                enqueueRecord("e-zero", "ctx-zero", "\"traceparent\":\"00-00000000000000000000000000000000-00f067aa0ba902b7-01\""),
                enqueueRecord("e-ok", "ctx-ok", "\"traceparent\":\"" + TRACEPARENT + "\",\"tracestate\":\"bad\\u0001state\""));

        try (FileOutbox outbox = FileOutbox.open(dir())) {
            assertThat(outbox.recovery().clean()).as("nothing set aside").isTrue();
            assertThat(outbox.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-old", "ctx-bad", "ctx-zero", "ctx-ok");
            assertThat(outbox.pending("e-old").orElseThrow().traceContext()).as("an old record has none").isEmpty();
            assertThat(outbox.pending("e-bad").orElseThrow().traceContext()).as("malformed: dropped with its tracestate").isEmpty();
            assertThat(outbox.pending("e-zero").orElseThrow().traceContext()).as("an all-zero trace id is invalid").isEmpty();
            assertThat(outbox.pending("e-ok").orElseThrow().traceContext()).as("a malformed tracestate alone is dropped")
                    .isEqualTo(Map.of("traceparent", TRACEPARENT));
            assertThat(outbox.claimDue(Set.of("webhook"), 10, Duration.ofMinutes(1))).hasSize(4);
        }
    }
}
