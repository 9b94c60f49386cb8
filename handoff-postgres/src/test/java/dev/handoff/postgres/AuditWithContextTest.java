package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail a compliance officer reads after a handoff on PostgreSQL, now that the context and its
 * CONTEXT_PACKAGED record are one write and the connecting attempt's TRANSFER_ATTEMPTED goes with HANDOFF_CONNECTED:
 * every record is there, in the order things happened, and a context is never stored without its record (nor the
 * record without the context).
 */
class AuditWithContextTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final Instant T0 = Instant.parse("2026-03-02T14:00:00Z");
    private static HikariDataSource db;
    private static PostgresHandoffStores stores;

    @BeforeAll
    static void start() {
        db = EmbeddedDatabase.newDatabase("audit_with_context", 6);
        stores = PostgresHandoffStores.builder(db).tenant("acme").build();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void a_connected_handoff_leaves_every_audit_record_in_the_order_things_happened() throws Exception {
        ExecutorService agents = Executors.newSingleThreadExecutor();
        try (Handoff handoff = stores.applyTo(Handoff.builder()).signingKeys(KEYS).build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            agents.submit(() -> support.take("alice", Duration.ofSeconds(20)).map(o -> o.accept()));
            HandoffSession chat = handoff.open(SessionId.of("chat-audit"), Channel.CHAT, CustomerData.of("cus-7", Map.of()));
            chat.customer("My invoice shows a charge I don't recognise");

            HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            List<AuditRecord> trail = stores.auditSink().records(SessionId.of("chat-audit"));
            assertThat(trail).extracting(AuditRecord::action).containsExactly(AuditRecord.Action.HANDOFF_REQUESTED,
                    AuditRecord.Action.CONTEXT_PACKAGED, AuditRecord.Action.TRANSFER_ATTEMPTED, AuditRecord.Action.HANDOFF_CONNECTED);
            assertThat(trail.subList(1, 4)).extracting(AuditRecord::contextId).containsOnly(outcome.contextId());
            assertThat(trail.get(2).actor()).isEqualTo("alice");
            assertThat(trail.get(3).actor()).isEqualTo("alice");
            assertThat(trail).extracting(AuditRecord::at).isSorted();
            assertThat(stores.contextStore().get(outcome.contextId())).isPresent();
        } finally {
            agents.shutdownNow();
        }
    }

    @Test
    void a_context_and_its_packaging_record_are_written_together() {
        AuditRecord packaged = new AuditRecord(T0, "system", AuditRecord.Action.CONTEXT_PACKAGED, SessionId.of("s-together"), "ctx-together", "ok");

        boolean audited = stores.contextStore().putAudited(Contexts.context("ctx-together", "s-together", "cus-1", T0), stores.auditSink(),
                List.of(packaged));

        assertThat(audited).isTrue();
        assertThat(stores.contextStore().get("ctx-together")).isPresent();
        assertThat(stores.auditSink().records(SessionId.of("s-together"))).containsExactly(packaged);
    }

    @Test
    void when_the_record_is_refused_the_context_is_not_stored_either() throws Exception {
        // a constraint that refuses this one record (the table's own would refuse a broken one the same way)
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE handoff.audit_records ADD CONSTRAINT refuse_one CHECK (context_id IS DISTINCT FROM 'ctx-refused')");
        }
        AuditRecord refused = new AuditRecord(T0, "system", AuditRecord.Action.CONTEXT_PACKAGED, SessionId.of("s-refused"), "ctx-refused", "ok");

        assertThatThrownBy(() -> stores.contextStore().putAudited(Contexts.context("ctx-refused", "s-refused", "cus-1", T0),
                stores.auditSink(), List.of(refused))).isInstanceOf(HandoffException.class);

        assertThat(stores.contextStore().get("ctx-refused")).isEmpty();
        assertThat(stores.auditSink().records(SessionId.of("s-refused"))).isEmpty();
    }

    @Test
    void with_another_audit_sink_only_the_context_is_stored_and_the_caller_records() {
        InMemoryAuditSink elsewhere = new InMemoryAuditSink();
        AuditRecord packaged = new AuditRecord(T0, "system", AuditRecord.Action.CONTEXT_PACKAGED, SessionId.of("s-elsewhere"), "ctx-elsewhere", "ok");

        boolean audited = stores.contextStore().putAudited(Contexts.context("ctx-elsewhere", "s-elsewhere", "cus-1", T0), elsewhere,
                List.of(packaged));

        assertThat(audited).isFalse();
        assertThat(stores.contextStore().get("ctx-elsewhere")).isPresent();
        assertThat(stores.auditSink().records(SessionId.of("s-elsewhere"))).isEmpty();
    }

    @Test
    void records_of_one_step_are_one_write_in_the_order_given() {
        List<AuditRecord> step = List.of(
                new AuditRecord(T0, "alice", AuditRecord.Action.TRANSFER_ATTEMPTED, SessionId.of("s-step"), "ctx-step", "support:CONNECTED"),
                new AuditRecord(T0, "alice", AuditRecord.Action.HANDOFF_CONNECTED, SessionId.of("s-step"), "ctx-step", "connected"),
                new AuditRecord(T0, "alice", AuditRecord.Action.CONTEXT_READ_CONFIRMED, SessionId.of("s-step"), "ctx-step", "read"));

        stores.auditSink().recordAll(step);

        assertThat(stores.auditSink().records(SessionId.of("s-step"))).containsExactlyElementsOf(step);
    }
}
