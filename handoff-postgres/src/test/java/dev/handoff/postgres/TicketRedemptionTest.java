package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketException;
import dev.handoff.core.context.TicketScope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Single-use tickets across instances: two Handoff instances on one database, each redeeming through core's
 * {@code TicketRedeemer} (signature, binding, context, audit), with the redemption recorded once in PostgreSQL.
 */
class TicketRedemptionTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final int RACERS = 16;

    private static HikariDataSource dbA;
    private static HikariDataSource dbB;
    private static PostgresHandoffStores storesA;
    private static PostgresHandoffStores storesB;
    private static Handoff a;
    private static Handoff b;

    @BeforeAll
    static void start() {
        dbA = EmbeddedDatabase.newDatabase("ticket_redemption", 6);
        dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 6);
        storesA = PostgresHandoffStores.builder(dbA).tenant("acme").instanceId("instance-a").build();
        storesB = PostgresHandoffStores.builder(dbB).tenant("acme").instanceId("instance-b").build();
        a = storesA.applyTo(Handoff.builder()).signingKeys(KEYS).build();
        b = storesB.applyTo(Handoff.builder()).signingKeys(KEYS).build();
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        dbB.close();
        dbA.close();
    }

    /** A signed context stored through instance A, as a handoff packaged there would leave it. */
    private static HandoffContext stored(String session) {
        HandoffContext context = new ContextSigner(KEYS, Clock.systemUTC())
                .sign(Contexts.context("ctx-" + session, session, "cus-" + session, Instant.now()));
        storesA.contextStore().put(context);
        return context;
    }

    private static List<AuditRecord> audited(String session) {
        return storesB.auditSink().records(SessionId.of(session)).stream()
                .filter(r -> r.action() == AuditRecord.Action.TICKET_REDEEMED || r.action() == AuditRecord.Action.TICKET_REFUSED).toList();
    }

    @Test
    void a_single_use_ticket_redeemed_on_one_instance_is_refused_on_the_other_and_both_attempts_are_audited() {
        HandoffContext context = stored("s-once");
        String ticket = a.tickets().issue(context.contextId(), TicketScope.BEARER.once());

        HandoffContext onA = a.redeem(ticket, "alice");

        assertThat(onA.contextId()).isEqualTo(context.contextId());
        assertThatThrownBy(() -> b.redeem(ticket, "bob"))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.ALREADY_USED))
                .hasMessage("ticket for context ctx-s-once was already redeemed");
        assertThat(audited("s-once")).extracting(AuditRecord::actor, AuditRecord::action, AuditRecord::contextId, AuditRecord::outcome)
                .containsExactly(tuple("alice", AuditRecord.Action.TICKET_REDEEMED, "ctx-s-once", "ok"),
                        tuple("bob", AuditRecord.Action.TICKET_REFUSED, "ctx-s-once", "already-used"));
    }

    @Test
    void sixteen_agents_racing_on_two_instances_redeem_one_ticket_exactly_once() throws Exception {
        HandoffContext context = stored("s-race");
        String ticket = a.tickets().issue(context.contextId(), TicketScope.BEARER.once());
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> tries = new ArrayList<>();
        try {
            for (int i = 0; i < RACERS; i++) {
                Handoff instance = i % 2 == 0 ? a : b;
                String agent = "agent-" + i;
                tries.add(pool.submit(() -> {
                    go.await();
                    try {
                        return instance.redeem(ticket, agent).contextId();
                    } catch (TicketException e) {
                        return e.reason().code();
                    }
                }));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> f : tries) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(results).filteredOn(context.contextId()::equals).hasSize(1);
            assertThat(results).filteredOn("already-used"::equals).hasSize(RACERS - 1);
            assertThat(audited("s-race")).extracting(AuditRecord::outcome).hasSize(RACERS)
                    .filteredOn("ok"::equals).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_ticket_bound_to_an_agent_is_refused_to_anyone_else_and_redeems_once_for_that_agent_on_any_instance() {
        HandoffContext context = stored("s-bound");
        String ticket = a.tickets().issue(context.contextId(), TicketScope.agent("alice").once());

        assertThatThrownBy(() -> a.redeem(ticket, "mallory"))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.WRONG_AGENT));
        assertThat(b.redeem(ticket, "alice").contextId()).isEqualTo(context.contextId());
        assertThatThrownBy(() -> a.redeem(ticket, "alice"))
                .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.ALREADY_USED));
        assertThat(audited("s-bound")).extracting(AuditRecord::actor, AuditRecord::outcome)
                .containsExactly(tuple("mallory", "wrong-agent"), tuple("alice", "ok"), tuple("alice", "already-used"));
    }

    @Test
    void a_bearer_ticket_is_not_single_use_and_leaves_no_redemption_record() {
        HandoffContext context = stored("s-bearer");
        String ticket = a.tickets().issue(context.contextId());

        a.redeem(ticket, "alice");
        b.redeem(ticket, "bob");

        assertThat(EmbeddedDatabase.count(dbA, "SELECT count(*) FROM handoff.tickets WHERE session_id = 's-bearer'")).isZero();
    }

    @Test
    void the_redemption_record_keeps_only_a_hash_of_the_ticket() {
        HandoffContext context = stored("s-hash");
        String ticket = a.tickets().issue(context.contextId(), TicketScope.BEARER.once());
        String mac = ticket.substring(ticket.lastIndexOf('.') + 1);

        a.redeem(ticket, "alice");

        assertThat(EmbeddedDatabase.count(dbA, "SELECT count(*) FROM handoff.tickets WHERE tenant_id = 'acme' AND session_id = 's-hash'"
                + " AND context_id = 'ctx-s-hash' AND redeemed_by = 'alice'")).isEqualTo(1);
        assertThat(EmbeddedDatabase.count(dbA, "SELECT count(*) FROM handoff.tickets t WHERE position('" + mac + "' in t::text) > 0")).isZero();
    }
}
