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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Agents waiting on one instance are served by one claim statement per round, not one per offer: a burst of offers
 * reaches many idle agents in a few round trips, each offer to exactly one agent, the longest-waiting agent first.
 */
class BatchClaimTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final int OFFERS = 6;
    private static final long WAIT_SECONDS = 30;

    @Test
    void agents_who_queue_up_during_a_claim_are_served_together_by_the_next_one_in_the_order_they_came() throws Exception {
        CountDownLatch atGate = new CountDownLatch(1);
        CountDownLatch open = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean();
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("batch_claim", 4);
             HikariDataSource poolB = EmbeddedDatabase.pool(db.getJdbcUrl(), 4);
             Handoff a = instance(db, "claim-a");
             Handoff b = instance(gated(poolB, armed, atGate, open), "claim-b")) {
            AgentQueue onB = b.chatQueues().orElseThrow().queue("support");
            for (int i = 1; i <= OFFERS + 1; i++) {
                onB.signIn("agent-" + i);
            }
            List<CompletableFuture<HandoffOutcome>> outcomes = new ArrayList<>();
            for (int i = 1; i <= OFFERS; i++) {
                HandoffSession chat = a.open(SessionId.of("chat-" + i), Channel.CHAT, CustomerData.of("cus-" + i, Map.of()));
                chat.customer("My invoice is wrong");
                outcomes.add(chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture());
                // one at a time, so the offers wait in the order the customers asked
                EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(WAIT_SECONDS),
                        "SELECT 1 FROM handoff.offers WHERE session_id = ? AND state = 'WAITING'", "chat-" + i);
            }

            // the first agent's claim is held at the database; meanwhile the other six agents ask for work
            armed.set(true);
            List<CompletableFuture<Optional<Offer>>> next = new ArrayList<>();
            next.add(onB.next("agent-1", Duration.ofSeconds(60)));
            assertThat(atGate.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("agent-1's claim reached the database").isTrue();
            for (int i = 2; i <= OFFERS + 1; i++) {
                next.add(onB.next("agent-" + i, Duration.ofSeconds(60)));
            }
            open.countDown();

            List<Offer> offers = new ArrayList<>();
            for (int i = 0; i < OFFERS; i++) {
                offers.add(next.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow());
            }
            for (int i = 0; i < OFFERS; i++) {
                assertThat(offers.get(i).request().sessionId().value()).as("agent-%d gets the %d. oldest offer", i + 1, i + 1)
                        .isEqualTo("chat-" + (i + 1));
            }
            assertThat(next.get(OFFERS)).as("the seventh agent: no offer left").isNotDone();
            assertThat(EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.offers WHERE state = 'CLAIMED' AND claims = 1"))
                    .as("every offer claimed once, none released and claimed again").isEqualTo(OFFERS);
            assertThat(EmbeddedDatabase.count(db, "SELECT count(DISTINCT claim_until) FROM handoff.offers WHERE session_id <> 'chat-1'"))
                    .as("the five agents who queued up during the first claim were served by one statement").isEqualTo(1);
            assertThat(EmbeddedDatabase.count(db, "SELECT count(DISTINCT claim_until) FROM handoff.offers")).isEqualTo(2);

            for (Offer offer : offers) {
                assertThat(offer.accept()).isTrue();
            }
            for (int i = 0; i < OFFERS; i++) {
                HandoffOutcome outcome = outcomes.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(outcome.attempts()).last().satisfies(r -> assertThat(r.agentId()).isIn(agents()));
            }
            assertThat(new HashSet<>(offers.stream().map(o -> o.request().sessionId()).toList())).hasSize(OFFERS);
        }
    }

    private static List<String> agents() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= OFFERS; i++) {
            ids.add("agent-" + i);
        }
        return ids;
    }

    private static Handoff instance(DataSource db, String id) {
        return PostgresHandoffStores.builder(db).tenant("t-claim").instanceId(id).pollInterval(Duration.ofMillis(200)).build()
                .applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60)).maxWait(Duration.ofMinutes(2)).build();
    }

    /** {@code pool}, except that once armed the first claim statement waits at the gate until it opens. */
    private static DataSource gated(HikariDataSource pool, AtomicBoolean armed, CountDownLatch atGate, CountDownLatch open) {
        return WatchedDataSource.of(pool, sql -> {
            if (sql.startsWith("WITH locked AS") && armed.compareAndSet(true, false)) {
                atGate.countDown();
                open.await(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        });
    }
}
