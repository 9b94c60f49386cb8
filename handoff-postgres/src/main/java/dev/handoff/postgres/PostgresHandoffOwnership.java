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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 *       ({@code handoff-pg-owner}, {@link OwnershipWriter}), a burst in one transaction of a few JDBC batches, so the
 *       runtime never waits for the database. Every update names the owner and the fence it holds; zero rows updated
 *       means another instance owns the handoff now, and the runtime stops driving it ({@link Host#lost}).</li>
 *   <li><b>Heartbeat</b> every lease/3 (on the Handoff's scheduler, written by the same thread, ahead of the writes
 *       still queued): renews the lease of every handoff this instance owns in one statement; one it believed it
 *       owned and did not renew is lost.</li>
 *   <li><b>Takeover</b> every lease/2 and on a {@code handoff_owner_lost} notification: claims handoffs whose lease
 *       ran out ({@code FOR UPDATE SKIP LOCKED} in a {@code MATERIALIZED} CTE, never more than {@value #TAKEOVER_BATCH}; fence
 *       + 1), reads in the same transaction which of them agents on other instances watch (their events are relayed
 *       from here on), takes over their open chat offer if any, and hands each to
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
    private final OwnershipWriter writer;
    private final String takeoverSql;
    private final String placementSql;
    private volatile Host host;
    private volatile Watches watches = Watches.NONE;
    private volatile boolean closed;

    /**
     * What a takeover tells the agent relay ({@link RelayOwner}, set by {@link PostgresHandoffStores}), so agents on
     * other instances that watched a handoff keep receiving its events from the instance that took it over.
     */
    interface Watches {

        /** No relay: nothing is watched. */
        Watches NONE = new Watches() {
            @Override
            public Set<String> watched(Connection c, List<String> handoffIds) {
                return Set.of();
            }

            @Override
            public void relayFromHere(String handoffId, SessionId session) {
            }
        };

        /** In the takeover's transaction: which of these handoffs agents on other instances watch. */
        Set<String> watched(Connection c, List<String> handoffIds) throws SQLException;

        /** After the takeover committed and before the runtime adopts the handoff: relay its events from here. */
        void relayFromHere(String handoffId, SessionId session);
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
        this.writer = new OwnershipWriter(tenancy, instanceId, lease, owned, this::lost);
        String h = t.table("handoffs");
        this.placementSql = "SELECT handoff_id, session_id, owner, phase, outcome, outcome_cause, taken_over FROM " + h
                + " WHERE tenant_id = ? AND session_id = ? ORDER BY requested_at DESC, updated_at DESC LIMIT 1";
        // MATERIALIZED, as in PostgresOutbox: a sub-select joined in UPDATE ... FROM may be scanned again per row and,
        // with SKIP LOCKED, claim past its LIMIT; the locked rows are updated where they lie (Tenancy.LOCKED_ROW)
        this.takeoverSql = "WITH due AS MATERIALIZED (SELECT handoff_id, owner AS previous, " + Tenancy.LOCKED_ROW + " FROM " + h
                + " WHERE tenant_id = ?"
                + " AND outcome IS NULL AND lease_until < ?"
                // never one this instance still drives: its lease ran out only because the renewal was late
                + " AND NOT (owner = ? AND handoff_id = ANY (?)) ORDER BY lease_until LIMIT " + TAKEOVER_BATCH + " FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + h + " AS h SET owner = ?, fence = h.fence + 1, lease_until = ?, updated_at = ?, taken_over = h.taken_over + 1"
                + " FROM due WHERE h.ctid = due.row_at AND h.tenant_id = ? AND h.handoff_id = due.handoff_id"
                + " RETURNING h.handoff_id, h.session_id, h.channel,"
                + " h.phase, h.context_id, h.requested_at, h.wait_until, h.fence, due.previous";
        queues.onRecorded(writer::recorded);
        queues.onTakenOver(this::heartbeat);   // an offer taken over means a handoff lost: the heartbeat finds which
        bg.notifications().subscribe(OWNER_LOST_CHANNEL, payload -> {
            if (payload != null && payload.startsWith(t.tenant() + "/") && host != null) {
                takeOver();
            }
        });
    }

    /** Called once by the stores, before the Handoff is built. */
    void watches(Watches w) {
        this.watches = Objects.requireNonNull(w, "watches");
    }

    @Override
    public void started(Started handoff) {
        writer.enqueue(new OwnershipWriter.Start(handoff, t.now()));
    }

    @Override
    public void moved(String handoffId, HandoffPhase phase, String contextId) {
        writer.enqueue(new OwnershipWriter.Move(handoffId, phase, contextId, t.now()));
    }

    @Override
    public void finished(String handoffId, HandoffOutcome outcome) {
        writer.enqueue(new OwnershipWriter.Finish(handoffId, outcome, t.now()));
    }

    /** The writer found that another instance owns this handoff now. */
    private void lost(String handoffId) {
        Host h = host;
        if (h != null) {
            h.lost(handoffId);
        }
    }

    @Override
    public synchronized void attach(Host h) {
        if (host != null) {
            throw new IllegalStateException("these PostgreSQL stores already serve another Handoff; build one PostgresHandoffStores per Handoff");
        }
        host = h;
        bg.attach(h.scheduler());
        writer.start();
        heartbeat();
        // on the scheduler's thread, not behind the queue of database work: a busy instance must still renew in time
        bg.tick(lease.dividedBy(3), "handoff heartbeat", this::heartbeat);
        bg.every(lease.dividedBy(2), "handoff takeover", this::takeOver);
        queues.start(pollInterval);
        bg.notifications().onReconnect(this::takeOver);
        bg.notifications().start();
    }

    /** Queues a lease renewal (never blocks); when the last renewal is too old, stops driving this instance's handoffs. */
    private void heartbeat() {
        if (cutOff()) {
            bg.run("stopping the handoffs of an instance cut off from the database", this::fenceIfCutOff);
        }
        writer.heartbeat();
    }

    /**
     * An instance that cannot reach the database cannot renew its leases, and once they run out another instance
     * takes its handoffs over. So that two instances never drive one handoff, this one stops driving them first:
     * when less than a third of the lease it last renewed is left, each handoff it owns ends here with
     * {@link HandoffOutcome.Cause#OWNER_LOST} ({@link Host#lost}), and is no longer renewed once the database is back.
     */
    private void fenceIfCutOff() {
        Host h = host;
        if (h == null || !cutOff()) {
            return;
        }
        Instant renewedUntil = writer.renewedUntil();
        List<String> ids = List.copyOf(owned.keySet());
        LOG.warn("No lease renewed since {} (the database is unreachable or too slow): stopping {} handoff(s) before their leases "
                + "run out; another instance takes them over", renewedUntil.minus(lease), ids.size());
        for (String id : ids) {
            if (owned.remove(id) != null) {
                h.lost(id);
            }
        }
    }

    /** True when this instance drives handoffs and less than a third of the lease it last renewed is left. */
    private boolean cutOff() {
        return !owned.isEmpty() && !t.now().isBefore(writer.renewedUntil().minus(lease.dividedBy(3)));
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
        Watches relay = watches;
        Set<String> watched = ConcurrentHashMap.newKeySet();
        List<Claimed> claimed = t.jdbc().transaction("taking over handoffs whose owner's lease ran out", c -> {
            List<Claimed> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(takeoverSql)) {
                p.setString(1, t.tenant());
                p.setObject(2, Tenancy.ts(now));
                p.setString(3, instanceId);
                p.setArray(4, c.createArrayOf("text", owned.keySet().toArray()));
                p.setString(5, instanceId);
                p.setObject(6, Tenancy.ts(now.plus(lease)));
                p.setObject(7, Tenancy.ts(now));
                p.setString(8, t.tenant());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(rs.getString(1), SessionId.of(rs.getString(2)), dev.handoff.api.Channel.valueOf(rs.getString(3)),
                                HandoffPhase.valueOf(rs.getString(4)), rs.getString(5),
                                Tenancy.instant(rs.getObject(6, OffsetDateTime.class)), Tenancy.instant(rs.getObject(7, OffsetDateTime.class)),
                                rs.getLong(8), rs.getString(9)));
                    }
                }
            }
            watched.clear();
            watched.addAll(relay.watched(c, out.stream().map(Claimed::handoffId).toList()));
            return out;
        });
        if (claimed.size() == TAKEOVER_BATCH) {   // more may wait: everyone helps
            bg.notifications().publish(OWNER_LOST_CHANNEL, t.tenant() + "/" + claimed.get(0).previous());
        }
        for (Claimed x : claimed) {
            owned.put(x.handoffId(), x.fence());
            if (watched.contains(x.handoffId())) {
                relay.relayFromHere(x.handoffId(), x.session());   // before the adoption's first event
            }
            String reason = "owner " + x.previous() + " lost its lease in phase " + x.phase();
            LOG.warn("Took over handoff {} of session {}: {}", x.handoffId(), x.session(), reason);
            CompletableFuture<TransferResult> attempt = null;
            HandoffContext context = null;
            try {
                context = x.contextId() == null ? null : contexts.get(x.contextId()).orElse(null);
                // whatever phase was recorded: the owner's phase writes and its offer go through different connections,
                // so an owner killed just after storing its offer may have recorded an earlier phase
                // (HandoffOwnershipAcrossInstancesTest); an offer left open would be accepted by an agent while the
                // customer is back with the bot
                attempt = queues.adopt(x.session(), x.previous());
            } catch (HandoffException e) {
                LOG.warn("Handoff {}: its context or offer could not be read ({}); returning it to the bot", x.handoffId(),
                        Texts.clean(e.getMessage(), 200));
            }
            HandoffPhase phase = x.phase().isFinal() ? HandoffPhase.ROUTED : x.phase();
            if (attempt != null && phase.compareTo(HandoffPhase.TRANSFERRING) < 0) {
                phase = HandoffPhase.TRANSFERRING;   // its offer was out
            }
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

    /**
     * A session's latest handoff as recorded in {@code handoffs}.
     *
     * @param handoffId the handoff
     * @param session   the conversation
     * @param owner     the instance that drives it now, or drove it to its outcome
     * @param phase     the last recorded phase
     * @param outcome   {@code null} while it runs; then CONNECTED or RETURNED_TO_BOT
     * @param cause     {@code null} while it runs; then why it ended so (e.g. {@code OWNER_LOST})
     * @param takenOver how many times another instance took it over
     */
    public record Placement(String handoffId, SessionId session, String owner, HandoffPhase phase, HandoffOutcome.Status outcome,
                            HandoffOutcome.Cause cause, int takenOver) {
        public Placement {
            Objects.requireNonNull(handoffId, "handoffId");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(phase, "phase");
        }

        /** True while no outcome is recorded: {@link #owner} is the instance to send the customer to. */
        public boolean running() {
            return outcome == null;
        }
    }

    /**
     * Where a session's latest handoff stands, for a customer who reconnects to another instance than the one that
     * held their connection (the load balancer picked another host, or that instance died): while it
     * {@linkplain Placement#running runs}, route the customer to its {@linkplain Placement#owner owner} (name each
     * instance after its address with {@link PostgresHandoffStores.Builder#instanceId}); once it ended, tell them the
     * recorded outcome. On the owner itself, {@link dev.handoff.core.Handoff#session} returns the session, adopted ones
     * included. One indexed query on the caller's thread.
     *
     * @return empty when the session never handed off on any instance of this tenant (or its record was purged)
     * @throws HandoffException when the database cannot be read (retriable while it is unreachable)
     */
    public Optional<Placement> placement(SessionId session) {
        Objects.requireNonNull(session, "session");
        return t.jdbc().autoCommit("reading where the handoff of session " + session + " stands", c -> {
            try (PreparedStatement p = c.prepareStatement(placementSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    String outcome = rs.getString(5);
                    String cause = rs.getString(6);
                    return Optional.of(new Placement(rs.getString(1), SessionId.of(rs.getString(2)), rs.getString(3),
                            HandoffPhase.valueOf(rs.getString(4)), outcome == null ? null : HandoffOutcome.Status.valueOf(outcome),
                            cause == null ? null : HandoffOutcome.Cause.valueOf(cause), rs.getInt(7)));
                }
            }
        });
    }

    /** Handoffs this instance owns now (for tests and diagnostics). */
    public Set<String> owned() {
        return Set.copyOf(owned.keySet());
    }

    /** This instance's id, recorded as the owner of the handoffs it runs. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Stops this instance the way a crash would (for tests): writes still queued are dropped, heartbeats, polls and
     * the listener stop, and no outcome is recorded, so the handoffs it owned wait for another instance's takeover.
     */
    void halt() {
        closed = true;
        writer.halt();
        bg.close();
    }

    @Override
    public void close() {
        closed = true;
        writer.close();   // the outcomes of the handoffs the runtime just ended are written first
        bg.close();
    }
}
