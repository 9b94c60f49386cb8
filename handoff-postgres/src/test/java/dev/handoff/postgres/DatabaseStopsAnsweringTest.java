package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.SigningKeys;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A database that stops answering — the server stopped, cut off by the network, stuck on its disk — is not the same
 * fault as one that is down: the connections stay open and nothing comes back on them. Every store call then waits at
 * most the stores' answer timeout and fails retriably, so a handoff returns to the bot with the reason instead of
 * leaving the customer in silence; once the database answers again, handoffs go through.
 */
// without an answer timeout a call waits for ever in a socket read, which no interrupt ends: a failure, not a hang
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatabaseStopsAnsweringTest {

    private static final SigningKeys KEYS = SigningKeys.of("k-2026-11", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static final long WAIT_SECONDS = 60;
    private static final Duration ANSWER = Duration.ofSeconds(1);

    @Test
    void a_store_call_fails_retriably_naming_the_timeout_and_works_again_once_the_server_answers() throws Exception {
        EmbeddedDatabase.execute(EmbeddedDatabase.server().getPostgresDatabase(), "CREATE DATABASE stops_answering_store");
        try (FreezableRelay relay = new FreezableRelay(EmbeddedDatabase.server().getPort());
             HikariDataSource pool = EmbeddedDatabase.pool("jdbc:postgresql://127.0.0.1:" + relay.port() + "/stops_answering_store", 4)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).tenant("t-frozen").answerTimeout(ANSWER).build();
            Instant t0 = Instant.parse("2026-03-02T14:00:00Z");
            stores.contextStore().put(Contexts.context("ctx-before", "s-1", "cus-1", t0));

            relay.freeze();
            assertThatThrownBy(() -> stores.contextStore().get("ctx-before"))
                    .isInstanceOf(RetriableHandoffException.class)
                    .hasMessage("PostgreSQL did not answer within 1000 ms while reading context ctx-before (the stores' answer timeout);"
                            + " expected a server that answers. The connection was dropped and the statement may still be applied; retry later");

            relay.thaw();
            assertThat(stores.contextStore().get("ctx-before")).as("the pool replaced the dropped connection").isPresent();
        }
    }

    @Test
    void a_start_that_finds_the_schema_current_fails_retriably_when_the_server_stops_answering() throws Exception {
        EmbeddedDatabase.execute(EmbeddedDatabase.server().getPostgresDatabase(), "CREATE DATABASE stops_answering_start");
        try (FreezableRelay relay = new FreezableRelay(EmbeddedDatabase.server().getPort())) {
            String url = "jdbc:postgresql://127.0.0.1:" + relay.port() + "/stops_answering_start";
            try (HikariDataSource pool = EmbeddedDatabase.pool(url, 2)) {
                PostgresHandoffStores.builder(pool).tenant("t-start").build();   // the first start migrates
            }
            // one open connection, lent as it is: a pool that checks nothing before lending (Hikari does not either,
            // for a connection used within the last 500 ms)
            org.postgresql.ds.PGSimpleDataSource server = new org.postgresql.ds.PGSimpleDataSource();
            server.setUrl(url);
            server.setUser("postgres");
            try (Connection open = server.getConnection()) {
                DataSource lending = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                        (p, m, args) -> !m.getName().equals("getConnection") ? CuttableDataSource.invoke(server, m, args)
                                : Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                                        (cp, cm, cargs) -> cm.getName().equals("close") ? null : CuttableDataSource.invoke(open, cm, cargs)));

                relay.freeze();
                assertThatThrownBy(() -> PostgresHandoffStores.builder(lending).tenant("t-start").answerTimeout(ANSWER).build())
                        .as("the restart fails and says why, rather than waiting in a socket read for ever")
                        .isInstanceOf(RetriableHandoffException.class)
                        .hasMessage("PostgreSQL did not answer within 1000 ms while checking schema handoff (the stores' answer timeout);"
                                + " expected a server that answers. The connection was dropped and the statement may still be applied;"
                                + " retry later");
                relay.thaw();
            }
        }
    }

    @Test
    void connections_that_cannot_set_a_network_timeout_still_serve_the_stores() throws Exception {
        try (HikariDataSource pool = EmbeddedDatabase.newDatabase("stops_answering_old_driver", 2)) {
            DataSource old = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, args) -> {
                Object result = CuttableDataSource.invoke(pool, m, args);
                if (!m.getName().equals("getConnection")) {
                    return result;
                }
                Connection c = (Connection) result;
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (cp, cm, cargs) -> {
                    if (cm.getName().equals("setNetworkTimeout")) {
                        throw new SQLFeatureNotSupportedException("setNetworkTimeout");   // a JDBC 4.0 driver or pool
                    }
                    return CuttableDataSource.invoke(c, cm, cargs);
                });
            });
            PostgresHandoffStores stores = PostgresHandoffStores.builder(old).tenant("t-old").answerTimeout(ANSWER).build();
            Instant t0 = Instant.parse("2026-03-02T14:00:00Z");
            stores.contextStore().put(Contexts.context("ctx-old", "s-1", "cus-1", t0));
            assertThat(stores.contextStore().get("ctx-old")).as("stored and read without the timeout").isPresent();
        }
    }


    @Test
    void a_handoff_returns_to_the_bot_with_the_reason_and_the_next_one_connects_once_the_server_answers() throws Exception {
        EmbeddedDatabase.execute(EmbeddedDatabase.server().getPostgresDatabase(), "CREATE DATABASE stops_answering");
        try (FreezableRelay relay = new FreezableRelay(EmbeddedDatabase.server().getPort());
             HikariDataSource pool = EmbeddedDatabase.pool("jdbc:postgresql://127.0.0.1:" + relay.port() + "/stops_answering", 24)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(pool).tenant("t-frozen").instanceId("frozen").answerTimeout(ANSWER)
                    .pollInterval(Duration.ofMillis(200)).build();
            try (Handoff instance = stores.applyTo(Handoff.builder()).signingKeys(KEYS).transferTimeout(Duration.ofSeconds(60))
                    .maxWait(Duration.ofMinutes(2)).build()) {
                returnsThenConnects(relay, stores, instance);
            }
        }
    }

    /** The scenario of the test above: one handoff while the server does not answer, one after. */
    private static void returnsThenConnects(FreezableRelay relay, PostgresHandoffStores stores, Handoff instance) throws Exception {
        AgentQueue queue = instance.chatQueues().orElseThrow().queue("support");
        queue.signIn("agent-1");
        HandoffSession first = instance.open(SessionId.of("chat-1"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
        first.customer("My invoice is wrong");

        relay.freeze();
        CompletableFuture<HandoffOutcome> returned = first.handOff(first.customer("let me talk to a person")).toCompletableFuture();
        HandoffOutcome o = returned.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(o.status()).as("the customer is not left waiting on a database that does not answer")
                .isEqualTo(HandoffOutcome.Status.RETURNED_TO_BOT);
        assertThat(o.cause()).isEqualTo(HandoffOutcome.Cause.UNAVAILABLE);

        relay.thaw();
        HandoffSession second = instance.open(SessionId.of("chat-2"), Channel.CHAT, CustomerData.of("cus-2", Map.of()));
        second.customer("My invoice is wrong");
        CompletableFuture<HandoffOutcome> connected = second.handOff(second.customer("let me talk to a person")).toCompletableFuture();
        Offer offer = queue.next("agent-1", Duration.ofSeconds(WAIT_SECONDS)).get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow();
        assertThat(offer.sessionId()).isEqualTo(SessionId.of("chat-2"));
        assertThat(offer.accept()).isTrue();
        assertThat(connected.get(WAIT_SECONDS, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);

        PostgresAuditSink audit = stores.auditSink();
        assertThat(Await.within(() -> audit.records(SessionId.of("chat-1")).size() >= 2, Duration.ofSeconds(WAIT_SECONDS)))
                .as("the first handoff's audit records, which the table could not take while the server did not answer, are"
                        + " written once it does").isTrue();
        assertThat(audit.records(SessionId.of("chat-1"))).extracting(AuditRecord::action)
                .containsExactly(AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.RETURNED_TO_BOT);
    }
}
