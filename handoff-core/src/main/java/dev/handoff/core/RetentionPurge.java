package dev.handoff.core;

import dev.handoff.api.spi.DataRetention;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link DataRetention}'s {@link DataRetention#purgeExpired() purge} every
 * {@link HandoffSettings#retentionPurgeInterval()} on an io thread, the next run timed after the last one ends, until
 * closed. A store that stays unavailable fails every run: the first failure of a series is logged at WARN, then one
 * in {@value #WARN_EVERY} (the rest at DEBUG), and one INFO when a run works again. Messages carry the exception's
 * class only: a store's message may name a file or a row, never worth a PHI risk in a log.
 */
final class RetentionPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    static final int WARN_EVERY = 10;

    private final DataRetention retention;
    private final Duration every;
    private final HandoffExecutors x;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Scheduler.Cancellable next;
    private volatile boolean closed;

    private RetentionPurge(DataRetention retention, Duration every, HandoffExecutors x) {
        this.retention = retention;
        this.every = every;
        this.x = x;
    }

    /**
     * Starts purging {@code retention} every {@code every}; the first run one interval from now.
     *
     * @return the running purge, or {@code null} when there is no retention or the interval is zero
     */
    static RetentionPurge start(DataRetention retention, Duration every, HandoffExecutors x) {
        if (retention == null || every.isZero()) {
            return null;
        }
        RetentionPurge p = new RetentionPurge(retention, every, x);
        p.schedule();
        return p;
    }

    private void schedule() {
        if (closed) {
            return;
        }
        try {
            next = x.scheduler().schedule(every, () -> {
                try {
                    x.io().execute(this::runOnce);
                } catch (RejectedExecutionException e) {
                    // io full or shut down: try again next interval rather than purge on the scheduler's thread
                    LOG.debug("Retention purge skipped: io executor refused it");
                    schedule();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Scheduler shut down; retention purge stops");
        }
    }

    private void runOnce() {
        try {
            if (closed) {
                return;
            }
            retention.purgeExpired();
            int failed = failures.getAndSet(0);
            if (failed > 0) {
                LOG.info("Retention purge works again after {} failed run(s)", failed);
            }
        } catch (RuntimeException e) {
            int failed = failures.incrementAndGet();
            if (failed == 1 || failed % WARN_EVERY == 0) {
                LOG.warn("Retention purge by {} failed{}: {}; the next run is in {}", retention.getClass().getSimpleName(),
                        failed == 1 ? "" : " " + failed + " times in a row", e.getClass().getName(), every);
            } else {
                LOG.debug("Retention purge failed {} times in a row: {}", failed, e.getClass().getName());
            }
        } finally {
            schedule();
        }
    }

    void close() {
        closed = true;
        Scheduler.Cancellable n = next;
        if (n != null) {
            n.cancel();
        }
    }
}
