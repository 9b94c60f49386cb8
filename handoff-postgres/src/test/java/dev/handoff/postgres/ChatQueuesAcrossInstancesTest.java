package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The chat queues shared by two instances through PostgreSQL: conversations handed off on either instance are taken
 * by agents signed in on either one, and each offer is accepted by exactly one agent, however many race for it.
 */
class ChatQueuesAcrossInstancesTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final int HANDOFFS_PER_INSTANCE = 50;
    private static final int AGENTS_PER_INSTANCE = 6;

    private static Handoff instance(HikariDataSource db, String id) {
        PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("t-race").instanceId(id).pollInterval(Duration.ofMillis(200))
                .acceptTimeout(Duration.ofMinutes(10)).build();   // a claim lost on the way to an agent is never swept back in time
        return stores.applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(90)).maxWait(Duration.ofMinutes(2))
                .build();
    }

    @Test
    void agents_on_both_instances_race_for_every_offer_and_each_is_accepted_exactly_once() throws Exception {
        ExecutorService agents = Executors.newFixedThreadPool(2 * AGENTS_PER_INSTANCE);
        try (HikariDataSource dbA = EmbeddedDatabase.newDatabase("chat_queues_race", 10);
             HikariDataSource dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 10);
             Handoff a = instance(dbA, "i-a");
             Handoff b = instance(dbB, "i-b")) {
            AgentQueue onA = a.chatQueues().orElseThrow().queue("support");
            AgentQueue onB = b.chatQueues().orElseThrow().queue("support");
            record Accepted(String agent, SessionId session) {
            }
            ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
            AtomicInteger declined = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            CompletableFuture<Void> allDecided = new CompletableFuture<>();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 2 * AGENTS_PER_INSTANCE; i++) {
                AgentQueue queue = i % 2 == 0 ? onA : onB;
                String agent = "agent-" + i;
                queue.signIn(agent);
                running.add(agents.submit(() -> {
                    int seen = 0;
                    while (!allDecided.isDone()) {
                        Optional<Offer> offer = queue.take(agent, Duration.ofSeconds(1));
                        if (offer.isEmpty()) {
                            continue;
                        }
                        if (++seen % 7 == 0) {   // some offers are declined and must reach another agent
                            offer.get().decline();
                            declined.incrementAndGet();
                        } else if (offer.get().accept()) {
                            accepted.add(new Accepted(agent, offer.get().sessionId()));
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }

            Map<SessionId, CompletableFuture<HandoffOutcome>> outcomes = new ConcurrentHashMap<>();
            for (int i = 0; i < HANDOFFS_PER_INSTANCE; i++) {
                for (Handoff owner : List.of(a, b)) {
                    SessionId id = SessionId.of((owner == a ? "a-" : "b-") + i);
                    HandoffSession chat = owner.open(id, Channel.CHAT, CustomerData.of("cus-" + id.value(), Map.of()));
                    chat.customer("My invoice is wrong");
                    outcomes.put(id, chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture());
                }
            }
            CompletableFuture.allOf(outcomes.values().toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            allDecided.complete(null);
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }

            assertThat(outcomes.values()).extracting(CompletableFuture::join)
                    .filteredOn(o -> o.status() != HandoffOutcome.Status.CONNECTED)
                    .extracting(o -> o.sessionId().value() + " " + o.cause() + " after " + o.elapsed() + ": " + o.attempts())
                    .isEmpty();
            assertThat(accepted).extracting(Accepted::session).as("every conversation accepted by exactly one agent")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(outcomes.keySet());
            for (Accepted x : accepted) {
                assertThat(outcomes.get(x.session()).join().connected()).get().extracting(r -> r.agentId())
                        .as("the agent the handoff reports is the one who accepted").isEqualTo(x.agent());
            }
            assertThat(accepted).extracting(Accepted::agent).as("agents of both instances took work")
                    .anyMatch(agent -> Integer.parseInt(agent.substring(6)) % 2 == 0)
                    .anyMatch(agent -> Integer.parseInt(agent.substring(6)) % 2 == 1);
            assertThat(declined).as("the decline path was exercised").hasPositiveValue();
            assertThat(refused).as("no agent was handed an offer it could not accept").hasValue(0);
            try (Connection c = dbA.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT state, count(*) FROM " + PostgresSchema.DEFAULT_SCHEMA
                         + ".offers WHERE tenant_id = 't-race' GROUP BY state ORDER BY state")) {
                List<String> states = new ArrayList<>();
                while (rs.next()) {
                    states.add(rs.getString(1) + "=" + rs.getLong(2));
                }
                assertThat(states).containsExactly("ACCEPTED=" + 2 * HANDOFFS_PER_INSTANCE);
            }
        } finally {
            agents.shutdownNow();
        }
    }
}
