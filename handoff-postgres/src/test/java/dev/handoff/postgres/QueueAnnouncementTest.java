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
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A stored offer is announced to the other instances ({@code NOTIFY handoff_offers}) only when one of them has an agent
 * of its queue signed in: with every agent on the storing instance the notification would wake nobody. The instances
 * here poll once a minute, so an agent on another instance can only get an offer at once through its announcement.
 */
class QueueAnnouncementTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 30;

    @Test
    void an_offer_is_announced_only_while_another_instance_has_an_agent_of_its_queue() throws Exception {
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("queue_announce", 8);
             Handoff a = instance(db, "announce-a");
             Handoff b = instance(db, "announce-b")) {
            PostgresChatQueues queuesA = (PostgresChatQueues) a.chatQueues().orElseThrow();
            PostgresChatQueues queuesB = (PostgresChatQueues) b.chatQueues().orElseThrow();
            AgentQueue onA = queuesA.queue("support");
            AgentQueue onB = queuesB.queue("support");
            EmbeddedDatabase.awaitRow(db, Duration.ofSeconds(WAIT_SECONDS),
                    "SELECT 1 FROM pg_stat_activity WHERE application_name = ? AND query LIKE 'LISTEN%'", "handoff-listen-announce-b");
            onA.signIn("agent-a");

            // only A has an agent of the queue: A's offer is not announced, and A's own agent still gets it at once
            connects(a, "chat-1", onA.next("agent-a", Duration.ofSeconds(60)), "agent-a on A gets chat-1");
            assertThat(queuesA.offersAnnounced()).as("chat-1 stored with no agent of the queue on another instance").isZero();
            assertThat(queuesA.awaitingOwnNotification()).as("A expects no notification of its own back").isZero();

            // an agent of the queue signs in on B: A's next offer is announced, and reaches her although B polls once a minute
            onB.signIn("agent-b");
            connects(a, "chat-2", onB.next("agent-b", Duration.ofSeconds(60)), "agent-b on B gets chat-2, stored on A");
            assertThat(queuesA.offersAnnounced()).as("chat-2 announced").isEqualTo(1);
            // notifications arrive in the order sent, so had chat-1 been announced B would have heard it first
            assertThat(Await.within(() -> queuesB.offersNotificationsHeard() == 1, Duration.ofSeconds(WAIT_SECONDS)))
                    .as("B heard one offers notification (chat-2's), heard %s", queuesB.offersNotificationsHeard()).isTrue();

            // she signs out: A's offers are no longer announced
            onB.signOut("agent-b");
            connects(a, "chat-3", onA.next("agent-a", Duration.ofSeconds(60)), "agent-a on A gets chat-3");
            assertThat(queuesA.offersAnnounced()).as("chat-3 stored after agent-b signed out on B").isEqualTo(1);
        }
    }

    /** A chat on {@code instance} asks for a person; the waiting agent ({@code agent}) gets that chat, accepts, and it connects. */
    private static void connects(Handoff instance, String session, CompletableFuture<Optional<Offer>> agent, String which) throws Exception {
        HandoffSession chat = instance.open(SessionId.of(session), Channel.CHAT, CustomerData.of("cus-" + session, Map.of()));
        chat.customer("My invoice is wrong");
        CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
        Offer offer = agent.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
        assertThat(offer.request().sessionId().value()).as(which).isEqualTo(session);
        assertThat(offer.accept()).isTrue();
        assertThat(outcome.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
    }

    private static Handoff instance(DataSource db, String id) {
        return PostgresHandoffStores.builder(db).tenant("t-announce").instanceId(id).pollInterval(Duration.ofMinutes(1)).build()
                .applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60)).maxWait(Duration.ofMinutes(2))
                .build();
    }
}
