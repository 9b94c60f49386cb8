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
import org.junit.jupiter.api.Test;

/** The module README's first code blocks: the pool as a user configures it, and the one builder call, run on a real PostgreSQL. */
class ReadmeWiringTest {

    /** Compiled, not run: it names a production host. The test below wires the stores the same way on the test server. */
    static HikariDataSource productionDataSource() {
        // tag::datasource[]
        HikariDataSource dataSource = new HikariDataSource();          // or any DataSource
        dataSource.setJdbcUrl("jdbc:postgresql://db.internal:5432/contact_centre");
        dataSource.setUsername("handoff_app");
        dataSource.setPassword(System.getenv("HANDOFF_DB_PASSWORD"));
        dataSource.setConnectionTimeout(2_000);                         // bounds how long a store call waits during an outage
        // end::datasource[]
        return dataSource;
    }

    @Test
    void the_readme_wiring_runs_a_handoff_on_postgres() throws Exception {
        byte[] keyBytes = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        try (HikariDataSource dataSource = EmbeddedDatabase.newDatabase("handoff_readme", 4)) {
            // tag::wiring[]
            PostgresHandoffStores stores = PostgresHandoffStores.builder(dataSource).tenant("acme").build();
            Handoff handoff = stores.applyTo(Handoff.builder())             // stores, shared chat queues, handoff ownership
                    .signingKeys(SigningKeys.of("k-2026-11", keyBytes))     // the same keys on every instance
                    .build();
            // end::wiring[]
            try (handoff) {
                AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
                support.signIn("alice");
                CompletableFuture<Optional<Offer>> alice = support.next("alice", Duration.ofSeconds(30));
                HandoffSession chat = handoff.open(SessionId.of("chat-readme"), Channel.CHAT, CustomerData.of("cus-1", Map.of()));
                chat.customer("My invoice is wrong");
                CompletableFuture<HandoffOutcome> outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture();
                assertThat(alice.get(30, TimeUnit.SECONDS).orElseThrow().accept()).isTrue();

                assertThat(outcome.get(30, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                assertThat(stores.contextStore().get(outcome.get().contextId())).as("the context is on PostgreSQL").isPresent();
            }
        }
    }
}
