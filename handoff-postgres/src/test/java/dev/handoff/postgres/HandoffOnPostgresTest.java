package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's "one builder call": a real Handoff on the PostgreSQL stores, and a second instance reading what it wrote. */
class HandoffOnPostgresTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @Test
    void a_handoff_on_instance_a_is_stored_in_postgres_and_redeemed_on_instance_b() throws Exception {
        ExecutorService agents = Executors.newSingleThreadExecutor();
        try (HikariDataSource dbA = EmbeddedDatabase.newDatabase("handoff_on_postgres", 4);
             HikariDataSource dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4)) {
            PostgresHandoffStores storesA = PostgresHandoffStores.builder(dbA).tenant("acme").build();
            PostgresHandoffStores storesB = PostgresHandoffStores.builder(dbB).tenant("acme").build();
            try (Handoff a = storesA.applyTo(Handoff.builder()).signingKeys(KEYS).build();
                 Handoff b = storesB.applyTo(Handoff.builder()).signingKeys(KEYS).build()) {
                AgentQueue support = a.chatQueues().orElseThrow().queue("support");
                support.signIn("alice");
                Future<Optional<Offer>> alice = agents.submit(() -> support.take("alice", Duration.ofSeconds(20)).map(o -> {
                    o.accept();
                    return o;
                }));
                HandoffSession chat = a.open(SessionId.of("chat-42"), Channel.CHAT, CustomerData.of("cus-1", Map.of("billing", "AC-9")));
                chat.customer("My invoice shows a charge I don't recognise");
                chat.ai("I've applied 15% off your next invoice while we look into it.", NluSignals.confidence(0.9));

                HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);
                Offer offer = alice.get(20, TimeUnit.SECONDS).orElseThrow();
                HandoffContext onB = b.redeem(offer.ticket(), "alice");

                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(onB.contextId()).isEqualTo(outcome.contextId());
                assertThat(onB.customer().customerId()).isEqualTo("cus-1");
                assertThat(storesB.commitmentLedger().commitments(SessionId.of("chat-42")))
                        .extracting(Commitment::id, Commitment::value).containsExactly(org.assertj.core.groups.Tuple.tuple("c-1", "15%"));
                assertThat(storesB.auditSink().records(SessionId.of("chat-42"))).extracting(AuditRecord::action)
                        .contains(AuditRecord.Action.CONTEXT_PACKAGED, AuditRecord.Action.TICKET_REDEEMED);
            }
        } finally {
            agents.shutdownNow();
        }
    }

    @Test
    void when_the_context_cannot_be_stored_the_customer_goes_back_to_the_bot_with_an_outcome() throws Exception {
        try (HikariDataSource admin = EmbeddedDatabase.newDatabase("handoff_db_read_only", 1);
             // sized as the README says: one connection is held for LISTEN, the rest serve stores, queues and ownership
             // (with 2, everything shared one connection and the outcome waited on the pool under load)
             HikariDataSource db = EmbeddedDatabase.pool(EmbeddedDatabase.server().getJdbcUrl("postgres", "handoff_db_read_only"), 4)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).build();
            try (Handoff handoff = stores.applyTo(Handoff.builder()).signingKeys(KEYS).build()) {
                handoff.chatQueues().orElseThrow().queue("support").signIn("alice");
                HandoffSession chat = handoff.open(SessionId.of("chat-ro"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
                chat.customer("My invoice is wrong");
                EmbeddedDatabase.setReadOnly(admin, db, "handoff_db_read_only", true);

                HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(20, TimeUnit.SECONDS);

                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
                assertThat(chat.owner()).isEqualTo(HandoffSession.Owner.BOT);
            }
        }
    }
}
