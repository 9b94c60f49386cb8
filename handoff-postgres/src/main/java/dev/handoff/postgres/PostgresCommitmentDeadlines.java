package dev.handoff.postgres;

import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.core.VerificationDeadlines;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-minute verification deadlines, shared by every instance, so each fires once however many instances
 * run: a deadline is a row of {@code commitment_deadlines}; {@link #pollDue} claims due rows with
 * {@code FOR UPDATE SKIP LOCKED} (two instances polling at once never get the same row), marks them CLAIMED by
 * this instance with a lease, hands the ones that still have pending commitments to the handler, and marks them
 * FIRED. A claim whose instance died before finishing is claimed again once its lease has run out, so a deadline
 * is never lost; the price is that a deadline whose instance died between calling the handler and marking it FIRED
 * fires a second time (at least once across crashes, exactly once otherwise).
 *
 * <p>Who calls what: this is core's {@link VerificationDeadlines} seam, set on the Handoff by
 * {@link PostgresHandoffStores#applyTo}. The runtime {@link #schedule}s when an agent connects (a second call restarts
 * the deadline) and {@link #cancel}s when nothing is pending any more or the session ends, on its worker threads;
 * once attached, each instance calls {@link #pollDue} every {@link #DEFAULT_POLL_INTERVAL} (configurable with
 * {@link PostgresHandoffStores.Builder#deadlinePollInterval}) on a database thread ({@code handoff-pg-N}) timed by the
 * Handoff's scheduler, and the runtime publishes the {@link dev.handoff.api.event.HandoffEvent.CommitmentOverdue}
 * to that instance's listeners. A deadline therefore fires on whichever instance polls first after it is due, and
 * on a surviving instance when the one where the agent connected died. Thread-safe; the handler runs on the thread
 * that called {@link #pollDue}.
 *
 * <p>Created by {@link PostgresHandoffStores}.
 */
public final class PostgresCommitmentDeadlines implements VerificationDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCommitmentDeadlines.class);

    /** How long a claim holds before another instance may take the deadline over. */
    public static final Duration DEFAULT_CLAIM_LEASE = Duration.ofSeconds(30);
    /** The most deadlines one {@link #pollDue} claims. */
    public static final int DEFAULT_BATCH_SIZE = 100;
    /** How often each instance polls for due deadlines once attached to a Handoff: an overdue event is this late at most. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    /**
     * A deadline that passed with commitments still pending.
     *
     * @param session the conversation
     * @param due     when they were due
     * @param pending the commitments nobody confirmed, corrected or revoked, in the order they were made
     */
    public record Overdue(SessionId session, Instant due, List<Commitment> pending) {
        public Overdue {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(due, "due");
            pending = List.copyOf(pending);
        }
    }

    private record Claim(SessionId session, Instant due, int claimNumber) {
    }

    private final Tenancy t;
    private final PostgresCommitmentLedger ledger;
    private final String instanceId;
    private final Duration lease;
    private final int batchSize;
    private final String scheduleSql;
    private final String cancelSql;
    private final String deadlineSql;
    private final String claimSql;
    private final String finishSql;
    private final String releaseSql;

    private final Background bg;
    private final Duration pollInterval;
    private final AtomicLong polls = new AtomicLong();
    private volatile Host host;

    PostgresCommitmentDeadlines(Tenancy tenancy, PostgresCommitmentLedger ledger, String instanceId, Duration lease, int batchSize,
                                Background background, Duration pollInterval) {
        this.bg = Objects.requireNonNull(background, "background");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.batchSize = batchSize;
        String d = t.table("commitment_deadlines");
        this.scheduleSql = "INSERT INTO " + d + " AS d (tenant_id, session_id, due_at, state, purge_after) VALUES (?, ?, ?, 'PENDING', ?)"
                + " ON CONFLICT (tenant_id, session_id) DO UPDATE SET due_at = EXCLUDED.due_at, state = 'PENDING', claimed_by = NULL,"
                + " claim_until = NULL, fired_at = NULL, purge_after = EXCLUDED.purge_after";
        this.cancelSql = "UPDATE " + d + " SET state = 'CANCELLED' WHERE tenant_id = ? AND session_id = ? AND state IN ('PENDING', 'CLAIMED')";
        this.deadlineSql = "SELECT due_at FROM " + d + " WHERE tenant_id = ? AND session_id = ? AND state IN ('PENDING', 'CLAIMED')";
        // one statement: lock due rows no other poller holds, then claim them for this instance. MATERIALIZED, as in
        // PostgresOutbox: a sub-select joined in UPDATE ... FROM may be scanned again per row, and with SKIP LOCKED each
        // scan finds other rows, so more than the LIMIT would be claimed; the locked rows are updated where they lie
        // (Tenancy.LOCKED_ROW)
        this.claimSql = "WITH due AS MATERIALIZED (SELECT session_id, " + Tenancy.LOCKED_ROW + " FROM " + d
                + " WHERE tenant_id = ? AND state IN ('PENDING', 'CLAIMED')"
                + " AND due_at <= ? AND (state = 'PENDING' OR claim_until <= ?) ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + d + " AS d SET state = 'CLAIMED', claimed_by = ?, claim_until = ?, claims = d.claims + 1 FROM due"
                + " WHERE d.ctid = due.row_at AND d.tenant_id = ? AND d.session_id = due.session_id"
                + " RETURNING d.session_id, d.due_at, d.claims";
        // fenced: only the claim this instance holds (a takeover or a restart changed claims/state)
        this.finishSql = "UPDATE " + d + " SET state = ?, fired_at = ? WHERE tenant_id = ? AND session_id = ? AND state = 'CLAIMED'"
                + " AND claimed_by = ? AND claims = ?";
        this.releaseSql = "UPDATE " + d + " SET state = 'PENDING', claimed_by = NULL, claim_until = NULL WHERE tenant_id = ?"
                + " AND session_id = ? AND state = 'CLAIMED' AND claimed_by = ? AND claims = ?";
    }

    /**
     * Called once by the Handoff these stores are applied to: polls for due deadlines every poll interval on a
     * database thread and hands each to the runtime, which publishes the overdue event when commitments are still
     * pending. While the database is unreachable the poll fails and is logged (first failure, then every 60th).
     *
     * @throws IllegalStateException when these stores already serve another Handoff
     */
    @Override
    public synchronized void attach(Host h) {
        Objects.requireNonNull(h, "host");
        if (host != null) {
            throw new IllegalStateException("these PostgreSQL stores already serve another Handoff; build one PostgresHandoffStores per Handoff");
        }
        bg.attach(h.scheduler());
        host = h;
        bg.every(pollInterval, "commitment deadline poll", () -> {
            pollDue(o -> h.overdue(o.session(), o.due()));
            polls.incrementAndGet();
        });
    }

    /** Stops the polls (and the stores' other background work) when the Handoff closes. */
    @Override
    public void close() {
        bg.close();
    }

    /** Polls this instance completed since it was attached (for tests: a poll has no event of its own). */
    long polls() {
        return polls.get();
    }

    /**
     * Starts (or restarts) the session's deadline. Idempotent for the same instant.
     *
     * @param due when the session's pending commitments must have been verified
     */
    @Override
    public void schedule(SessionId session, Instant due) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(due, "due");
        Instant now = t.now();
        t.jdbc().autoCommit("scheduling the commitment deadline of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(scheduleSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                p.setObject(3, Tenancy.ts(due));
                p.setObject(4, Tenancy.ts(t.purgeAfter(due.isAfter(now) ? due : now)));
                return p.executeUpdate();
            }
        });
    }

    /**
     * Stops the session's deadline (everything was verified, or the session ended).
     *
     * @return whether a running deadline was stopped
     */
    @Override
    public boolean cancel(SessionId session) {
        Objects.requireNonNull(session, "session");
        return t.jdbc().autoCommit("cancelling the commitment deadline of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(cancelSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                return p.executeUpdate() > 0;
            }
        });
    }

    /** When the session's commitments are due, while its deadline has not fired or been cancelled. */
    @Override
    public Optional<Instant> deadline(SessionId session) {
        Objects.requireNonNull(session, "session");
        return t.jdbc().autoCommit("reading the commitment deadline of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(deadlineSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(Tenancy.instant(rs.getObject(1, OffsetDateTime.class))) : Optional.<Instant>empty();
                }
            }
        });
    }

    /**
     * Claims the deadlines that are due (at most {@link #DEFAULT_BATCH_SIZE} unless configured otherwise), calls
     * {@code handler} once for each that still has pending commitments, and marks them fired; a deadline whose
     * commitments were all verified in time is closed without calling the handler. When the handler throws, the
     * deadline is released and a later poll (on any instance) tries again.
     *
     * @param handler publishes the overdue event; runs on this thread and should not block
     * @return how many deadlines were handed to the handler
     * @throws dev.handoff.api.RetriableHandoffException while the database is unavailable (nothing was claimed, or
     *                                                   what was claimed is taken over after the lease)
     */
    public int pollDue(Consumer<Overdue> handler) {
        Objects.requireNonNull(handler, "handler");
        Instant now = t.now();
        List<Claim> claims = t.jdbc().autoCommit("claiming due commitment deadlines", c -> {
            try (PreparedStatement p = c.prepareStatement(claimSql)) {
                p.setString(1, t.tenant());
                p.setObject(2, Tenancy.ts(now));
                p.setObject(3, Tenancy.ts(now));
                p.setInt(4, batchSize);
                p.setString(5, instanceId);
                p.setObject(6, Tenancy.ts(now.plus(lease)));
                p.setString(7, t.tenant());
                try (ResultSet rs = p.executeQuery()) {
                    List<Claim> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Claim(SessionId.of(rs.getString(1)), Tenancy.instant(rs.getObject(2, OffsetDateTime.class)), rs.getInt(3)));
                    }
                    return out;
                }
            }
        });
        int fired = 0;
        for (Claim claim : claims) {
            List<Commitment> pending = ledger.pending(claim.session());
            if (pending.isEmpty()) {
                finish(claim, "CANCELLED");
                continue;
            }
            try {
                handler.accept(new Overdue(claim.session(), claim.due(), pending));
            } catch (RuntimeException e) {
                LOG.warn("Commitment deadline of session {}: the handler failed ({}); released for a later poll", claim.session(),
                        e.getClass().getName());
                release(claim);
                continue;
            }
            fired++;
            finish(claim, "FIRED");
        }
        return fired;
    }

    private void finish(Claim claim, String state) {
        int updated = fenced("closing the commitment deadline of session " + claim.session(), finishSql, claim, state);
        if (updated == 0) {
            LOG.info("Commitment deadline of session {} was restarted, cancelled or taken over while this instance ({}) handled it",
                    claim.session(), instanceId);
        }
    }

    private void release(Claim claim) {
        try {
            fenced("releasing the commitment deadline of session " + claim.session(), releaseSql, claim, null);
        } catch (HandoffException e) {
            LOG.warn("Commitment deadline of session {} could not be released ({}); another instance takes it over after the lease",
                    claim.session(), e.getMessage());
        }
    }

    private int fenced(String what, String sql, Claim claim, String state) {
        return t.jdbc().autoCommit(what, c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                int i = 1;
                if (state != null) {
                    p.setString(i++, state);
                    p.setObject(i++, Tenancy.ts(t.now()));
                }
                p.setString(i++, t.tenant());
                p.setString(i++, claim.session().value());
                p.setString(i++, instanceId);
                p.setInt(i, claim.claimNumber());
                return p.executeUpdate();
            }
        });
    }

    /** The id this instance claims deadlines under. */
    public String instanceId() {
        return instanceId;
    }

    /** How often this instance polls for due deadlines once attached ({@link PostgresHandoffStores.Builder#deadlinePollInterval}). */
    public Duration pollInterval() {
        return pollInterval;
    }
}
