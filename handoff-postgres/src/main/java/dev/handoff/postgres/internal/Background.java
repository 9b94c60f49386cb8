package dev.handoff.postgres.internal;

import dev.handoff.core.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the shared stores do their blocking work: a small pool of daemon threads ({@code handoff-pg-N}) for JDBC
 * calls, timers on the Handoff's one {@link Scheduler} (given when the Handoff is built, {@link #attach}), and the
 * {@link Notifications} listener. Timer tasks only hand work to the pool; nothing blocks the scheduler.
 */
public final class Background implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Background.class);
    /** Failures in a row of one periodic task between two of its WARN lines. */
    public static final int WARN_EVERY = 60;

    private final ExecutorService db;
    private final Notifications notifications;
    private volatile Scheduler scheduler;
    private volatile boolean closed;

    public Background(Jdbc jdbc, String instanceId, int threads, boolean listen) {
        AtomicInteger n = new AtomicInteger();
        this.db = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "handoff-pg-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) db).allowCoreThreadTimeOut(true);
        this.notifications = new Notifications(jdbc, db, "handoff-listen-" + instanceId, listen);
    }

    /**
     * Called with the Handoff's scheduler (by each piece the Handoff attaches; the same scheduler every time); until
     * then nothing is timed.
     */
    public synchronized void attach(Scheduler s) {
        Objects.requireNonNull(s, "scheduler");
        if (scheduler != null && scheduler != s) {
            throw new IllegalStateException("these PostgreSQL stores already serve another Handoff; build one PostgresHandoffStores per Handoff");
        }
        scheduler = s;
    }

    public boolean attached() {
        return scheduler != null;
    }

    /** The Handoff's scheduler. */
    public Scheduler scheduler() {
        Scheduler s = scheduler;
        if (s == null) {
            throw new IllegalStateException("the PostgreSQL stores are not attached to a Handoff yet: pass them with "
                    + "stores.applyTo(Handoff.builder()) and build the Handoff first");
        }
        return s;
    }

    public Notifications notifications() {
        return notifications;
    }

    /** Runs {@code task} on a database thread; a failure is logged, never thrown at the caller. */
    public void run(String what, Runnable task) {
        if (closed) {
            return;
        }
        try {
            db.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("{} failed: {}", what, Texts.clean(e.getMessage(), 300));
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} skipped: shut down", what);
        }
    }

    /** Schedules {@code task} on a database thread after {@code delay}. */
    public Scheduler.Cancellable later(Duration delay, String what, Runnable task) {
        try {
            return scheduler().schedule(delay, () -> run(what, task));
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    /**
     * Runs {@code task} on a database thread every {@code period} until closed (the next run is timed after this one
     * ends). While the database is unreachable the same task fails on every run: the first failure is logged at WARN,
     * then one WARN every {@value #WARN_EVERY} failures in a row (the others at DEBUG), and one INFO when it works again.
     */
    public void every(Duration period, String what, Runnable task) {
        every(period, what, task, new AtomicInteger());
    }

    private void every(Duration period, String what, Runnable task, AtomicInteger failures) {
        if (closed) {
            return;
        }
        later(period, what, () -> {
            try {
                task.run();
                int failed = failures.getAndSet(0);
                if (failed > 0) {
                    LOG.info("{} works again after {} failed run(s)", what, failed);
                }
            } catch (RuntimeException e) {
                int failed = failures.incrementAndGet();
                String message = Texts.clean(e.getMessage(), 300);
                if (failed == 1 || failed % WARN_EVERY == 0) {
                    LOG.warn("{} failed{}: {}", what, failed == 1 ? "" : " " + failed + " times in a row", message);
                } else {
                    LOG.debug("{} failed {} times in a row: {}", what, failed, message);
                }
            } finally {
                every(period, what, task, failures);
            }
        });
    }

    /**
     * Runs {@code task} on the scheduler's own thread every {@code period} until closed, so that its cadence does not
     * depend on how much database work is queued. The task must be short and must not block (hand real work to
     * {@link #run}); a failure is logged and the next run still happens.
     */
    public void tick(Duration period, String what, Runnable task) {
        if (closed) {
            return;
        }
        try {
            scheduler().schedule(period, () -> {
                try {
                    if (!closed) {
                        task.run();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{} failed: {}", what, Texts.clean(e.getMessage(), 300));
                } finally {
                    tick(period, what, task);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} stopped: the scheduler is shut down", what);
        }
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        notifications.close();
        db.shutdown();
        try {
            db.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
