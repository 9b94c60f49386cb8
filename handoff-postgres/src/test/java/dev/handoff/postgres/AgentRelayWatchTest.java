package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.SigningKeys;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two desk requests of one instance for the same handoff another instance runs, at the same moment: the first asks the
 * owner to relay the handoff here (a WATCH); the second does not return its handle before that WATCH is committed, so
 * its agent's first action, too, comes after the WATCH in the owner's order and the events it causes are relayed here.
 * When the first caller's WATCH fails, the second asks itself.
 */
class AgentRelayWatchTest {

    private final List<AutoCloseable> started = new ArrayList<>();
    private final ExecutorService desks = Executors.newFixedThreadPool(2);
    /** Lets the first request's held WATCH commit (or fail). */
    private final CountDownLatch release = new CountDownLatch(1);
    private HikariDataSource db;
    private PostgresHandoffStores agent;

    @AfterEach
    void stop() throws Exception {
        desks.shutdownNow();
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    /** The agent's instance i-2, whose first WATCH commit is held until {@code release} (and then fails, if asked). */
    private PostgresHandoffStores agentInstance(HikariDataSource db, CountDownLatch held, CountDownLatch release, boolean fail) {
        AtomicBoolean holdNext = new AtomicBoolean(true);
        DataSource watched = WatchedDataSource.of(db, sql -> { }, lastSql -> { }, (connection, lastSql) -> {
            // the WATCH's transaction ends with its agent_watches row
            if (lastSql != null && lastSql.contains("agent_watches") && holdNext.compareAndSet(true, false)) {
                held.countDown();
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
                if (fail) {
                    throw new SQLException("connection lost while committing (test)", "08006");
                }
            }
        });
        PostgresHandoffStores s = PostgresHandoffStores.builder(watched).tenant("t-watch").instanceId("i-2")
                .pollInterval(Duration.ofMillis(100)).build();
        started.add(s.applyTo(Handoff.builder()).signingKeys(SigningKeys.ephemeral()).build());
        EmbeddedDatabase.execute(db, "INSERT INTO handoff.handoffs (tenant_id, handoff_id, session_id, channel, context_id, phase, owner,"
                + " lease_until, requested_at, wait_until, outcome, updated_at, purge_after) VALUES ('t-watch', 'h-1', 's-1', 'CHAT',"
                + " 'ctx-1', 'CONNECTED', 'i-1', now() + interval '1 hour', now(), now() + interval '1 hour', 'CONNECTED', now(),"
                + " now() + interval '1 day')");
        return s;
    }

    /** The first desk request, held as its WATCH is about to commit until {@link #release} counts down. */
    private Future<Optional<AgentActions>> firstRequestHeld(String database, boolean failWhenReleased) throws InterruptedException {
        db = EmbeddedDatabase.newDatabase(database, 8);
        started.add(db);
        CountDownLatch held = new CountDownLatch(1);
        agent = agentInstance(db, held, release, failWhenReleased);
        Future<Optional<AgentActions>> first = desks.submit(() -> agent.agentRelay().remote("ctx-1"));
        assertThat(held.await(60, TimeUnit.SECONDS)).as("the first request's WATCH is about to commit").isTrue();
        return first;
    }

    private static long watches(HikariDataSource db) {
        return EmbeddedDatabase.count(db, "SELECT count(*) FROM handoff.agent_actions WHERE tenant_id = 't-watch' AND kind = 'WATCH'");
    }

    @Test
    void a_second_request_at_the_same_moment_waits_for_the_first_ones_watch() throws Exception {
        Future<Optional<AgentActions>> first = firstRequestHeld("relay_watch_wait", false);
        CountDownLatch secondReturned = new CountDownLatch(1);
        Future<Optional<AgentActions>> second = desks.submit(() -> {
            try {
                return agent.agentRelay().remote("ctx-1");
            } finally {
                secondReturned.countDown();
            }
        });
        assertThat(secondReturned.await(2, TimeUnit.SECONDS)).as("no handle before the WATCH is committed").isFalse();

        release.countDown();
        assertThat(first.get(60, TimeUnit.SECONDS)).isPresent();
        assertThat(second.get(60, TimeUnit.SECONDS)).hasValueSatisfying(a -> assertThat(a.handoffId()).isEqualTo("h-1"));
        assertThat(watches(db)).as("the owner is asked once").isEqualTo(1);
    }

    @Test
    void when_the_first_request_s_watch_fails_the_waiting_one_asks_the_owner_itself() throws Exception {
        Future<Optional<AgentActions>> first = firstRequestHeld("relay_watch_fail", true);
        Future<Optional<AgentActions>> second = desks.submit(() -> agent.agentRelay().remote("ctx-1"));
        release.countDown();

        assertThatThrownBy(() -> first.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(RetriableHandoffException.class);
        assertThat(second.get(60, TimeUnit.SECONDS)).isPresent();
        assertThat(watches(db)).as("the second request's own WATCH").isEqualTo(1);
    }
}
