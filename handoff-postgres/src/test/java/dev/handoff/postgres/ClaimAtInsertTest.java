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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An offer stored on the instance where an agent of its queue is waiting is claimed for that agent by its own insert:
 * no claim statement follows, and what the agent holds is an ordinary claim (claim number 1), which she accepts or
 * declines as any other. An offer that came first keeps its place: while one of at least the same rank waits in the
 * queue, a new offer is stored waiting and the agent gets the older one.
 */
class ClaimAtInsertTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 30;
    private static final String CLAIM = "WITH locked AS";

    @Test
    void the_waiting_agent_gets_the_offer_from_its_insert_and_may_decline_it_to_another_instance() throws Exception {
        AtomicInteger claimsOnA = new AtomicInteger();
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("claim_at_insert", 4);
             HikariDataSource poolA = EmbeddedDatabase.pool(db.getJdbcUrl(), 4);
             Handoff a = instance(countingClaims(poolA, claimsOnA), "insert-a", true);
             Handoff b = instance(db, "insert-b", true)) {
            PostgresChatQueues queuesA = (PostgresChatQueues) a.chatQueues().orElseThrow();
            PostgresAgentQueue onA = (PostgresAgentQueue) queuesA.queue("support");
            AgentQueue onB = b.chatQueues().orElseThrow().queue("support");
            onA.signIn("agent-a");
            onB.signIn("agent-b");
            CompletableFuture<Optional<Offer>> waiting = onA.next("agent-a", Duration.ofSeconds(60));
            Await.until(onA::knownEmpty, Duration.ofSeconds(WAIT_SECONDS), "agent-a's claim found the queue empty");
            int claimsBefore = claimsOnA.get();

            CompletableFuture<HandoffOutcome> outcome = handOff(a, "chat-1");
            Offer offer = waiting.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.request().sessionId().value()).isEqualTo("chat-1");
            assertThat(queuesA.offersClaimedAtInsert()).as("claimed by its insert").isEqualTo(1);
            assertThat(claimsOnA.get()).as("no claim statement on A for it").isEqualTo(claimsBefore);
            assertThat(queuesA.offersAnnounced()).as("an offer claimed by its insert is for nobody else: not announced").isZero();
            assertThat(row(db, "chat-1")).as("state, agent, claims of chat-1's offer").isEqualTo("CLAIMED agent-a 1");

            // she declines: the offer waits again, fenced on her claim, and agent-b on B claims it (claim number 2)
            offer.decline();
            assertThat(row(db, "chat-1")).isEqualTo("WAITING - 1");
            Offer onSecond = onB.next("agent-b", Duration.ofSeconds(60)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(onSecond.request().sessionId().value()).as("agent-b gets the declined chat-1").isEqualTo("chat-1");
            assertThat(offer.accept()).as("agent-a's claim was given back: her accept matches nothing").isFalse();
            assertThat(onSecond.accept()).isTrue();
            HandoffOutcome done = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(done.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(row(db, "chat-1")).isEqualTo("ACCEPTED agent-b 2");
        }
    }

    @Test
    void an_offer_waiting_in_the_queue_first_is_given_first() throws Exception {
        // A neither listens nor polls during the test: B's offer reaches A's agent only through A's own next wake
        AtomicInteger claimsOnA = new AtomicInteger();
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("claim_at_insert_order", 4);
             HikariDataSource poolA = EmbeddedDatabase.pool(db.getJdbcUrl(), 4);
             Handoff a = instance(countingClaims(poolA, claimsOnA), "order-a", false);
             Handoff b = instance(db, "order-b", true)) {
            PostgresChatQueues queuesA = (PostgresChatQueues) a.chatQueues().orElseThrow();
            PostgresAgentQueue onA = (PostgresAgentQueue) queuesA.queue("support");
            onA.signIn("agent-1");
            CompletableFuture<Optional<Offer>> first = onA.next("agent-1", Duration.ofSeconds(60));
            Await.until(() -> claimsOnA.get() == 1 && !onA.serving(), Duration.ofSeconds(WAIT_SECONDS),
                    "agent-1's claim found the queue empty");

            CompletableFuture<HandoffOutcome> older = handOff(b, "chat-old");
            EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(WAIT_SECONDS),
                    "SELECT 1 FROM handoff.offers WHERE session_id = ? AND state = 'WAITING'", "chat-old");
            assertThat(first).as("A does not hear of B's offer").isNotDone();

            CompletableFuture<HandoffOutcome> newer = handOff(a, "chat-new");
            Offer offer = first.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.request().sessionId().value()).as("agent-1 gets the offer that waited first").isEqualTo("chat-old");
            assertThat(queuesA.offersClaimedAtInsert()).as("chat-new was stored waiting, behind chat-old").isZero();
            assertThat(row(db, "chat-new")).isEqualTo("WAITING - 0");
            assertThat(offer.accept()).isTrue();
            assertThat(older.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);

            onA.signIn("agent-2");
            Offer next = onA.next("agent-2", Duration.ofSeconds(60)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(next.request().sessionId().value()).isEqualTo("chat-new");
            assertThat(next.accept()).isTrue();
            assertThat(newer.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        }
    }

    private static CompletableFuture<HandoffOutcome> handOff(Handoff instance, String session) {
        HandoffSession chat = instance.open(SessionId.of(session), Channel.CHAT, CustomerData.of("cus-" + session, Map.of()));
        chat.customer("My invoice is wrong");
        return chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
    }

    /** The session's offer as "state agent claims" ({@code -} for no agent). */
    private static String row(DataSource db, String session) throws Exception {
        try (var c = db.getConnection();
             var s = c.prepareStatement("SELECT state, coalesce(claimed_by, '-'), claims FROM handoff.offers WHERE session_id = ?")) {
            s.setString(1, session);
            try (var rs = s.executeQuery()) {
                assertThat(rs.next()).as("an offer of " + session).isTrue();
                return rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3);
            }
        }
    }

    /** The pool, counting the claim statements prepared through it. */
    private static DataSource countingClaims(DataSource pool, AtomicInteger claims) {
        return WatchedDataSource.of(pool, sql -> {
            if (sql.startsWith(CLAIM)) {
                claims.incrementAndGet();
            }
        });
    }

    private static Handoff instance(DataSource db, String id, boolean listen) {
        return PostgresHandoffStores.builder(db).tenant("t-insert").instanceId(id).listen(listen).pollInterval(Duration.ofMinutes(1))
                .build().applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60))
                .maxWait(Duration.ofMinutes(2)).build();
    }
}
