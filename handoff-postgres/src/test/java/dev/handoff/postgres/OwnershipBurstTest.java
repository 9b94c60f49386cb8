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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of the ownership writer is one statement: each handoff's changes fold into one row, and that row is what
 * writing the changes one after another would leave. A handoff another instance took over is not changed, and the
 * writer learns which ones those were.
 */
class OwnershipBurstTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofDays(30);
    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");
    private static HikariDataSource db;
    private static Tenancy t;

    @BeforeAll
    static void database() {
        db = EmbeddedDatabase.newDatabase("handoff_ownership_burst", 4);
        PostgresHandoffStores.builder(db).tenant("acme").build();   // the schema
        t = new Tenancy(new Jdbc(db), "acme", PostgresSchema.DEFAULT_SCHEMA, Clock.systemUTC(), RETENTION);
    }

    @AfterAll
    static void closeDatabase() {
        db.close();
    }

    @Test
    void a_start_with_its_phases_and_outcome_is_inserted_as_they_leave_it() throws Exception {
        OwnershipBurst burst = new OwnershipBurst();
        burst.add(start("h-fold", T0));
        burst.add(new OwnershipWriter.Move("h-fold", HandoffPhase.PACKAGED, "ctx-1", T0.plusMillis(10)));
        burst.add(new OwnershipWriter.Move("h-fold", HandoffPhase.ROUTED, null, T0.plusMillis(20)));
        burst.add(finish("h-fold", HandoffOutcome.Status.RETURNED_TO_BOT, HandoffOutcome.Cause.NO_TARGET_AVAILABLE, T0.plusMillis(30)));
        burst.add(finish("h-fold", HandoffOutcome.Status.CONNECTED, HandoffOutcome.Cause.CONNECTED, T0.plusMillis(40)));

        Map<String, Long> fences = new HashMap<>();
        List<HandoffOwnership.Started> started = new ArrayList<>();
        Map<String, Long> finished = new HashMap<>();
        OwnershipBurst.Result result = write(burst, "i-1", fences, started, finished);

        assertThat(started).extracting(HandoffOwnership.Started::handoffId).containsExactly("h-fold");
        assertThat(finished).as("finished here, with the first fence").containsExactly(Map.entry("h-fold", 1L));
        assertThat(fences).as("no longer renewed").doesNotContainKey("h-fold");
        assertThat(result.attempted()).as("nothing to update: the row is new").isEmpty();
        assertThat(row("h-fold")).containsExactly("ROUTED", "ctx-1", "RETURNED_TO_BOT", "NO_TARGET_AVAILABLE", "i-1",
                T0.plusMillis(30).toString(), T0.plusMillis(30).plus(RETENTION).toString());
    }

    @Test
    void a_running_handoff_gets_its_last_phase_and_keeps_its_context_id() throws Exception {
        write(single(start("h-run", T0)), "i-1", new HashMap<>(), new ArrayList<>(), new HashMap<>());
        OwnershipBurst burst = new OwnershipBurst();
        burst.add(new OwnershipWriter.Move("h-run", HandoffPhase.PACKAGED, "ctx-2", T0.plusMillis(10)));
        burst.add(new OwnershipWriter.Move("h-run", HandoffPhase.TRANSFERRING, null, T0.plusMillis(20)));
        Map<String, Long> fences = new HashMap<>(Map.of("h-run", 1L));

        OwnershipBurst.Result result = write(burst, "i-1", fences, new ArrayList<>(), new HashMap<>());

        assertThat(result.updated()).containsExactly("h-run");
        assertThat(row("h-run")).containsExactly("TRANSFERRING", "ctx-2", null, null, "i-1", T0.plusMillis(20).toString(),
                T0.plus(RETENTION).toString());

        OwnershipBurst end = single(finish("h-run", HandoffOutcome.Status.CONNECTED, HandoffOutcome.Cause.CONNECTED, T0.plusMillis(50)));
        Map<String, Long> finished = new HashMap<>();
        assertThat(write(end, "i-1", fences, new ArrayList<>(), finished).updated()).containsExactly("h-run");
        assertThat(finished).containsExactly(Map.entry("h-run", 1L));
        assertThat(row("h-run")).containsExactly("TRANSFERRING", "ctx-2", "CONNECTED", "CONNECTED", "i-1",
                T0.plusMillis(50).toString(), T0.plusMillis(50).plus(RETENTION).toString());
    }

    @Test
    void a_handoff_taken_over_by_another_instance_is_left_as_that_instance_wrote_it() throws Exception {
        write(single(start("h-lost", T0)), "i-1", new HashMap<>(), new ArrayList<>(), new HashMap<>());
        EmbeddedDatabase.execute(db, "UPDATE handoff.handoffs SET owner = 'i-2', fence = 2, phase = 'ROUTED'"
                + " WHERE tenant_id = 'acme' AND handoff_id = 'h-lost'");
        write(single(start("h-kept", T0)), "i-1", new HashMap<>(), new ArrayList<>(), new HashMap<>());
        OwnershipBurst burst = new OwnershipBurst();
        burst.add(new OwnershipWriter.Move("h-lost", HandoffPhase.TRANSFERRING, "ctx-3", T0.plusMillis(10)));
        burst.add(new OwnershipWriter.Move("h-kept", HandoffPhase.TRANSFERRING, "ctx-4", T0.plusMillis(10)));
        burst.add(new OwnershipWriter.Move("h-gone", HandoffPhase.TRANSFERRING, null, T0.plusMillis(10)));

        OwnershipBurst.Result result = write(burst, "i-1", new HashMap<>(Map.of("h-lost", 1L, "h-kept", 1L)), new ArrayList<>(),
                new HashMap<>());

        assertThat(result.attempted()).as("not h-gone: this instance holds no fence for it").containsExactlyInAnyOrder("h-lost", "h-kept");
        assertThat(result.updated()).containsExactly("h-kept");
        assertThat(row("h-lost")).startsWith("ROUTED", null, null, null, "i-2");
        assertThat(row("h-kept")).startsWith("TRANSFERRING", "ctx-4", null, null, "i-1");
    }

    @Test
    void a_burst_written_again_after_its_commit_was_lost_changes_nothing_more() throws Exception {
        OwnershipBurst burst = new OwnershipBurst();
        burst.add(start("h-again", T0));
        burst.add(new OwnershipWriter.Move("h-again", HandoffPhase.PACKAGED, "ctx-5", T0.plusMillis(10)));
        write(burst, "i-1", new HashMap<>(), new ArrayList<>(), new HashMap<>());
        List<String> first = row("h-again");

        OwnershipBurst.Result again = write(burst, "i-1", new HashMap<>(), new ArrayList<>(), new HashMap<>());

        assertThat(again.attempted()).isEmpty();
        assertThat(row("h-again")).isEqualTo(first).startsWith("PACKAGED", "ctx-5");
    }

    private static OwnershipBurst single(OwnershipWriter.Op op) {
        OwnershipBurst burst = new OwnershipBurst();
        burst.add(op);
        return burst;
    }

    private static OwnershipBurst.Result write(OwnershipBurst burst, String instance, Map<String, Long> fences,
                                               List<HandoffOwnership.Started> started, Map<String, Long> finished) throws Exception {
        try (Connection c = db.getConnection()) {
            return burst.write(c, OwnershipSql.of(t).burst(), t, instance, LEASE, fences, started, finished);
        }
    }

    private static OwnershipWriter.Start start(String handoffId, Instant at) {
        return new OwnershipWriter.Start(new HandoffOwnership.Started(handoffId, SessionId.of("s-" + handoffId), Channel.CHAT,
                at, at.plusSeconds(60)), at);
    }

    private static OwnershipWriter.Finish finish(String handoffId, HandoffOutcome.Status status, HandoffOutcome.Cause cause, Instant at) {
        HandoffOutcome outcome = new HandoffOutcome(SessionId.of("s-" + handoffId), status, cause, null, null, List.of(),
                Duration.ofSeconds(3), "");
        return new OwnershipWriter.Finish(handoffId, outcome, at);
    }

    /** phase, context_id, outcome, outcome_cause, owner, updated_at, purge_after. */
    private static List<String> row(String handoffId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT phase, context_id, outcome, outcome_cause, owner, updated_at, purge_after"
                     + " FROM handoff.handoffs WHERE tenant_id = 'acme' AND handoff_id = ?")) {
            p.setString(1, handoffId);
            try (ResultSet r = p.executeQuery()) {
                assertThat(r.next()).as("a row for %s", handoffId).isTrue();
                List<String> out = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    out.add(r.getString(i));
                }
                out.add(Tenancy.instant(r.getObject(6, java.time.OffsetDateTime.class)).truncatedTo(ChronoUnit.MILLIS).toString());
                out.add(Tenancy.instant(r.getObject(7, java.time.OffsetDateTime.class)).truncatedTo(ChronoUnit.MILLIS).toString());
                return out;
            }
        }
    }
}
