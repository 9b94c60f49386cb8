package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.core.Handoff;
import dev.handoff.postgres.internal.Background;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A queue preflight does not wait behind the database threads: under a burst those threads are busy with offers and
 * claims, and a preflight that queued behind them for longer than its timeout sent the customer back to the bot
 * although agents were signed in. The last poll's view answers "open, with agents" at once; anything else is still
 * read from the database, so an agent who signed in on another instance since the poll is found.
 */
class QueuePreflightTest {

    private static TransferRequest to(String queue) {
        return new TransferRequest(SessionId.of("chat-1"), "ctx-1", "ticket-1", new Target(queue, Target.Kind.QUEUE, queue, Set.of()),
                TransferMode.QUEUE, Priority.NORMAL, Map.of(), Duration.ofSeconds(30));
    }

    @Test
    void a_queue_with_agents_is_answered_while_every_database_thread_is_busy_and_an_empty_one_is_checked_in_the_database()
            throws Exception {
        try (HikariDataSource dbA = EmbeddedDatabase.newDatabase("handoff_queue_preflight", 4);
             HikariDataSource dbB = EmbeddedDatabase.pool(dbA.getJdbcUrl(), 4)) {
            PostgresHandoffStores a = PostgresHandoffStores.builder(dbA).tenant("acme").build();
            PostgresHandoffStores b = PostgresHandoffStores.builder(dbB).tenant("acme").build();
            try (Handoff onA = a.applyTo(Handoff.builder()).build(); Handoff onB = b.applyTo(Handoff.builder()).build()) {
                onA.chatQueues().orElseThrow().queue("support").signIn("alice");
                a.chatQueues().poll();   // what every instance does each poll interval

                CountDownLatch release = new CountDownLatch(1);
                Background bg = background(a.chatQueues());
                for (int i = 0; i < PostgresHandoffStores.DB_THREADS; i++) {
                    bg.run("a long database task (test)", () -> await(release));
                }
                try {
                    CompletableFuture<PreflightResult> support = a.chatQueues().preflight(to("support")).toCompletableFuture();
                    CompletableFuture<PreflightResult> billing = a.chatQueues().preflight(to("billing")).toCompletableFuture();
                    onB.chatQueues().orElseThrow().queue("billing").signIn("bob");   // on the other instance, after a's poll

                    assertThat(support.get(30, TimeUnit.SECONDS)).as("answered while both database threads are busy")
                            .isEqualTo(new PreflightResult(true, true, true, "queue support open, 1 agents signed in on all instances"));
                    assertThat(billing).as("no agents in the last poll: this one is asked of the database, behind the busy threads")
                            .isNotDone();
                    release.countDown();
                    assertThat(billing.get(30, TimeUnit.SECONDS)).as("bob, signed in on b after a's poll, is found")
                            .isEqualTo(new PreflightResult(true, true, true, "queue billing open, 1 agents signed in on all instances"));
                } finally {
                    release.countDown();
                }
            }
        }
    }

    @Test
    void a_queue_closed_here_after_the_poll_is_read_from_the_database() throws Exception {
        try (HikariDataSource db = EmbeddedDatabase.newDatabase("handoff_queue_preflight_closed", 4)) {
            PostgresHandoffStores stores = PostgresHandoffStores.builder(db).tenant("acme").build();
            try (Handoff handoff = stores.applyTo(Handoff.builder()).build()) {
                var support = handoff.chatQueues().orElseThrow().queue("support");
                support.signIn("alice");
                stores.chatQueues().poll();
                support.close();   // after the poll, which saw it open

                PreflightResult r = stores.chatQueues().preflight(to("support")).toCompletableFuture().get(30, TimeUnit.SECONDS);

                assertThat(r).isEqualTo(new PreflightResult(true, true, false, "queue support closed, 1 agents signed in on all instances"));
            }
        }
    }

    private static Background background(PostgresChatQueues queues) throws ReflectiveOperationException {
        Field f = PostgresChatQueues.class.getDeclaredField("bg");
        f.setAccessible(true);
        return (Background) f.get(queues);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
