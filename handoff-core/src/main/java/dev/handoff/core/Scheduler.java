package dev.handoff.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay. One scheduler serves every timer of a {@link Handoff}: phase timeouts, the
 * customer's wait limit, bridge messages, chat-queue offer expiry, commitment deadlines and idle-session expiry.
 *
 * <p>Tasks given to a scheduler are short and never block: the ones Handoff schedules hand any real work to its
 * worker executor. Tests pass a scheduler driven by their own clock so no test sleeps.
 */
@FunctionalInterface
public interface Scheduler {

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the task if it has not run; idempotent. */
        void cancel();
    }

    /**
     * Schedules {@code task} to run once after {@code delay} (as soon as possible when zero or negative).
     *
     * @param delay how long from now
     * @param task  what to run; short, never blocking
     * @return a handle that cancels the task if it has not run
     * @throws java.util.concurrent.RejectedExecutionException when the scheduler has been shut down
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * A scheduler over a {@link ScheduledExecutorService}; cancelling does not interrupt a running task.
     *
     * @param executor the executor; its owner shuts it down
     * @return the scheduler
     */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (delay, task) -> {
            ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
    }
}
