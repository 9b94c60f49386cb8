package dev.handoff.postgres;

import dev.handoff.api.HandoffException;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffOwnership;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread ({@code handoff-pg-owner}) that records this instance's handoff changes for
 * {@link PostgresHandoffOwnership}: starts, phases, outcomes and heartbeats are queued by the runtime (which never
 * waits for the database) and written in bursts of up to {@value #MAX_BATCH}, one commit per burst.
 *
 * <p>A burst is one statement however many handoffs it holds ({@link OwnershipBurst}): each handoff's changes fold
 * into one row (its last phase with its last context id, its outcome), the handoffs started in the burst are inserted
 * as that row and the others updated. Alone it runs in auto-commit (one round trip); with a heartbeat queued, in one
 * transaction with the renewal of every lease (the statements with their {@code BEGIN}, and the {@code COMMIT}).
 * Either way the burst commits whole or not at all, and a burst retried after a commit whose answer was lost writes
 * nothing twice ({@link OwnershipBurst}). Every update names the
 * owner and the fence it holds; zero rows updated means another instance owns the handoff now and it is reported
 * {@linkplain Consumer lost}.
 *
 * <p>A burst that holds no start waits up to {@link #LINGER} for more changes before it is written: phases, outcomes
 * and heartbeats are not waited for by anyone (another instance reading a lagging phase finds the handoff through its
 * offer), and on a busy instance they then share a commit with the next start or with each other instead of each
 * costing the database a WAL flush, which the writes that are waited for (contexts, offers) would queue behind. A
 * start ends the wait at once: an offer is stored only after its handoff's row is ({@link #recorded}).
 *
 * <p>A heartbeat is put at the head of the queue, so a backlog of writes never delays the lease renewal by more than
 * one burst. The map of owned handoffs is changed only after a burst commits, so a burst that failed and is retried
 * (the database was unreachable) writes the same outcomes again instead of skipping them.
 */
final class OwnershipWriter {

    private static final Logger LOG = LoggerFactory.getLogger(OwnershipWriter.class);

    /** The most queued changes one transaction records. */
    static final int MAX_BATCH = 500;

    /** How long a burst without a start waits for more changes (see the class comment). */
    static final Duration LINGER = Duration.ofMillis(5);

    sealed interface Op {
    }

    record Start(HandoffOwnership.Started h, Instant at) implements Op {
    }

    record Move(String handoffId, HandoffPhase phase, String contextId, Instant at) implements Op {
    }

    record Finish(String handoffId, HandoffOutcome outcome, Instant at) implements Op {
    }

    private record Heartbeat() implements Op {
    }

    private static final Heartbeat HEARTBEAT = new Heartbeat();

    /** What one committed burst changed. */
    private record Applied(List<HandoffOwnership.Started> started, Map<String, Long> finished, Map<String, Long> lost,
                           Instant renewedUntil) {
    }

    private final Tenancy t;
    private final String instanceId;
    private final Duration lease;
    /** Handoffs this instance owns and has written, with the fence it holds (shared with the takeover). */
    private final ConcurrentMap<String, Long> owned;
    private final Consumer<String> lost;
    private final OwnershipSql sql;
    private final BlockingDeque<Op> writes = new LinkedBlockingDeque<>();
    /** Starts queued and not yet committed, with what completes once they are; and each session's latest one. */
    private final ConcurrentMap<String, CompletableFuture<Void>> unrecorded = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, String> latestStart = new ConcurrentHashMap<>();
    /** Counted down by {@link #close()}: wakes the writer from a retry wait for its last attempt. */
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    /** Until when the last committed heartbeat leased this instance's handoffs. */
    private volatile Instant renewedUntil;
    private final long lingerNanos;
    private Thread thread;

    OwnershipWriter(Tenancy tenancy, String instanceId, Duration lease, ConcurrentMap<String, Long> owned, Consumer<String> lost) {
        this(tenancy, instanceId, lease, owned, lost, LINGER);
    }

    /** @param linger how long a burst without a start waits for more changes; zero writes each burst at once */
    OwnershipWriter(Tenancy tenancy, String instanceId, Duration lease, ConcurrentMap<String, Long> owned, Consumer<String> lost,
                    Duration linger) {
        this.lingerNanos = Objects.requireNonNull(linger, "linger").toNanos();
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.owned = Objects.requireNonNull(owned, "owned");
        this.lost = Objects.requireNonNull(lost, "lost");
        this.sql = OwnershipSql.of(tenancy);
        this.renewedUntil = tenancy.now().plus(lease);
    }

    synchronized void start() {
        renewedUntil = t.now().plus(lease);
        thread = new Thread(this::run, "handoff-pg-owner");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a change; dropped once closed. */
    void enqueue(Op op) {
        if (!closed) {
            if (op instanceof Start s) {
                unrecorded.put(s.h().handoffId(), new CompletableFuture<>());
                latestStart.put(s.h().sessionId(), s.h().handoffId());
            }
            writes.add(op);
        }
    }

    /**
     * Completes once the latest handoff of {@code session} queued here is recorded in {@code handoffs} (at once when
     * none waits), so that nothing another instance can see — an offer agents can take — exists before the row a
     * takeover looks for: an instance killed between the two would leave an offer nobody completes. Never completes
     * for a start dropped by a crash ({@link #halt}).
     */
    CompletionStage<Void> recorded(SessionId session) {
        String handoffId = latestStart.get(session);
        CompletableFuture<Void> committed = handoffId == null ? null : unrecorded.get(handoffId);
        return committed == null ? CompletableFuture.completedFuture(null) : committed;
    }

    /** Queues a lease renewal ahead of every queued change. */
    void heartbeat() {
        if (!closed) {
            writes.addFirst(HEARTBEAT);
        }
    }

    /** Until when the last committed heartbeat leased this instance's handoffs. */
    Instant renewedUntil() {
        return renewedUntil;
    }

    private void run() {
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
                    writes.drainTo(batch, MAX_BATCH - 1);
                    linger(batch);
                }
                String what = "recording " + batch.size() + " handoff change(s)";
                Applied a = batch.stream().anyMatch(op -> op instanceof Heartbeat) ? t.jdbc().transaction(what, c -> apply(c, batch))
                        : t.jdbc().autoCommit(what, c -> apply(c, batch));   // one statement: its own transaction
                batch.clear();
                backoff = 100;
                committed(a);
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
                // heartbeats queued meanwhile go with the retry
                while (writes.peekFirst() instanceof Heartbeat) {
                    batch.add(writes.pollFirst());
                }
            } catch (RuntimeException e) {
                LOG.error("Handoff ownership writer failed; {} change(s) dropped", batch.size(), e);
                batch.clear();
            }
        }
    }

    /**
     * Adds to a burst that holds no start what is queued within {@link #lingerNanos}; a start (and what is queued with
     * it), a full burst or {@link #close()} ends the wait.
     */
    private void linger(List<Op> batch) throws InterruptedException {
        if (lingerNanos <= 0 || batch.stream().anyMatch(op -> op instanceof Start)) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        long left;
        while (!closed && batch.size() < MAX_BATCH && (left = deadline - System.nanoTime()) > 0) {
            // in slices of at most a millisecond, so that close() is not held up by a long wait
            Op next = writes.poll(Math.min(left, 1_000_000L), TimeUnit.NANOSECONDS);
            if (next == null) {
                continue;
            }
            batch.add(next);
            if (next instanceof Start) {
                writes.drainTo(batch, MAX_BATCH - batch.size());
                return;
            }
        }
    }

    /** After the commit: the owned map follows what the database now says. */
    private void committed(Applied a) {
        for (HandoffOwnership.Started h : a.started()) {
            owned.putIfAbsent(h.handoffId(), 1L);
            latestStart.remove(h.sessionId(), h.handoffId());
            CompletableFuture<Void> committed = unrecorded.remove(h.handoffId());
            if (committed != null) {
                committed.complete(null);
            }
        }
        a.finished().forEach(owned::remove);   // only if the fence is still the one written: a takeover since is kept
        if (a.renewedUntil() != null) {
            renewedUntil = a.renewedUntil();   // every handoff this instance drives is leased until then
        }
        a.lost().forEach((id, fence) -> {
            if (owned.remove(id, fence)) {
                lost.accept(id);
            }
        });
    }

    /**
     * Writes one burst as one statement ({@link OwnershipBurst}), then (if a heartbeat was queued) the renewal. Reads
     * {@link #owned} but does not change it: the burst may still roll back.
     */
    private Applied apply(Connection c, List<Op> batch) throws SQLException {
        OwnershipBurst burst = new OwnershipBurst();
        boolean heartbeat = false;
        for (Op op : batch) {
            if (op instanceof Heartbeat) {
                heartbeat = true;
            } else {
                burst.add(op);
            }
        }
        Map<String, Long> fences = new HashMap<>(owned);
        List<HandoffOwnership.Started> started = new ArrayList<>();
        Map<String, Long> finished = new HashMap<>();
        Map<String, Long> lostHere = new HashMap<>();
        OwnershipBurst.Result written = burst.write(c, sql.burst(), t, instanceId, lease, fences, started, finished);
        if (written != null) {
            for (String id : written.attempted()) {
                if (written.updated().contains(id)) {
                    continue;
                }
                if (burst.finishes(id)) {
                    LOG.warn("Outcome {} of handoff {} not recorded: another instance owns it now", burst.cause(id), id);
                } else {
                    lostHere.put(id, fences.get(id));   // zero rows: another instance owns it now
                }
            }
        }
        Instant renewed = null;
        if (heartbeat) {
            fences.keySet().removeAll(lostHere.keySet());
            Instant now = t.now();
            for (String id : renew(c, fences, now)) {
                lostHere.put(id, fences.get(id));
            }
            renewed = now.plus(lease);
        }
        return new Applied(started, finished, lostHere, renewed);
    }

    /** Renews the leases of {@code fences}' handoffs; returns the ones this instance no longer owns. */
    private Set<String> renew(Connection c, Map<String, Long> fences, Instant now) throws SQLException {
        Set<String> believed = new HashSet<>(fences.keySet());
        // only the handoffs this instance still drives: one it stopped driving (cut off, see
        // PostgresHandoffOwnership.fenceIfCutOff) is no longer in the map and must expire, so another takes it over
        if (!believed.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement(sql.renew())) {
                p.setObject(1, Tenancy.ts(now.plus(lease)));
                p.setString(2, t.tenant());
                p.setString(3, instanceId);
                p.setArray(4, c.createArrayOf("text", believed.toArray()));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Long fence = fences.get(rs.getString(1));
                        if (fence != null && fence == rs.getLong(2)) {
                            believed.remove(rs.getString(1));
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
        return believed;
    }

    /** Stops at once the way a crash would (for tests): what is queued is dropped. */
    void halt() {
        closed = true;
        writes.clear();
        Thread w = thread;
        if (w != null) {
            w.interrupt();
            join(w);
        }
        writes.clear();
    }

    /** Writes what is queued (one last attempt if the database is unreachable), then stops. */
    void close() {
        closed = true;
        closing.countDown();
        Thread w = thread;
        if (w != null) {
            join(w);   // the outcomes of the handoffs the runtime just ended are written first
        }
    }

    private static void join(Thread w) {
        try {
            w.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
