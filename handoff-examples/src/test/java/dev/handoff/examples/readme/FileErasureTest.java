package dev.handoff.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.core.store.FileDataRetention;
import dev.handoff.crm.outbox.FileOutbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** handoff-core's README "Erasure" block: a customer's promises leave the commitments journal, and the erasure is audited. */
class FileErasureTest {

    @TempDir
    Path dir;

    @Test
    void readme_erasure_block_removes_a_customers_promises_from_the_journal() throws Exception {
        InMemoryAuditSink auditSink = new InMemoryAuditSink();
        Duration thirtyDays = Duration.ofDays(30);
        try (FileContextStore contexts = FileContextStore.open(dir.resolve("contexts.journal"), null, Clock.systemUTC(), thirtyDays);
             FileCommitmentLedger ledger = FileCommitmentLedger.open(dir.resolve("commitments.journal"), Clock.systemUTC(),
                     new dev.handoff.core.context.CommitmentDetector(), null, thirtyDays);
             FileOutbox outbox = FileOutbox.open(dir.resolve("outbox"))) {
            // tag::file-erasure[]
            FileDataRetention retention = FileDataRetention.builder(dir.resolve("customer-links.journal"), auditSink)
                    .store("contexts", contexts)        // a FileContextStore
                    .store("commitments", ledger)       // a FileCommitmentLedger
                    .store("outbox", outbox)            // handoff-crm-adapters' FileOutbox: pending pushes and dead letters
                    .open();
            Handoff handoff = Handoff.builder().contextStore(contexts).commitmentLedger(ledger).dataRetention(retention).build();
            // end::file-erasure[]
            try (retention; handoff) {
                handoff.open(SessionId.of("chat-1042"), Channel.CHAT, CustomerData.of("cus-1042", Map.of()))
                        .ai("I've waived the late fee on your account.");
                assertThat(Files.readString(dir.resolve("commitments.journal"), StandardCharsets.ISO_8859_1)).contains("late fee");

                // tag::file-erasure-call[]
                retention.eraseCustomer("cus-1042", "privacy-desk");
                // end::file-erasure-call[]

                assertThat(Files.readString(dir.resolve("commitments.journal"), StandardCharsets.ISO_8859_1)).doesNotContain("late fee");
                assertThat(auditSink.records()).extracting(AuditRecord::action, r -> r.sessionId().value())
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(AuditRecord.Action.CUSTOMER_DATA_ERASED, "chat-1042"));
            }
        }
    }
}
