package dev.handoff.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's background chores (the idle-session sweep, the retention purge): a task run every {@code every} on
 * {@code executor}, timed by the {@link Scheduler}, the next run one interval after the last ends, until closed. The
 * scheduler's thread only hands the task over. A task that fails every run (a store that stays unavailable) is logged
 * at WARN on the first failure of a series, then one in {@value #WARN_EVERY} (the rest at DEBUG), and at INFO when a
 * run works again. Messages carry the exception's class only: a store's message may name a file or a row, never worth
 * a PHI risk in a log. An executor that refuses the task (full) skips this run, not the next.
 */
final class Periodic {

    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);
    static final int WARN_EVERY = 10;

    private final String what;
    private final Duration every;
    private final Scheduler scheduler;
    private final Executor executor;
    private final Runnable task;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Scheduler.Cancellable next;
    private volatile boolean closed;

    private Periodic(String what, Duration every, Scheduler scheduler, Executor executor, Runnable task) {
        this.what = what;
        this.every = every;
        this.scheduler = scheduler;
        this.executor = executor;
        this.task = task;
    }

    /**
     * Starts running {@code task} every {@code every}, the first run one interval from now.
     *
     * @param what names the chore in log lines ("Idle-session sweep")
     * @return the running chore, to {@link #close}
     */
    static Periodic start(String what, Duration every, Scheduler scheduler, Executor executor, Runnable task) {
        Periodic p = new Periodic(what, every, scheduler, executor, task);
        p.schedule();
        return p;
    }

    private void schedule() {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(every, () -> {
                try {
                    executor.execute(this::runOnce);
                } catch (RejectedExecutionException e) {
                    LOG.debug("{} skipped: its executor refused the run", what);
                    schedule();
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Scheduler shut down; {} stops", what);
        }
    }

    private void runOnce() {
        try {
            if (closed) {
                return;
            }
            task.run();
            int failed = failures.getAndSet(0);
            if (failed > 0) {
                LOG.info("{} works again after {} failed run(s)", what, failed);
            }
        } catch (RuntimeException e) {
            int failed = failures.incrementAndGet();
            if (failed == 1 || failed % WARN_EVERY == 0) {
                LOG.warn("{} failed{}: {}; the next run is in {}", what, failed == 1 ? "" : " " + failed + " times in a row",
                        e.getClass().getName(), every);
            } else {
                LOG.debug("{} failed {} times in a row: {}", what, failed, e.getClass().getName());
            }
        } finally {
            schedule();
        }
    }

    /** Stops the chore; a run already handed to the executor returns without running the task. */
    void close() {
        closed = true;
        Scheduler.Cancellable n = next;
        if (n != null) {
            n.cancel();
        }
    }
}
