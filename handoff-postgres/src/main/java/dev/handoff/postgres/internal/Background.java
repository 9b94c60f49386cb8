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

    private final ExecutorService db;
    private final Notifications notifications;
    private volatile Scheduler scheduler;
    private volatile boolean closed;

    public Background(javax.sql.DataSource dataSource, String instanceId, int threads, boolean listen) {
        AtomicInteger n = new AtomicInteger();
        this.db = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "handoff-pg-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ((ThreadPoolExecutor) db).allowCoreThreadTimeOut(true);
        this.notifications = new Notifications(dataSource, db, "handoff-listen-" + instanceId, listen);
    }

    /** Called once with the Handoff's scheduler; until then nothing is timed. */
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

    /** Runs {@code task} on a database thread every {@code period} until closed (the next run is timed after this one ends). */
    public void every(Duration period, String what, Runnable task) {
        if (closed) {
            return;
        }
        later(period, what, () -> {
            try {
                task.run();
            } finally {
                every(period, what, task);
            }
        });
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
