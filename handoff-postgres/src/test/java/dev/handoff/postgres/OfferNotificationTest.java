package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The claim and the accept of an offer say in their notification what they wrote, so the instance whose handoff
 * waits on the offer reports the claim and connects the customer without reading the row again; a payload of any
 * other shape falls back to reading it. When that instance is the one that claimed and accepted, nothing is sent.
 */
class OfferNotificationTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 30;

    @Test
    void the_owner_reports_the_claim_and_connects_from_the_notifications_alone() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<HandoffEvent.TransferProgress> claimReported = new CompletableFuture<>();
        Consumer<HandoffEvent> onA = claimReports(claimReported);
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("offer_notification", 4);
             HikariDataSource poolB = EmbeddedDatabase.pool(db.getJdbcUrl(), 4);
             Handoff a = instance(counting(db, reads), "notify-a", onA);
             Handoff b = instance(poolB, "notify-b", e -> { })) {
            AgentQueue onB = b.chatQueues().orElseThrow().queue("support");
            onB.signIn("bob");
            CompletableFuture<Optional<Offer>> bob = onB.next("bob", Duration.ofSeconds(WAIT_SECONDS));
            CompletableFuture<HandoffOutcome> outcome = handOff(a, "chat-notified", "cus-1");

            Offer offer = bob.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            // bob holds the offer before accepting, so the claim's notification is the only news A can have of it
            HandoffEvent.TransferProgress claimed = claimReported.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(claimed.detail()).isEqualTo("offered to agent bob");
            assertThat(offer.accept()).isTrue();
            HandoffOutcome connected = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(connected.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(connected.attempts()).last().satisfies(r -> assertThat(r.agentId()).isEqualTo("bob"));
            assertThat(reads).as("instance A never read the offer row back").hasValue(0);
        }
    }

    @Test
    void a_claim_and_an_accept_on_the_owners_own_instance_reach_it_without_a_notification() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<HandoffEvent.TransferProgress> claimReported = new CompletableFuture<>();
        Consumer<HandoffEvent> onA = claimReports(claimReported);
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("offer_here", 4);
             Connection listening = db.getConnection();
             // no listening connection either: nothing but the delivery inside the instance can tell the owner
             Handoff a = instance(counting(db, reads), "here-a", onA, false)) {
            try (Statement s = listening.createStatement()) {
                s.execute("LISTEN " + PostgresChatQueues.OFFER_CHANNEL);
            }
            AgentQueue queue = a.chatQueues().orElseThrow().queue("support");
            queue.signIn("ann");
            CompletableFuture<Optional<Offer>> ann = queue.next("ann", Duration.ofSeconds(WAIT_SECONDS));
            CompletableFuture<HandoffOutcome> outcome = handOff(a, "chat-here", "cus-2");

            Offer offer = ann.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(claimReported.get(WAIT_SECONDS, TimeUnit.SECONDS).detail()).isEqualTo("offered to agent ann");
            assertThat(offer.accept()).isTrue();
            HandoffOutcome connected = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(connected.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(connected.attempts()).last().satisfies(r -> assertThat(r.agentId()).isEqualTo("ann"));
            assertThat(reads).as("the owner never read the offer row back (its first poll is a minute away)").hasValue(0);

            // had the claim or the accept been sent, it committed before the owner acted on it, so before this marker
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_notify('" + PostgresChatQueues.OFFER_CHANNEL + "', 'marker')");
            }
            assertThat(heardUntil(listening, "marker")).as("offer-channel notifications sent before the marker").isEmpty();
        }
    }

    @Test
    void only_a_well_formed_claim_or_accept_payload_is_taken_as_the_offers_state() {
        assertThat(OwnerOffers.fromNotification("o-1/ACCEPTED/2/inst-a/bob"))
                .contains(new OwnerOffers.OfferState("o-1", "ACCEPTED", "bob", 2, "inst-a"));
        assertThat(OwnerOffers.fromNotification("o-1/CLAIMED/1/inst-a/agent.7:x"))
                .contains(new OwnerOffers.OfferState("o-1", "CLAIMED", "agent.7:x", 1, "inst-a"));
        for (String other : List.of("o-1", "o-1/ACCEPTED/2/inst-a", "o-1/ACCEPTED/two/inst-a/bob", "o-1/WAITING/1/inst-a/bob",
                "o-1/ACCEPTED/2//bob", "o-1/ACCEPTED/2/inst-a/", "/ACCEPTED/2/inst-a/bob", "o-1/ACCEPTED/2/inst-a/bob/extra")) {
            assertThat(OwnerOffers.fromNotification(other)).as(other).isEmpty();
        }
    }

    private static Handoff instance(DataSource db, String id, Consumer<HandoffEvent> listener) {
        return instance(db, id, listener, true);
    }

    private static Handoff instance(DataSource db, String id, Consumer<HandoffEvent> listener, boolean listen) {
        // a poll a minute away: within the test, only the notifications can tell the owner about its offer
        return PostgresHandoffStores.builder(db).tenant("t-notify").instanceId(id).pollInterval(Duration.ofMinutes(1)).listen(listen).build()
                .applyTo(Handoff.builder()).signingKeys(KEYS).listener(listener::accept).transferTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** Opens a chat on {@code instance} and asks for a person in its second turn. */
    private static CompletableFuture<HandoffOutcome> handOff(Handoff instance, String session, String customer) {
        HandoffSession chat = instance.open(SessionId.of(session), Channel.CHAT, CustomerData.of(customer, Map.of()));
        chat.customer("My invoice is wrong");
        return chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
    }

    /** A listener that completes {@code reported} with the first claim the handoff reports (progress 180). */
    private static Consumer<HandoffEvent> claimReports(CompletableFuture<HandoffEvent.TransferProgress> reported) {
        return e -> {
            if (e instanceof HandoffEvent.TransferProgress p && p.code() == 180) {
                reported.complete(p);
            }
        };
    }

    /** The payloads {@code listening} receives before {@code marker} (which must come within the wait). */
    private static List<String> heardUntil(Connection listening, String marker) throws SQLException {
        PGConnection pg = listening.unwrap(PGConnection.class);
        List<String> heard = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < until) {
            PGNotification[] received = pg.getNotifications(500);
            for (PGNotification n : received == null ? new PGNotification[0] : received) {
                if (n.getParameter().equals(marker)) {
                    return heard;
                }
                heard.add(n.getParameter());
            }
        }
        throw new AssertionError("the marker notification did not arrive within " + WAIT_SECONDS + " s; heard " + heard);
    }

    /** {@code pool}, counting the statements that read offers back by id. */
    private static DataSource counting(HikariDataSource pool, AtomicInteger reads) {
        return WatchedDataSource.of(pool, sql -> {
            if (sql.startsWith("SELECT offer_id, state, claimed_by")) {
                reads.incrementAndGet();
            }
        });
    }
}
