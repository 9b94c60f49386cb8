package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutboxTest {

    @TempDir
    Path dir;

    private static final String CONTEXT = "{\"schema\":\"handoff.context/v1\",\"contextId\":\"ctx-1\"}";

    @Test
    void a_pending_push_survives_a_reopen_and_an_acknowledged_one_does_not_come_back() {
        OutboxEntry delivered;
        OutboxEntry waiting;
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            delivered = outbox.append("hubspot", "hubspot:ctx-1", "ctx-1", CONTEXT);
            waiting = outbox.append("zendesk", "zendesk:ctx-1", "ctx-1", CONTEXT);
            outbox.acknowledge(delivered.id(), new CrmReceipt("hubspot", "7001", null));
        }

        try (FileOutbox reopened = FileOutbox.open(dir)) {
            assertThat(reopened.pending()).containsExactly(waiting);
        }
    }

    @Test
    void finished_entries_are_compacted_away_on_open() throws IOException {
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            for (int i = 0; i < 20; i++) {
                OutboxEntry e = outbox.append("webhook", "webhook:ctx-" + i, "ctx-" + i, CONTEXT);
                outbox.acknowledge(e.id(), null);
            }
            outbox.append("webhook", "webhook:ctx-last", "ctx-last", CONTEXT);
        }
        long before = Files.size(dir.resolve(FileOutbox.JOURNAL));

        try (FileOutbox reopened = FileOutbox.open(dir)) {
            assertThat(reopened.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-last");
        }
        long after = Files.size(dir.resolve(FileOutbox.JOURNAL));
        assertThat(after).isLessThan(before / 10);
        try (FileOutbox again = FileOutbox.open(dir)) {
            assertThat(again.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-last");
        }
    }

    @Test
    void a_torn_last_record_from_a_crash_is_cut_off_and_kept_aside() throws IOException {
        OutboxEntry first;
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            first = outbox.append("webhook", "webhook:ctx-1", "ctx-1", CONTEXT);
            outbox.append("webhook", "webhook:ctx-2", "ctx-2", CONTEXT);
        }
        Path journal = dir.resolve(FileOutbox.JOURNAL);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(f.length() - 7); // the crash hit in the middle of the second append
        }

        try (FileOutbox reopened = FileOutbox.open(dir)) {
            assertThat(reopened.pending()).containsExactly(first);
            reopened.append("webhook", "webhook:ctx-3", "ctx-3", CONTEXT);
        }
        try (FileOutbox again = FileOutbox.open(dir); Stream<Path> files = Files.list(dir)) {
            assertThat(again.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-1", "ctx-3");
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("outbox.journal.corrupt-"));
        }
    }

    @Test
    void a_record_whose_checksum_fails_is_not_trusted() throws IOException {
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            outbox.append("webhook", "webhook:ctx-1", "ctx-1", CONTEXT);
            outbox.append("webhook", "webhook:ctx-2", "ctx-2", CONTEXT);
        }
        Path journal = dir.resolve(FileOutbox.JOURNAL);
        byte[] bytes = Files.readAllBytes(journal);
        bytes[bytes.length - 5] ^= 0x20; // flip one bit inside the second record's payload
        Files.write(journal, bytes);

        try (FileOutbox reopened = FileOutbox.open(dir)) {
            assertThat(reopened.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-1");
        }
    }

    @Test
    void a_dead_letter_keeps_the_context_and_the_reason() throws IOException {
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            OutboxEntry e = outbox.append("salesforce", "salesforce:ctx-1", "ctx-1", CONTEXT);
            outbox.deadLetter(e.id(), "salesforce POST /services/data/v60.0/sobjects/Case was refused: HTTP 400");
            assertThat(outbox.pending()).isEmpty();
        }

        List<String> lines = Files.readAllLines(dir.resolve(FileOutbox.DEAD_LETTERS));
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"adapter\":\"salesforce\"", "\"key\":\"salesforce:ctx-1\"",
                "\"reason\":\"salesforce POST /services/data/v60.0/sobjects/Case was refused: HTTP 400\"",
                "\"context\":{\"schema\":\"handoff.context/v1\",\"contextId\":\"ctx-1\"}");
        try (FileOutbox reopened = FileOutbox.open(dir)) {
            assertThat(reopened.pending()).isEmpty();
        }
    }

    @Test
    void one_directory_cannot_be_opened_twice() {
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            assertThatThrownBy(() -> FileOutbox.open(dir))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessage("Outbox directory " + dir + " is already open (by this or another process);"
                            + " give each process its own directory");
            assertThat(outbox.pending()).isEmpty();
        }
    }
}
