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
 * On a queue that is quiet, agents asking for work and offers stored on their own instance cost no claim statement
 * that finds nothing: an agent who asks while the last claim found the queue empty (and nothing announced an offer
 * since) waits for the next offer's wake, an offer stored where an agent of its queue waits is claimed for her by its
 * own insert (no claim, no announcement), and an offer stored here while none of its agents waits is announced to the
 * other instances' agents but wakes nobody here when its notification comes back. An offer stored by another instance
 * still reaches the agents here through its notification.
 */
class QuietQueueClaimTest {

    private static final long WAIT_SECONDS = 30;
    private static final String CLAIM = "WITH locked AS";
    private static final String SWEEP = "AND state = 'CLAIMED' AND claim_until < ?";

    @Test
    void a_quiet_queue_is_claimed_from_only_when_an_offer_is_announced() throws Exception {
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger polls = new AtomicInteger();
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("quiet_claim", 4);
             HikariDataSource poolA = EmbeddedDatabase.pool(db.getJdbcUrl(), 4);
             Handoff a = instance(WatchedDataSource.of(poolA, sql -> count(sql, claims, polls)), "quiet-a");
             Handoff b = instance(db, "quiet-b")) {
            PostgresChatQueues queuesA = (PostgresChatQueues) a.chatQueues().orElseThrow();
            PostgresAgentQueue onA = (PostgresAgentQueue) queuesA.queue("support");
            onA.signIn("agent-1");
            onA.signIn("agent-2");
            // an agent of the queue on B, not asking for work yet: offers stored waiting on A are announced
            // (QueueAnnouncementTest), so their notifications come back to A
            AgentQueue onB = b.chatQueues().orElseThrow().queue("support");
            onB.signIn("agent-b");
            listening(db, polls, "quiet-a");

            CompletableFuture<Optional<Offer>> first = onA.next("agent-1", Duration.ofSeconds(60));
            Await.until(onA::knownEmpty, Duration.ofSeconds(WAIT_SECONDS), "agent-1's claim found the queue empty");
            assertThat(claims.get()).as("agent-1 asked: one claim").isEqualTo(1);
            CompletableFuture<Optional<Offer>> second = onA.next("agent-2", Duration.ofSeconds(60));

            connects(a, "chat-1", "My invoice is wrong", "let me talk to a person", first, "agent-1, waiting longest, gets chat-1");
            assertThat(queuesA.offersClaimedAtInsert()).as("chat-1 claimed for agent-1 by its insert").isEqualTo(1);
            assertThat(queuesA.offersAnnounced()).as("chat-1 was for nobody else: not announced").isZero();
            assertThat(claims.get()).as("agent-2 asked while the queue was known empty, and chat-1 went to agent-1 with its"
                    + " insert: no claim statement since agent-1's").isEqualTo(1);
            assertThat(second).as("agent-2 still waits").isNotDone();

            connects(b, "chat-2", "My parcel never came", "I want a human", second, "an offer stored on B reaches agent-2 on A");
            assertThat(claims.get()).as("chat-2's notification woke A once").isEqualTo(2);

            // nobody waits on A now: chat-3 is stored waiting and announced; B's agent takes it, A claims nothing
            long heard = queuesA.offersNotificationsHeard();
            HandoffSession chat = a.open(SessionId.of("chat-3"), Channel.CHAT, CustomerData.of("cus-chat-3", Map.of()));
            chat.customer("The app keeps crashing");
            CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("get me an agent")).toCompletableFuture();
            Await.until(() -> queuesA.offersAnnounced() == 1, Duration.ofSeconds(WAIT_SECONDS), "chat-3's offer announced");
            Await.until(() -> queuesA.offersNotificationsHeard() > heard && queuesA.awaitingOwnNotification() == 0,
                    Duration.ofSeconds(WAIT_SECONDS), "chat-3's offer notification came back to instance A");
            assertThat(claims.get()).as("storing chat-3 with no agent waiting on A, and its notification coming back, sent no claim")
                    .isEqualTo(2);
            Offer offer = onB.next("agent-b", Duration.ofSeconds(60)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.request().sessionId().value()).as("agent-b on B gets chat-3").isEqualTo("chat-3");
            assertThat(offer.accept()).isTrue();
            assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(queuesA.offersClaimedAtInsert()).isEqualTo(1);
        }
    }

    /**
     * A chat on {@code instance} says {@code complaint} and asks for a person; the waiting agent's offer is that chat's
     * ({@code which}), the agent accepts it and the handoff connects.
     */
    private static void connects(Handoff instance, String session, String complaint, String ask,
                                 CompletableFuture<Optional<Offer>> agent, String which) throws Exception {
        HandoffSession chat = instance.open(SessionId.of(session), Channel.CHAT, CustomerData.of("cus-" + session, Map.of()));
        chat.customer(complaint);
        CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer(ask)).toCompletableFuture();
        Offer offer = agent.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
        assertThat(offer.request().sessionId().value()).as(which).isEqualTo(session);
        assertThat(offer.accept()).isTrue();
        assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
    }

    private static void count(String sql, AtomicInteger claims, AtomicInteger polls) {
        if (sql.startsWith(CLAIM)) {
            claims.incrementAndGet();
        } else if (sql.contains(SWEEP)) {
            polls.incrementAndGet();
        }
    }

    /**
     * The instance listens, and the poll it runs on connecting (which wakes its queues) is over: from here every
     * wake is an offer or a notification.
     */
    private static void listening(HikariDataSource db, AtomicInteger polls, String id) throws Exception {
        EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(WAIT_SECONDS),
                "SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND query LIKE 'LISTEN%'", "handoff-listen-" + id);
        Await.until(() -> polls.get() > 0, Duration.ofSeconds(WAIT_SECONDS), id + " polled on connecting");
    }


    private static Handoff instance(DataSource db, String id) {
        // no poll during the test: every wake is an offer or a notification
        return PostgresHandoffStores.builder(db).tenant("t-quiet").instanceId(id).pollInterval(Duration.ofMinutes(1)).build()
                .applyTo(Handoff.builder())
                .signingKeys(dev.handoff.core.context.SigningKeys.of("k-2026-11",
                        "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)))
                .transferTimeout(Duration.ofSeconds(60)).maxWait(Duration.ofMinutes(2)).build();
    }
}
