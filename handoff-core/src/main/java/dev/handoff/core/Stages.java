package dev.handoff.core;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/** Small helpers to compose stages with timeouts on Handoff's one scheduler, without parking a thread. */
final class Stages {

    private Stages() {
    }

    /**
     * Runs a blocking call on {@code io}. Cancelling the returned stage interrupts the call. A full {@code io}
     * executor fails the stage at once with {@link RejectedExecutionException}.
     */
    static <T> CompletableFuture<T> blocking(ExecutorService io, Callable<T> call) {
        CompletableFuture<T> stage = new CompletableFuture<>();
        Future<?> running;
        try {
            running = io.submit(() -> {
                try {
                    stage.complete(call.call());
                } catch (Throwable t) {
                    stage.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            stage.completeExceptionally(e);
            return stage;
        }
        stage.whenComplete((v, e) -> {
            if (stage.isCancelled()) {
                running.cancel(true);
            }
        });
        return stage;
    }

    /**
     * A stage that completes like {@code stage}, or with {@code onTimeout}'s value when {@code timeout} passes first;
     * then {@code stage} is cancelled (an interrupt for {@link #blocking} calls, the SPI's own withdrawal for a
     * transfer). {@code onTimeout} runs on the scheduler's thread and must be cheap.
     */
    static <T> CompletableFuture<T> within(CompletableFuture<T> stage, Duration timeout, Scheduler scheduler, Supplier<T> onTimeout) {
        if (stage.isDone()) {
            return stage;
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        Scheduler.Cancellable timer;
        try {
            timer = scheduler.schedule(timeout, () -> {
                if (out.complete(onTimeout.get())) {
                    stage.cancel(true);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(e);
            stage.cancel(true);
            return out;
        }
        stage.whenComplete((v, e) -> {
            timer.cancel();
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        });
        return out;
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The innermost cause's class and message, for logs and failure details. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
