package dev.handoff.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every thread a {@link Handoff} uses, in one place. No thread waits for an agent, a transfer, a whisper lead or a
 * CRM: a handoff is a chain of asynchronous stages, so the number of threads does not grow with the number of
 * handoffs in flight.
 *
 * <ul>
 *   <li>{@link #workers()} run the short steps of every handoff (packaging, signing, routing, events) and the
 *   continuations of every stage. Default: {@link #DEFAULT_WORKER_THREADS} threads named {@code handoff-worker-N}.</li>
 *   <li>{@link #io()} runs the SPI calls that may block on the network (an LLM summarizer, a CRM lookup or push).
 *   A call that outlives its timeout is cancelled with an interrupt. Default: up to {@link #DEFAULT_IO_THREADS}
 *   threads ({@code handoff-io-N}, created on demand, ended after a minute idle) and a queue of
 *   {@link #DEFAULT_IO_QUEUE} calls; past that a call is refused at once and the orchestrator takes its fallback
 *   (the deterministic summary, no CRM profile).</li>
 *   <li>{@link #scheduler()} runs every timer: one thread, {@code handoff-timer}.</li>
 * </ul>
 *
 * <p>Each can be replaced. On Java 21 pass {@code Executors.newVirtualThreadPerTaskExecutor()} as {@link Builder#io}
 * to give blocking SPI calls a virtual thread each. Executors you pass are yours: {@link Handoff#close()} shuts down
 * only the ones it created. One instance may be shared by several {@link Handoff}s (then close it yourself).
 */
public final class HandoffExecutors implements AutoCloseable {

    /** Worker threads: the number of processors, at least 2. */
    public static final int DEFAULT_WORKER_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** The most threads that run blocking SPI calls at once. */
    public static final int DEFAULT_IO_THREADS = 16;
    /** Blocking SPI calls that may wait for an io thread before new ones are refused. */
    public static final int DEFAULT_IO_QUEUE = 1024;

    private final Executor workers;
    private final ExecutorService io;
    private final Scheduler scheduler;
    private final List<ExecutorService> owned;

    private HandoffExecutors(Executor workers, ExecutorService io, Scheduler scheduler, List<ExecutorService> owned) {
        this.workers = workers;
        this.io = io;
        this.scheduler = scheduler;
        this.owned = List.copyOf(owned);
    }

    /**
     * The defaults described above.
     *
     * @return new executors with every default; {@link #close()} shuts their threads down
     */
    public static HandoffExecutors ofDefaults() {
        return builder().build();
    }

    /**
     * A builder; anything not set gets the default described on the class.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the short steps of each handoff and every stage continuation.
     *
     * @return the worker executor
     */
    public Executor workers() {
        return workers;
    }

    /**
     * Runs SPI calls that may block.
     *
     * @return the executor for blocking SPI calls
     */
    public ExecutorService io() {
        return io;
    }

    /**
     * Runs every timer.
     *
     * @return the scheduler
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Shuts down the executors this instance created (not the ones passed to its builder). Idempotent. */
    @Override
    public void close() {
        for (ExecutorService e : owned) {
            e.shutdownNow();
        }
        for (ExecutorService e : owned) {
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Configures {@link HandoffExecutors}; anything not set gets the default described on the class. */
    public static final class Builder {
        private Executor workers;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private ExecutorService io;
        private int ioThreads = DEFAULT_IO_THREADS;
        private int ioQueue = DEFAULT_IO_QUEUE;
        private Scheduler scheduler;

        private Builder() {
        }

        /**
         * Runs handoff steps on your executor; it must not run tasks on the submitting thread. Yours to shut down.
         *
         * @param workers the executor
         * @return this builder
         */
        public Builder workers(Executor workers) {
            this.workers = Objects.requireNonNull(workers, "workers");
            return this;
        }

        /**
         * Threads of the worker pool this builder creates. Default {@link #DEFAULT_WORKER_THREADS}; ignored when
         * {@link #workers(Executor)} is set.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is less than 1
         */
        public Builder workerThreads(int n) {
            this.workerThreads = atLeastOne("workerThreads", n);
            return this;
        }

        /**
         * Runs blocking SPI calls on your executor (virtual threads on Java 21, say). Yours to shut down.
         *
         * @param io the executor
         * @return this builder
         */
        public Builder io(ExecutorService io) {
            this.io = Objects.requireNonNull(io, "io");
            return this;
        }

        /**
         * Most threads of the io pool this builder creates. Default {@link #DEFAULT_IO_THREADS}; ignored when
         * {@link #io(ExecutorService)} is set.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is less than 1
         */
        public Builder ioThreads(int n) {
            this.ioThreads = atLeastOne("ioThreads", n);
            return this;
        }

        /**
         * Blocking calls that may wait for an io thread before new ones are refused. Default
         * {@link #DEFAULT_IO_QUEUE}; ignored when {@link #io(ExecutorService)} is set.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is less than 1
         */
        public Builder ioQueue(int n) {
            this.ioQueue = atLeastOne("ioQueue", n);
            return this;
        }

        /**
         * Runs timers on your scheduler (a test clock's, say).
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Creates the pools not given: their threads are daemon threads, and the worker threads start at once.
         *
         * @return the executors; {@link HandoffExecutors#close()} shuts down only the pools created here
         */
        public HandoffExecutors build() {
            List<ExecutorService> owned = new ArrayList<>();
            Executor w = workers;
            if (w == null) {
                ThreadPoolExecutor pool = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>(), daemon("handoff-worker-"));
                pool.prestartAllCoreThreads();   // the first customer does not wait for a thread to be created
                owned.add(pool);
                w = pool;
            }
            ExecutorService i = io;
            if (i == null) {
                ThreadPoolExecutor pool = new ThreadPoolExecutor(ioThreads, ioThreads, 60, TimeUnit.SECONDS,
                        new ArrayBlockingQueue<>(ioQueue), daemon("handoff-io-"), new ThreadPoolExecutor.AbortPolicy());
                pool.allowCoreThreadTimeOut(true);
                owned.add(pool);
                i = pool;
            }
            Scheduler s = scheduler;
            if (s == null) {
                ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("handoff-timer"));
                timer.setRemoveOnCancelPolicy(true);
                timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                owned.add(timer);
                s = Scheduler.of(timer);
            }
            return new HandoffExecutors(w, i, s, owned);
        }

        private static int atLeastOne(String name, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + n);
            }
            return n;
        }

        private static ThreadFactory daemon(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
                t.setDaemon(true);
                return t;
            };
        }
    }
}
