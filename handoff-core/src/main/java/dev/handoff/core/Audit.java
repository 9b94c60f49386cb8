package dev.handoff.core;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.core.audit.AuditBacklog;
import dev.handoff.core.internal.KeptAuditWrites;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records; a failing sink is logged and never stops a handoff. Actors are reduced to a safe code.
 *
 * <p>Records a sink fails to take because it is unavailable (a {@link RetriableHandoffException}: a database down or
 * not answering) are not dropped: they are kept in memory, in order, up to a limit ({@link AuditBacklog#DEFAULT_LIMIT}
 * unless set), and written again on the io executor, first after {@link #FIRST_RETRY}, then at doubling intervals up
 * to {@link #MAX_RETRY}, until the sink takes them. While some are kept, newer records wait
 * behind them (so the trail keeps its order, and a handoff does not wait for a sink known to fail); each keeps the
 * time it was made (records a store writes with its context, {@code ContextStore.putAudited}, do not pass through
 * here). A record the sink refuses for good (any other exception) is logged and dropped, as before, so it cannot hold
 * up the others. {@link #close} tries once more and logs, by action, what is still not written.
 *
 * <p>Without a spool, kept records do not survive the process. With one ({@link AuditSpool}), each batch kept is
 * also written to its file before the call returns, and what the sink then takes is noted there, so records kept
 * when the process stops or dies are written by the next Handoff that opens the file (a record the sink took just
 * before a crash may be written twice).
 *
 * <p>{@link #sink()} is the same path as an {@link AuditSink}, for what audits on the Handoff's behalf (ticket
 * redemption, the agent desktop).
 */
final class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    /** The most kept records one retry writes. */
    static final int RETRY_BATCH = 500;
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final AuditSink sink;
    private final MetricsSink metrics;
    /** The most records kept for a failing sink; more are logged as lost. */
    private final int limit;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Executor io;
    /** Records the sink has not taken yet, oldest first; guarded by this. */
    private final ArrayDeque<AuditRecord> kept = new ArrayDeque<>();
    /** Whether a retry is scheduled or running; guarded by this. */
    private boolean retrying;
    private Duration nextRetry = FIRST_RETRY;
    private long lost;
    /** Held by whoever writes kept records (a retry, or close), one at a time. */
    private final Object writing = new Object();
    /** Set by close (guarded by {@link #writing}): no retry runs after it. */
    private boolean closed;
    /** Nullable; keeps what {@link #kept} holds across a restart (called holding this). */
    private final @Nullable AuditSpool spool;
    private final AuditSink view = new AuditSink() {
        @Override
        public void record(AuditRecord record) {
            recordAll(List.of(record));
        }

        @Override
        public void recordAll(List<AuditRecord> records) {
            Audit.this.recordAll(records);
        }

        @Override
        public String toString() {
            return "Audit[" + sink + "]";
        }
    };

    /**
     * @param metrics   gets the {@link AuditBacklog#WAITING_GAUGE} gauge
     * @param limit     the most records kept for a failing sink
     * @param scheduler times the retries of records a failing sink did not take
     * @param io        runs them (they block on the sink)
     * @param spool     nullable; keeps records across a restart. Its {@linkplain AuditSpool#takePending() pending} records
     *                  are written first, at once; it is closed with this
     */
    Audit(AuditSink sink, MetricsSink metrics, int limit, Clock clock, Scheduler scheduler, Executor io, @Nullable AuditSpool spool) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.limit = limit;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.io = Objects.requireNonNull(io, "io");
        this.spool = spool;
        synchronized (this) {
            List<AuditRecord> pending = spool == null ? List.of() : spool.takePending();
            if (!pending.isEmpty()) {
                kept.addAll(pending);
                retrying = true;
                scheduleRetry(Duration.ZERO);
            }
            waitingChanged();   // from the start, so that an alert on it has a value before the first failure
        }
    }

    /** What is waiting for the sink now. */
    synchronized AuditBacklog backlog() {
        return new AuditBacklog(kept.size(), limit, lost, spool == null ? null : spool.file(), spool != null && spool.inStep());
    }

    /** Publishes the count of kept records (called holding this, whenever it changed); metrics never stop the audit. */
    private void waitingChanged() {
        try {
            metrics.gauge(AuditBacklog.WAITING_GAUGE, kept.size(), Map.of());
        } catch (RuntimeException e) {
            LOG.debug("Metrics sink failed on {}", AuditBacklog.WAITING_GAUGE, e);
        }
    }

    /**
     * This writer as a sink: records given to it are written like the Handoff's own (kept and written again while the
     * sink is unavailable). It never throws.
     */
    AuditSink sink() {
        return view;
    }

    void record(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome) {
        record(actor, action, sessionId, contextId, outcome, null);
    }

    /** A record that also names the network address the actor acted from (null for none). */
    void record(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome,
                String clientAddress) {
        recordAll(List.of(new AuditRecord(clock.instant(), AuditRecord.code(actor), action, sessionId, contextId, AuditRecord.code(outcome), clientAddress)));
    }

    /** A record stamped now, to be written later with {@link #recordAll} beside the records of the same step. */
    AuditRecord entry(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome) {
        return new AuditRecord(clock.instant(), AuditRecord.code(actor), action, sessionId, contextId, AuditRecord.code(outcome), null);
    }

    /** Writes the records of one step in order, in one write where the sink can ({@link AuditSink#recordAll}). */
    void recordAll(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (!kept.isEmpty()) {
                keep(records);   // older records wait for the sink: these go behind them
                return;
            }
        }
        try {
            if (records.size() == 1) {
                sink.record(records.get(0));
            } else {
                sink.recordAll(records);
            }
        } catch (RetriableHandoffException e) {
            LOG.warn("Audit sink failed to record {} for session {}; kept to be written again",
                    records.stream().map(AuditRecord::action).toList(), records.get(0).sessionId(), e);
            synchronized (this) {
                keep(records);
            }
        } catch (RuntimeException e) {
            // refused, not unavailable: written again it would be refused again, and hold up every record behind it
            LOG.warn("Audit sink refused {} for session {}", records.stream().map(AuditRecord::action).toList(),
                    records.get(0).sessionId(), e);
        }
    }

    /** Keeps records for the retry (called holding this). */
    private void keep(List<AuditRecord> records) {
        if (kept.size() + records.size() > limit) {
            lost += records.size();
            LOG.error("Audit records {} of session {} lost: {} already wait for the audit sink ({} lost so far)",
                    records.stream().map(AuditRecord::action).toList(), records.get(0).sessionId(), kept.size(), lost);
            return;
        }
        kept.addAll(records);
        waitingChanged();
        if (spool != null) {
            spool.kept(records);
        }
        if (!retrying) {
            retrying = true;
            scheduleRetry(nextRetry);
        }
    }

    /** Called holding this, with {@link #retrying} set. */
    private void scheduleRetry(Duration delay) {
        try {
            scheduler.schedule(delay, () -> {
                try {
                    io.execute(this::retry);
                } catch (RejectedExecutionException e) {
                    retryLater();   // the io executor is full (or shut down): try again later
                }
            });
        } catch (RejectedExecutionException e) {
            retrying = false;   // shut down: close() makes the last attempt
        }
    }

    private synchronized void stopRetrying() {
        retrying = false;
    }

    private synchronized void retryLater() {
        nextRetry = nextRetry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : nextRetry.multipliedBy(2);
        scheduleRetry(nextRetry);
    }

    /** Writes the oldest kept records; on success goes on at once with the rest, on failure waits longer. */
    private void retry() {
        synchronized (writing) {
            if (closed) {
                return;
            }
            List<AuditRecord> batch;
            synchronized (this) {
                batch = head();
            }
            if (batch.isEmpty()) {
                stopRetrying();
                return;
            }
            int done = KeptAuditWrites.write(sink, batch).done();
            synchronized (this) {
                if (done == 0) {
                    retryLater();
                    LOG.warn("Audit sink still fails ({} record(s) wait); next attempt in {} s", kept.size(), nextRetry.toSeconds());
                    return;
                }
                drop(done);   // newer records are only added behind
                nextRetry = FIRST_RETRY;
                LOG.info("Audit sink took {} record(s) it had failed to take ({} still wait)", done, kept.size());
                if (kept.isEmpty()) {
                    retrying = false;
                    return;
                }
                scheduleRetry(Duration.ZERO);
            }
        }
    }

    /** The oldest kept records, at most {@link #RETRY_BATCH} (called holding this). */
    private List<AuditRecord> head() {
        List<AuditRecord> batch = new ArrayList<>(Math.min(kept.size(), RETRY_BATCH));
        for (AuditRecord r : kept) {
            if (batch.size() == RETRY_BATCH) {
                break;
            }
            batch.add(r);
        }
        return batch;
    }

    /** Drops the first {@code n} kept records, or as many as are left, in the spool too (called holding this). */
    private void drop(int n) {
        for (int i = Math.min(n, kept.size()); i > 0; i--) {
            kept.removeFirst();
        }
        waitingChanged();
        if (spool != null) {
            spool.written(n, kept.size());
        }
    }

    /** One last attempt to write what is kept; logs by action what still is not, and closes the spool. */
    void close() {
        synchronized (writing) {   // after a retry under way, never beside it (both would write the same records)
            closed = true;
            try {
                flushKept();
            } finally {
                if (spool != null) {
                    spool.close();
                }
            }
        }
    }

    private void flushKept() {
        while (true) {
            List<AuditRecord> batch;
            synchronized (this) {
                batch = head();
            }
            if (batch.isEmpty()) {
                return;
            }
            int done = KeptAuditWrites.write(sink, batch).done();
            synchronized (this) {
                if (done == 0) {
                    Map<AuditRecord.Action, Long> byAction = new EnumMap<>(AuditRecord.Action.class);
                    kept.forEach(r -> byAction.merge(r.action(), 1L, Long::sum));
                    if (spool != null && spool.inStep()) {
                        LOG.warn("Closing with {} audit record(s) the sink has not taken, left in the audit spool {} for the "
                                + "next start: {}", kept.size(), spool.file(), byAction);
                    } else {
                        LOG.error("Closing with {} audit record(s) the sink never took, lost: {}", kept.size(), byAction);
                    }
                    kept.clear();
                    waitingChanged();
                    return;
                }
                drop(done);
            }
        }
    }
}
