package dev.handoff.core.context;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the verification deadline's timer. The default ({@link #daemon()}) uses one daemon
 * thread; tests pass a scheduler driven by their own clock so no test sleeps.
 */
@FunctionalInterface
public interface DeadlineScheduler {

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Scheduled {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }

    /**
     * Schedules {@code task} to run once after {@code delay} (at once when zero or negative), on the scheduler's
     * thread. The task must not block.
     */
    Scheduled schedule(Duration delay, Runnable task);

    /** A scheduler on one daemon thread ({@code handoff-deadlines}); {@link AutoCloseable} to stop it. */
    static Daemon daemon() {
        return new Daemon();
    }

    /** The default scheduler: one daemon thread. */
    final class Daemon implements DeadlineScheduler, AutoCloseable {
        private final ScheduledExecutorService executor;

        private Daemon() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "handoff-deadlines");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            this.executor = e;
        }

        @Override
        public Scheduled schedule(Duration delay, Runnable task) {
            var f = executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
