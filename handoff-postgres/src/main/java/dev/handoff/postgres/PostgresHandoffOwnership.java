package dev.handoff.postgres;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffException;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffOwnership;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Notifications;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HandoffOwnership} on PostgreSQL: every running handoff is a row of {@code handoffs} with an owner instance,
 * a lease and a fencing number, so when an instance dies another takes its handoffs over within the lease and either
 * completes them or returns the customer to the bot ({@link HandoffOutcome.Cause#OWNER_LOST}) — never silence,
 * never two owners.
 *
 * <ul>
 *   <li><b>Record:</b> start, each phase and the outcome are queued and written by one thread
 *       ({@code handoff-pg-owner}) in order, batched into one transaction per burst, so the runtime never waits for the
 *       database. Every update names the owner and the fence it holds; zero rows updated means another instance owns
 *       the handoff now, and the runtime stops driving it ({@link Host#lost}).</li>
 *   <li><b>Heartbeat</b> every lease/3 (on the Handoff's scheduler, written by the same thread, after the writes
 *       queued before it): renews the lease of every handoff this instance owns in one statement; one it believed it
 *       owned and did not renew is lost.</li>
 *   <li><b>Takeover</b> every lease/2 and on a {@code handoff_owner_lost} notification: claims handoffs whose lease
 *       ran out ({@code FOR UPDATE SKIP LOCKED}, fence + 1), takes over their open chat offer if any, and hands each to
 *       the runtime ({@link Host#adopt}): an offer still open may still connect; otherwise (a SIP call whose dialog died
 *       with its instance, a handoff that never got to an offer) the customer returns to the bot with the reason.</li>
 * </ul>
 *
 * <p>Created by {@link PostgresHandoffStores}; attached by the Handoff it is set on. Thread-safe.
 */
public final class PostgresHandoffOwnership implements HandoffOwnership {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresHandoffOwnership.class);

    /** How long a handoff stays with its owner without a heartbeat; renewed every third of it. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    /** Handoffs one takeover poll claims at most. */
    public static final int TAKEOVER_BATCH = 20;

    static final String OWNER_LOST_CHANNEL = "handoff_owner_lost";

    private final Tenancy t;
    private final String instanceId;
    private final Duration lease;
    private final Background bg;
    private final PostgresChatQueues queues;
    private final PostgresContextStore contexts;
    private final Duration pollInterval;
    /** Handoffs this instance owns and has written, with the fence it holds. */
    private final ConcurrentMap<String, Long> owned = new ConcurrentHashMap<>();
    private final BlockingQueue<Op> writes = new LinkedBlockingQueue<>();
    private final Sql sql;
    private volatile Host host;
    private volatile boolean closed;
    /** Until when the last committed heartbeat leased this instance's handoffs. */
    private volatile Instant renewedUntil;
    /** Set by a heartbeat inside the writer's transaction; the writer thread's own. */
    private Instant renewing;
    /** Counted down by {@link #close()}: wakes the writer from a retry wait for its last attempt. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private Thread writer;

    private sealed interface Op {
    }

    private record Start(Started h, Instant at) implements Op {
    }

    private record Move(String handoffId, HandoffPhase phase, String contextId, Instant at) implements Op {
    }

    private record Finish(String handoffId, HandoffOutcome outcome, Instant at) implements Op {
    }

    private record Heartbeat() implements Op {
    }

    private record Sql(String insert, String move, String finish, String renew, String instance, String takeover) {
        static Sql of(Tenancy t) {
            String h = t.table("handoffs");
            return new Sql(
                    "INSERT INTO " + h + " (tenant_id, handoff_id, session_id, channel, phase, owner, lease_until, requested_at, wait_until,"
                            + " updated_at, purge_after) VALUES (?, ?, ?, ?, 'REQUESTED', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    "UPDATE " + h + " SET phase = ?, context_id = COALESCE(?, context_id), updated_at = ? WHERE tenant_id = ? AND handoff_id = ?"
                            + " AND owner = ? AND fence = ?",
                    "UPDATE " + h + " SET outcome = ?, outcome_cause = ?, updated_at = ?, purge_after = ? WHERE tenant_id = ? AND handoff_id = ?"
                            + " AND owner = ? AND fence = ?",
                    "UPDATE " + h + " SET lease_until = ? WHERE tenant_id = ? AND owner = ? AND outcome IS NULL AND handoff_id = ANY(?)"
                            + " RETURNING handoff_id, fence",
                    "INSERT INTO " + t.table("instances") + " AS i (tenant_id, instance_id, started_at, heartbeat_at, lease_until)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, instance_id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at,"
                            + " lease_until = EXCLUDED.lease_until",
                    // MATERIALIZED, as in PostgresOutbox: a joined sub-select may be scanned again per row and, with SKIP
                    // LOCKED, claim past its LIMIT
                    "WITH due AS MATERIALIZED (SELECT handoff_id, owner AS previous FROM " + h + " WHERE tenant_id = ? AND outcome IS NULL"
                            + " AND lease_until < ? ORDER BY lease_until LIMIT " + TAKEOVER_BATCH + " FOR UPDATE SKIP LOCKED)"
                            + " UPDATE " + h + " AS h SET owner = ?, fence = h.fence + 1, lease_until = ?, updated_at = ?, taken_over = h.taken_over + 1"
                            + " FROM due WHERE h.tenant_id = ? AND h.handoff_id = due.handoff_id RETURNING h.handoff_id, h.session_id, h.channel,"
                            + " h.phase, h.context_id, h.requested_at, h.wait_until, h.fence, due.previous");
        }
    }

    PostgresHandoffOwnership(Tenancy tenancy, String instanceId, Duration lease, Background background, PostgresChatQueues queues,
                             PostgresContextStore contexts, Duration pollInterval) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.bg = Objects.requireNonNull(background, "background");
        this.queues = Objects.requireNonNull(queues, "queues");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.sql = Sql.of(tenancy);
        queues.onTakenOver(this::heartbeat);   // an offer taken over means a handoff lost: the heartbeat finds which
        bg.notifications().subscribe(OWNER_LOST_CHANNEL, payload -> {
            if (payload != null && payload.startsWith(t.tenant() + "/") && host != null) {
                takeOver();
            }
        });
    }

    @Override
    public void started(Started handoff) {
        enqueue(new Start(handoff, t.now()));
    }

    @Override
    public void moved(String handoffId, HandoffPhase phase, String contextId) {
        enqueue(new Move(handoffId, phase, contextId, t.now()));
    }

    @Override
    public void finished(String handoffId, HandoffOutcome outcome) {
        enqueue(new Finish(handoffId, outcome, t.now()));
    }

    private void enqueue(Op op) {
        if (!closed) {
            writes.add(op);
        }
    }

    @Override
    public synchronized void attach(Host h) {
        if (host != null) {
            throw new IllegalStateException("these PostgreSQL stores already serve another Handoff; build one PostgresHandoffStores per Handoff");
        }
        host = h;
        renewedUntil = t.now().plus(lease);
        bg.attach(h.scheduler());
        writer = new Thread(this::write, "handoff-pg-owner");
        writer.setDaemon(true);
        writer.start();
        heartbeat();
        // timed on the scheduler itself, not queued behind the database threads' work (queue polls, preflights,
        // deadline polls): a heartbeat that came late there would read as a cut-off and stop every handoff here
        h.scheduler().schedule(lease.dividedBy(3), this::heartbeatTick);
        bg.every(lease.dividedBy(2), "handoff takeover", this::takeOver);
        queues.start(pollInterval);
        bg.notifications().onReconnect(this::takeOver);
        bg.notifications().start();
    }

    private void heartbeat() {
        fenceIfCutOff();
        enqueue(new Heartbeat());
    }

    /** Every lease/3 on the Handoff's scheduler: checks the cut-off and queues the renewal (neither blocks). */
    private void heartbeatTick() {
        if (closed) {
            return;
        }
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("Handoff heartbeat failed: {}", Texts.clean(String.valueOf(e.getMessage()), 300));
        }
        try {
            host.scheduler().schedule(lease.dividedBy(3), this::heartbeatTick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Scheduler shut down; heartbeats stop");
        }
    }

    /**
     * An instance that cannot reach the database cannot renew its leases, and once they run out another instance
     * takes its handoffs over. So that two instances never drive one handoff, this one stops driving them first:
     * when less than a third of the lease it last renewed is left, each handoff it owns ends here with
     * {@link HandoffOutcome.Cause#OWNER_LOST} ({@link Host#lost}), and is no longer renewed once the database is back.
     */
    private void fenceIfCutOff() {
        Host h = host;
        if (h == null || owned.isEmpty() || t.now().isBefore(renewedUntil.minus(lease.dividedBy(3)))) {
            return;
        }
        List<String> ids = List.copyOf(owned.keySet());
        LOG.warn("No lease renewed since {} (the database is unreachable): stopping {} handoff(s) before their leases run out; "
                + "another instance takes them over", renewedUntil.minus(lease), ids.size());
        for (String id : ids) {
            if (owned.remove(id) != null) {
                lostOnWorker(h, id);   // ending it writes (audit): not on the scheduler's thread
            }
        }
    }

    private static void lostOnWorker(Host h, String handoffId) {
        try {
            h.workers().execute(() -> h.lost(handoffId));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            h.lost(handoffId);
        }
    }

    /** The writer thread: takes a burst of queued writes and applies them in order in one transaction. */
    private void write() {
        List<Op> batch = new ArrayList<>();
        long backoff = 100;
        while (!closed || !writes.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    Op first = writes.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    writes.drainTo(batch, 499);
                }
                renewing = null;
                List<String> lost = t.jdbc().transaction("recording " + batch.size() + " handoff change(s)", c -> apply(c, batch));
                if (renewing != null) {
                    renewedUntil = renewing;   // committed: every handoff this instance drives is leased until then
                }
                batch.clear();
                backoff = 100;
                Host h = host;
                for (String id : lost) {
                    owned.remove(id);
                    if (h != null) {
                        h.lost(id);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (HandoffException e) {
                if (closed) {
                    // closing while the database is unreachable: waiting longer would only hold up close(); these
                    // handoffs' leases run out and another instance takes them over, as after a crash
                    LOG.warn("Closing with {} handoff change(s) not recorded ({}); the leases expire and another instance takes "
                            + "these handoffs over", batch.size() + writes.size(), Texts.clean(e.getMessage(), 200));
                    batch.clear();
                    writes.clear();
                    return;
                }
                LOG.warn("Could not record {} handoff change(s) ({}); retrying in {} ms", batch.size(), Texts.clean(e.getMessage(), 200), backoff);
                try {
                    // the database is unreachable: the same writes are retried in order; close() cuts the wait short
                    closing.await(backoff, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(5_000, backoff * 2);
            } catch (RuntimeException e) {
                LOG.error("Handoff ownership writer failed; {} change(s) dropped", batch.size(), e);
                batch.clear();
            }
        }
    }

    /** Applies the writes in order; returns the handoffs this instance turned out not to own any more. */
    private List<String> apply(Connection c, List<Op> batch) throws SQLException {
        Set<String> lost = new HashSet<>();
        try (PreparedStatement insert = c.prepareStatement(sql.insert());
             PreparedStatement move = c.prepareStatement(sql.move());
             PreparedStatement finish = c.prepareStatement(sql.finish())) {
            for (Op op : batch) {
                if (op instanceof Start s) {
                        insert.setString(1, t.tenant());
                        insert.setString(2, s.h().handoffId());
                        insert.setString(3, s.h().sessionId().value());
                        insert.setString(4, s.h().channel().name());
                        insert.setString(5, instanceId);
                        insert.setObject(6, Tenancy.ts(s.at().plus(lease)));
                        insert.setObject(7, Tenancy.ts(s.h().requestedAt()));
                        insert.setObject(8, Tenancy.ts(s.h().waitUntil()));
                        insert.setObject(9, Tenancy.ts(s.at()));
                        insert.setObject(10, Tenancy.ts(t.purgeAfter(s.at())));
                        insert.executeUpdate();
                        owned.putIfAbsent(s.h().handoffId(), 1L);
                } else if (op instanceof Move m) {
                        Long fence = owned.get(m.handoffId());
                        if (fence == null) {
                            continue;   // finished here already, or lost
                        }
                        move.setString(1, m.phase().name());
                        move.setString(2, m.contextId());
                        move.setObject(3, Tenancy.ts(m.at()));
                        move.setString(4, t.tenant());
                        move.setString(5, m.handoffId());
                        move.setString(6, instanceId);
                        move.setLong(7, fence);
                        if (move.executeUpdate() == 0) {
                            lost.add(m.handoffId());
                        }
                } else if (op instanceof Finish f) {
                        Long fence = owned.remove(f.handoffId());
                        if (fence == null) {
                            continue;
                        }
                        finish.setString(1, f.outcome().status().name());
                        finish.setString(2, f.outcome().cause().name());
                        finish.setObject(3, Tenancy.ts(f.at()));
                        finish.setObject(4, Tenancy.ts(t.purgeAfter(f.at())));
                        finish.setString(5, t.tenant());
                        finish.setString(6, f.handoffId());
                        finish.setString(7, instanceId);
                        finish.setLong(8, fence);
                        if (finish.executeUpdate() == 0) {
                            LOG.warn("Outcome {} of handoff {} not recorded: another instance owns it now", f.outcome().cause(), f.handoffId());
                        }
                } else {
                    lost.addAll(renew(c));
                }
            }
        }
        return List.copyOf(lost);
    }

    /** Renews this instance's leases; returns the handoffs it believed it owned and no longer does. */
    private Set<String> renew(Connection c) throws SQLException {
        Instant now = t.now();
        Set<String> believed = new HashSet<>(owned.keySet());   // before the query: a takeover committed later is not "lost"
        Set<String> renewed = new HashSet<>();
        // only the handoffs this instance still drives: one it stopped driving (cut off, see fenceIfCutOff) must
        // expire, so that another instance takes it over
        if (!believed.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement(sql.renew())) {
                p.setObject(1, Tenancy.ts(now.plus(lease)));
                p.setString(2, t.tenant());
                p.setString(3, instanceId);
                p.setArray(4, c.createArrayOf("text", believed.toArray()));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Long fence = owned.get(rs.getString(1));
                        if (fence != null && fence == rs.getLong(2)) {
                            renewed.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement(sql.instance())) {
            p.setString(1, t.tenant());
            p.setString(2, instanceId);
            p.setObject(3, Tenancy.ts(now));
            p.setObject(4, Tenancy.ts(now));
            p.setObject(5, Tenancy.ts(now.plus(lease)));
            p.executeUpdate();
        }
        renewing = now.plus(lease);
        believed.removeAll(renewed);
        believed.retainAll(owned.keySet());
        return believed;
    }

    /** Claims handoffs whose owner's lease ran out and hands each to the runtime. */
    void takeOver() {
        Host h = host;
        if (h == null || closed) {
            return;
        }
        record Claimed(String handoffId, SessionId session, dev.handoff.api.Channel channel, HandoffPhase phase, String contextId,
                       Instant requestedAt, Instant waitUntil, long fence, String previous) {
        }
        Instant now = t.now();
        List<Claimed> claimed = t.jdbc().transaction("taking over handoffs whose owner's lease ran out", c -> {
            List<Claimed> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.takeover())) {
                p.setString(1, t.tenant());
                p.setObject(2, Tenancy.ts(now));
                p.setString(3, instanceId);
                p.setObject(4, Tenancy.ts(now.plus(lease)));
                p.setObject(5, Tenancy.ts(now));
                p.setString(6, t.tenant());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(rs.getString(1), SessionId.of(rs.getString(2)), dev.handoff.api.Channel.valueOf(rs.getString(3)),
                                HandoffPhase.valueOf(rs.getString(4)), rs.getString(5),
                                Tenancy.instant(rs.getObject(6, OffsetDateTime.class)), Tenancy.instant(rs.getObject(7, OffsetDateTime.class)),
                                rs.getLong(8), rs.getString(9)));
                    }
                }
            }
            if (out.size() == TAKEOVER_BATCH) {
                Notifications.send(c, OWNER_LOST_CHANNEL, t.tenant() + "/" + out.get(0).previous());   // more may wait: everyone helps
            }
            return out;
        });
        for (Claimed x : claimed) {
            owned.put(x.handoffId(), x.fence());
            String reason = "owner " + x.previous() + " lost its lease in phase " + x.phase();
            LOG.warn("Took over handoff {} of session {}: {}", x.handoffId(), x.session(), reason);
            CompletableFuture<TransferResult> attempt = null;
            HandoffContext context = null;
            try {
                context = x.contextId() == null ? null : contexts.get(x.contextId()).orElse(null);
                if (x.phase().compareTo(HandoffPhase.ROUTED) >= 0) {
                    attempt = queues.adopt(x.session(), x.previous());
                }
            } catch (HandoffException e) {
                LOG.warn("Handoff {}: its context or offer could not be read ({}); returning it to the bot", x.handoffId(),
                        Texts.clean(e.getMessage(), 200));
            }
            HandoffPhase phase = x.phase().isFinal() ? HandoffPhase.ROUTED : x.phase();
            Adoption adoption = new Adoption(x.handoffId(), x.session(), x.channel(), phase, decision(context), context == null ? null
                    : context.contextId(), null, x.requestedAt(), x.waitUntil(), attempt, reason);
            try {
                h.adopt(adoption);
            } catch (RuntimeException e) {
                LOG.error("Handoff {} could not be adopted; it is taken over again after the lease", x.handoffId(), e);
                owned.remove(x.handoffId());
            }
        }
    }

    /** What the bot decided, from the stored context; a stand-in when the handoff was lost before it was packaged. */
    private static HandoffDecision decision(HandoffContext context) {
        if (context != null) {
            var m = context.metadata();
            List<Reason> reasons = m.triggerReasons();
            if (!reasons.isEmpty()) {
                HandoffDecision.Action action = "SILENT_ALARM".equals(m.action()) ? HandoffDecision.Action.SILENT_ALARM
                        : HandoffDecision.Action.HANDOFF;
                return new HandoffDecision(action, reasons, m.priority(), m.routeHint());
            }
        }
        return HandoffDecision.handoff(Priority.NORMAL, List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "handoff.taken-over",
                "taken over from an instance that was lost before the context was packaged")), null);
    }

    /** Handoffs this instance owns now (for tests and diagnostics). */
    public Set<String> owned() {
        return Set.copyOf(owned.keySet());
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Stops this instance the way a crash would (for tests): writes still queued are dropped, heartbeats, polls and
     * the listener stop, and no outcome is recorded, so the handoffs it owned wait for another instance's takeover.
     */
    void halt() {
        closed = true;
        writes.clear();
        Thread w = writer;
        if (w != null) {
            w.interrupt();
            try {
                w.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writes.clear();
        bg.close();
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        Thread w = writer;
        if (w != null) {
            try {
                w.join(5_000);   // the outcomes of the handoffs the runtime just ended are written first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        bg.close();
    }
}
