package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.postgres.internal.Notifications;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Behind a pooler in transaction mode (PgBouncer) no instance can hold a {@code LISTEN} connection: with
 * {@code listen(false)} a handoff started on one instance is still offered to, taken by and connected to an agent
 * on another, through polling alone.
 */
class PollingOnlyTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-12", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 30;

    private static HikariDataSource dbA;
    private static HikariDataSource dbB;

    @BeforeAll
    static void database() {
        dbA = EmbeddedDatabase.newDatabase("handoff_polling", 4);
        dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4);
    }

    @AfterAll
    static void closeDatabase() {
        dbB.close();
        dbA.close();
    }

    private static Handoff instance(HikariDataSource db, String id) {
        PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("t-poll").instanceId(id).listen(false)
                .pollInterval(Duration.ofMillis(200)).build();
        return stores.applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60)).build();
    }

    @Test
    void a_handoff_started_on_one_instance_connects_to_an_agent_on_another_by_polling_alone() throws Exception {
        try (Handoff a = instance(dbA, "poll-a"); Handoff b = instance(dbB, "poll-b")) {
            var queueOnB = b.chatQueues().orElseThrow().queue("support");
            queueOnB.signIn("bob");
            CompletableFuture<Optional<Offer>> bob = queueOnB.next("bob", Duration.ofSeconds(WAIT_SECONDS));
            HandoffSession chat = a.open(SessionId.of("chat-polling"), Channel.CHAT, CustomerData.of("cus-9", Map.of()));
            chat.customer("My invoice is wrong");

            CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
            Offer offer = bob.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
            assertThat(offer.accept()).isTrue();
            HandoffOutcome connected = outcome.get(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(connected.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(connected.attempts()).last().satisfies(r -> assertThat(r.agentId()).isEqualTo("bob"));
            assertThat(listeners("handoff-listen-poll-%")).as("no instance held a LISTEN connection").isZero();
        }
    }

    @Test
    void the_listener_check_sees_a_listening_instance() throws Exception {
        // the control for the assertion above: a listener that is on shows up under its application_name
        try (Notifications on = new Notifications(dbA, Runnable::run, "handoff-listen-control")) {
            on.subscribe(PostgresChatQueues.OFFERS_CHANNEL, payload -> { });
            on.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (listeners("handoff-listen-control") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);   // the listener connects on its own thread; pg_stat_activity has no event to wait on
            }
            assertThat(listeners("handoff-listen-control")).isEqualTo(1);
        }
    }

    private static int listeners(String applicationName) throws Exception {
        try (Connection c = dbA.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE ?")) {
            p.setString(1, applicationName);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
