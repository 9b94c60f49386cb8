package dev.handoff.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the {@code NOTIFY}s that announce writes which have already committed, from a thread of its own
 * ({@code handoff-pg-notify}), in batches: one short transaction per batch that writes nothing else and does not wait
 * for its WAL flush ({@code synchronous_commit} off for that transaction alone).
 *
 * <p>Why not from the write's own transaction: PostgreSQL serializes the commits of every transaction that holds a
 * {@code NOTIFY} behind one database-wide lock, held until the commit's WAL flush is over, so writes that announce
 * themselves cannot share a flush with each other and queue one disk flush after another; every other commit (a
 * context's, for one) then waits behind them for the WAL. Sent here, the write commits like any other and the lock is
 * held for one batch's in-memory commit.
 *
 * <p>A notification is a hint that something can be done sooner (every consumer also polls): one that cannot be sent
 * (the database is unreachable, more than {@value #MAX_PENDING} waiting) is dropped and counted, never retried and
 * never thrown at the writer. Notifications are sent in the order published; PostgreSQL delivers identical ones of
 * one batch once. Thread-safe.
 */
final class NotifySender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifySender.class);
    /** The most notifications sent in one transaction. */
    static final int MAX_BATCH = 256;
    /** The most notifications waiting to be sent; more are dropped (consumers poll). */
    static final int MAX_PENDING = 10_000;
    /** How long {@link #close} waits for what is queued to be sent. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    static final String SQL = "SELECT set_config('synchronous_commit', 'off', true), (SELECT count(pg_notify(n.channel, n.payload))"
            + " FROM (SELECT channel, payload FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u (channel, payload, i) ORDER BY i) n)";

    private final Jdbc jdbc;
    private final Object lock = new Object();
    private final ArrayDeque<String[]> pending = new ArrayDeque<>();
    private Thread thread;
    private boolean closed;
    private long dropped;
    private long sent;

    NotifySender(Jdbc jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /** Queues one notification; the thread starts with the first. Never blocks on the database, never throws. */
    void publish(String channel, String payload) {
        synchronized (lock) {
            if (closed) {
                LOG.debug("Notification on {} not sent: closed", channel);
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                if (dropped++ % MAX_PENDING == 0) {
                    LOG.warn("{} notifications wait to be sent; dropping new ones ({} so far), consumers find the work by polling",
                            pending.size(), dropped);
                }
                return;
            }
            pending.add(new String[] {channel, payload});
            if (thread == null) {
                thread = new Thread(this::run, "handoff-pg-notify");
                thread.setDaemon(true);
                thread.start();
            } else if (pending.size() == 1) {
                lock.notifyAll();
            }
        }
    }

    /** Notifications sent so far (for tests). */
    long sent() {
        synchronized (lock) {
            return sent;
        }
    }

    /** Notifications dropped so far: not sent because the database could not be reached, or too many waited. */
    long dropped() {
        synchronized (lock) {
            return dropped;
        }
    }

    private void run() {
        long backoff = 0;
        int failures = 0;
        while (true) {
            List<String[]> batch;
            synchronized (lock) {
                while (pending.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return;   // closed, and everything sent
                }
                batch = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
                while (!pending.isEmpty() && batch.size() < MAX_BATCH) {
                    batch.add(pending.poll());
                }
            }
            try {
                send(batch);
                synchronized (lock) {
                    sent += batch.size();
                }
                if (failures > 0) {
                    LOG.info("Notifications are sent again after {} failed batch(es)", failures);
                }
                failures = 0;
                backoff = 0;
            } catch (SQLException | RuntimeException e) {
                synchronized (lock) {
                    dropped += batch.size();
                    if (closed) {
                        return;
                    }
                }
                if (failures++ == 0) {
                    LOG.warn("Could not send {} notification(s) ({}: SQLState {}); dropped, consumers find the work by polling",
                            batch.size(), e.getClass().getSimpleName(), e instanceof SQLException s ? s.getSQLState() : "-");
                } else {
                    LOG.debug("Could not send {} notification(s): {}", batch.size(), Texts.clean(e.getMessage(), 200));
                }
                backoff = Math.min(Notifications.MAX_BACKOFF.toMillis(), Math.max(100, backoff * 2));
                Notifications.pause(lock, backoff, () -> closed);
            }
        }
    }

    private void send(List<String[]> batch) throws SQLException {
        String[] channels = new String[batch.size()];
        String[] payloads = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            channels[i] = batch.get(i)[0];
            payloads[i] = batch.get(i)[1];
        }
        try (Connection c = jdbc.open()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            try (PreparedStatement p = c.prepareStatement(SQL)) {
                p.setArray(1, c.createArrayOf("text", channels));
                p.setArray(2, c.createArrayOf("text", payloads));
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /** Sends what is queued (waiting up to {@link #CLOSE_WAIT}), then stops; later notifications are dropped. */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            t = thread;
        }
        Notifications.join(t, CLOSE_WAIT.toMillis());
    }
}
