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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * One healthy instance, busy: many handoffs at once against a database one network hop away (every round trip
 * waits {@value #ROUND_TRIP_MICROS} µs, as with the database on another host). Busy is not cut off: no customer may
 * be given up as "owner lost" because the instance's own writes queued up, and every handoff is recorded once. And a
 * write of the instance's records that is lost at commit is written again, outcome included.
 */
class BusyInstanceTest {

    private static final long ROUND_TRIP_MICROS = 1_000;
    private static final int HANDOFFS = 200;
    private static final int AGENTS = 20;

    @Test
    void a_burst_of_handoffs_on_a_distant_database_all_connect_and_none_is_given_up_as_lost() throws Exception {
        try (HikariDataSource pool = EmbeddedDatabase.newDatabase("handoff_busy_instance", 8)) {
            DataSource distant = new CuttableDataSource(pool, ROUND_TRIP_MICROS);
            // what is under test is the short lease of a busy instance; the agents' timeouts are far longer than any
            // queueing here, so that a machine starved by other builds (where 30 s offers did time out, correctly
            // returning those customers to the bot) cannot end a handoff for a reason this test is not about
            PostgresHandoffStores stores = PostgresHandoffStores.builder(distant).tenant("acme").instanceId("busy")
                    .handoffLease(Duration.ofMillis(1_500)).acceptTimeout(Duration.ofMinutes(4)).build();
            AtomicBoolean stop = new AtomicBoolean();
            try (Handoff handoff = stores.applyTo(Handoff.builder().transferTimeout(Duration.ofMinutes(4)).maxWait(Duration.ofMinutes(4)))
                    .build()) {
                AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
                for (int a = 0; a < AGENTS; a++) {
                    support.signIn("agent-" + a);
                    acceptEverything(support, "agent-" + a, stop);
                }
                List<CompletableFuture<HandoffOutcome>> outcomes = new ArrayList<>();
                for (int i = 0; i < HANDOFFS; i++) {
                    HandoffSession chat = handoff.open(SessionId.of("busy-" + i), Channel.CHAT, CustomerData.UNKNOWN);
                    chat.customer("My invoice shows a charge I don't recognise");
                    outcomes.add(chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture());
                }
                CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);

                Map<String, Long> causes = outcomes.stream().map(CompletableFuture::join)
                        .collect(Collectors.groupingBy(o -> o.status() + "/" + o.cause(), Collectors.counting()));
                assertThat(causes).as("every customer reached an agent; none was given up by its own busy instance")
                        .containsOnlyKeys("CONNECTED/" + HandoffOutcome.Cause.CONNECTED);
            } finally {
                stop.set(true);
            }
            assertThat(EmbeddedDatabase.count(pool, "SELECT count(*) FROM handoff.handoffs WHERE tenant_id = 'acme'"
                    + " AND outcome = 'CONNECTED' AND owner = 'busy' AND taken_over = 0")).as("recorded once, by the instance that ran them")
                    .isEqualTo(HANDOFFS);
        }
    }

    @Test
    void an_outcome_whose_commit_was_lost_is_recorded_by_the_retry() throws Exception {
        try (HikariDataSource pool = EmbeddedDatabase.newDatabase("handoff_lost_commit", 4)) {
            CuttableDataSource network = new CuttableDataSource(pool);
            PostgresHandoffStores stores = PostgresHandoffStores.builder(network).tenant("acme").instanceId("flaky").build();
            AtomicBoolean stop = new AtomicBoolean();
            try (Handoff handoff = stores.applyTo(Handoff.builder()).build()) {
                AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
                support.signIn("alice");
                acceptEverything(support, "alice", stop);
                network.loseNextCommitWithArrayHolding(HandoffOutcome.Status.CONNECTED.name());   // the burst carrying the outcome
                HandoffSession chat = handoff.open(SessionId.of("lost-commit"), Channel.CHAT, CustomerData.UNKNOWN);
                chat.customer("My invoice shows a charge I don't recognise");

                HandoffOutcome outcome = chat.handOff(chat.customer("let me talk to a person")).toCompletableFuture().get(1, TimeUnit.MINUTES);

                assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
                String recorded = "SELECT count(*) FROM handoff.handoffs WHERE tenant_id = 'acme' AND session_id = 'lost-commit'"
                        + " AND outcome = 'CONNECTED' AND owner = 'flaky'";
                for (int i = 0; i < 300 && (network.armed() || EmbeddedDatabase.count(pool, recorded) == 0); i++) {
                    Thread.sleep(50);   // the writer retries after a back-off; nothing to wait on but the row
                }
                assertThat(network.armed()).as("the commit carrying the outcome was lost once").isFalse();
                assertThat(EmbeddedDatabase.count(pool, recorded)).as("the outcome is recorded by the retry").isEqualTo(1);
                assertThat(stores.ownership().owned()).as("and no longer renewed as running").isEmpty();
            } finally {
                stop.set(true);
            }
        }
    }

    private static void acceptEverything(AgentQueue queue, String agent, AtomicBoolean stop) {
        if (stop.get()) {
            return;
        }
        queue.next(agent, Duration.ofSeconds(5)).thenAccept(offer -> {
            offer.ifPresent(o -> o.accept());
            acceptEverything(queue, agent, stop);
        });
    }
}
