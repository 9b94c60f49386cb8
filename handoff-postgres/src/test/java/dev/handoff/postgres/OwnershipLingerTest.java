package dev.handoff.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffOwnership;
import dev.handoff.postgres.internal.Jdbc;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ownership writer holds a burst of phases and outcomes (which nobody waits for) a little, so that on a busy
 * instance they share a commit instead of each costing a WAL flush; a start is never held back (an offer waits for
 * its handoff's row), and closing writes what waits. The linger here is a minute, so what the test sees cannot come
 * from the wait running out.
 */
class OwnershipLingerTest {

    private static final long WAIT_SECONDS = 30;
    private static final Duration LONG_LINGER = Duration.ofMinutes(1);
    private static final String BURST = OwnershipSql.BURST + "handoff.handoffs";

    private static HikariDataSource db;

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("handoff_ownership_linger", 4);
        PostgresHandoffStores.builder(db).tenant("acme").build();   // the schema
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void phases_and_outcomes_wait_for_the_next_start_and_go_in_its_commit() throws Exception {
        // every burst is one statement, whatever it holds: the count of bursts
        AtomicInteger bursts = new AtomicInteger();
        OwnershipWriter writer = writer(WatchedDataSource.of(db, sql -> {
            if (sql.startsWith(BURST)) {
                bursts.incrementAndGet();
            }
        }), "i-gather");
        try {
            writer.start();
            for (String h : new String[] {"h-g1", "h-g2", "h-g3"}) {
                writer.enqueue(start(h));
                awaitRecorded(writer, h);
            }
            int before = bursts.get();
            // one at a time, as a busy runtime queues them: the first is held, the others join it
            writer.enqueue(move("h-g1", HandoffPhase.PACKAGED));
            writer.enqueue(move("h-g2", HandoffPhase.PACKAGED));
            writer.enqueue(finish("h-g3"));
            writer.enqueue(move("h-g1", HandoffPhase.TRANSFERRING));
            writer.enqueue(start("h-g4"));
            awaitRecorded(writer, "h-g4");

            assertThat(bursts.get() - before).as("phases, outcome and start: one burst, one commit").isEqualTo(1);
            assertThat(phase("h-g1")).isEqualTo("TRANSFERRING");
            assertThat(phase("h-g2")).isEqualTo("PACKAGED");
            assertThat(outcome("h-g3")).isEqualTo("CONNECTED");
            assertThat(phase("h-g4")).isEqualTo("REQUESTED");
        } finally {
            writer.close();
        }
    }

    @Test
    void a_start_is_written_without_waiting() throws Exception {
        OwnershipWriter writer = writer(db, "i-start");
        try {
            writer.start();
            writer.enqueue(start("h-s1"));
            // with a minute's linger, a start held back would not be recorded within the wait below
            awaitRecorded(writer, "h-s1");
            assertThat(phase("h-s1")).isEqualTo("REQUESTED");
        } finally {
            writer.close();
        }
    }

    @Test
    void closing_writes_what_is_held_back() throws Exception {
        OwnershipWriter writer = writer(db, "i-close");
        writer.start();
        writer.enqueue(start("h-c1"));
        awaitRecorded(writer, "h-c1");
        writer.enqueue(move("h-c1", HandoffPhase.TRANSFERRING));
        writer.enqueue(finish("h-c1"));
        writer.close();
        assertThat(phase("h-c1")).isEqualTo("TRANSFERRING");
        assertThat(outcome("h-c1")).isEqualTo("CONNECTED");
    }

    private static OwnershipWriter writer(DataSource ds, String instance) {
        Tenancy t = new Tenancy(new Jdbc(ds), "acme", PostgresSchema.DEFAULT_SCHEMA, Clock.systemUTC(), Duration.ofDays(30));
        return new OwnershipWriter(t, instance, Duration.ofSeconds(30), new ConcurrentHashMap<>(), id -> {
        }, LONG_LINGER);
    }

    private static OwnershipWriter.Start start(String handoffId) {
        Instant now = Instant.now();
        return new OwnershipWriter.Start(new HandoffOwnership.Started(handoffId, SessionId.of("s-" + handoffId), Channel.CHAT,
                now, now.plusSeconds(60)), now);
    }

    private static OwnershipWriter.Finish finish(String handoffId) {
        HandoffOutcome connected = new HandoffOutcome(SessionId.of("s-" + handoffId), HandoffOutcome.Status.CONNECTED,
                HandoffOutcome.Cause.CONNECTED, null, null, List.of(), Duration.ofSeconds(3), "");
        return new OwnershipWriter.Finish(handoffId, connected, Instant.now());
    }

    private static OwnershipWriter.Move move(String handoffId, HandoffPhase phase) {
        return new OwnershipWriter.Move(handoffId, phase, null, Instant.now());
    }

    private static void awaitRecorded(OwnershipWriter writer, String handoffId) throws Exception {
        writer.recorded(SessionId.of("s-" + handoffId)).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static String phase(String handoffId) throws Exception {
        return column("phase", handoffId);
    }

    private static String outcome(String handoffId) throws Exception {
        return column("outcome", handoffId);
    }

    private static String column(String column, String handoffId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT " + column + " FROM handoff.handoffs WHERE tenant_id = 'acme' AND handoff_id = ?")) {
            p.setString(1, handoffId);
            try (ResultSet r = p.executeQuery()) {
                assertThat(r.next()).as("a row for %s", handoffId).isTrue();
                return r.getString(1);
            }
        }
    }
}
