package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketException;
import dev.handoff.core.context.TicketScope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An offer row is no bearer credential: it keeps the ticket without its MAC, and the instance that hands the offer to
 * an agent signs it again with the keys every instance holds, so the agent there redeems the context with the very
 * ticket the owner issued.
 */
class OfferTicketTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private static final SigningKeys OTHER_KEYS = SigningKeys.of("k-other", "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

    private static Handoff instance(HikariDataSource db, String id) {
        return instance(db, id, KEYS);
    }

    private static Handoff instance(HikariDataSource db, String id, SigningKeys keys) {
        return PostgresHandoffStores.builder(db).tenant("acme").instanceId(id).pollInterval(Duration.ofMillis(200)).build()
                .applyTo(Handoff.builder()).signingKeys(keys).ticketScope(TicketScope.BEARER.once()).transferTimeout(Duration.ofSeconds(60))
                .maxWait(Duration.ofMinutes(2)).build();
    }

    @Test
    void no_column_of_an_offer_holds_the_ticket_and_the_agent_on_another_instance_still_redeems_the_context() throws Exception {
        ExecutorService agent = Executors.newSingleThreadExecutor();
        try (HikariDataSource dbA = EmbeddedDatabase.newDatabase("offer_ticket", 4);
             HikariDataSource dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4);
             Handoff a = instance(dbA, "instance-a");
             Handoff b = instance(dbB, "instance-b")) {
            AgentQueue onB = b.chatQueues().orElseThrow().queue("support");
            onB.signIn("alice");
            Future<Optional<Offer>> taken = agent.submit(() -> onB.take("alice", Duration.ofSeconds(30)));
            HandoffSession chat = a.open(SessionId.of("chat-offer"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
            chat.customer("My invoice shows a charge I don't recognise");
            var handingOff = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
            Offer offer = taken.get(30, TimeUnit.SECONDS).orElseThrow();

            String ticket = offer.ticket();
            String mac = ticket.substring(ticket.lastIndexOf('.') + 1);
            assertThat(EmbeddedDatabase.count(dbA, "SELECT count(*) FROM handoff.offers WHERE session_id = 'chat-offer'")).isEqualTo(1);
            assertThat(EmbeddedDatabase.count(dbA, "SELECT count(*) FROM handoff.offers o WHERE position('" + mac + "' in o::text) > 0"))
                    .as("no column of offers holds the ticket's MAC, so none holds the ticket").isZero();
            assertThat(offer.accept()).isTrue();
            HandoffOutcome outcome = handingOff.get(30, TimeUnit.SECONDS);
            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(ticket).as("signed again on B: the ticket A issued").isEqualTo(outcome.ticket());

            HandoffContext onB_ = b.redeem(ticket, "alice");

            assertThat(onB_.contextId()).isEqualTo(outcome.contextId());
            assertThatThrownBy(() -> a.redeem(ticket, "mallory"))
                    .isInstanceOfSatisfying(TicketException.class, e -> assertThat(e.reason()).isEqualTo(TicketException.Reason.ALREADY_USED));
        } finally {
            agent.shutdownNow();
        }
    }

    @Test
    void an_instance_without_the_key_an_offer_names_leaves_it_waiting_for_one_that_has_it() throws Exception {
        ExecutorService agents = Executors.newFixedThreadPool(2);
        try (HikariDataSource dbA = EmbeddedDatabase.newDatabase("offer_ticket_keys", 4);
             HikariDataSource dbC = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4);
             Handoff a = instance(dbA, "instance-a");
             Handoff c = instance(dbC, "instance-c", OTHER_KEYS)) {
            AgentQueue onC = c.chatQueues().orElseThrow().queue("support");
            onC.signIn("carol");
            Future<Optional<Offer>> carol = agents.submit(() -> onC.take("carol", Duration.ofSeconds(3)));
            HandoffSession chat = a.open(SessionId.of("chat-keys"), Channel.CHAT, CustomerData.of("cus-2", Map.of()));
            chat.customer("My invoice is wrong");
            var handingOff = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();

            assertThat(carol.get(30, TimeUnit.SECONDS)).as("C cannot sign the ticket, so its agent gets no offer").isEmpty();
            assertThat(EmbeddedDatabase.count(dbA, "SELECT count(*) FROM handoff.offers WHERE session_id = 'chat-keys' AND state = 'WAITING'"
                    + " AND claimed_by IS NULL")).as("C's claim of it was given back at once").isEqualTo(1);
            AgentQueue onA = a.chatQueues().orElseThrow().queue("support");
            onA.signIn("alice");
            Offer offer = agents.submit(() -> onA.take("alice", Duration.ofSeconds(30))).get(30, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.accept()).isTrue();
            HandoffOutcome outcome = handingOff.get(30, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(a.redeem(offer.ticket(), "alice").contextId()).isEqualTo(outcome.contextId());
        } finally {
            agents.shutdownNow();
        }
    }
}
