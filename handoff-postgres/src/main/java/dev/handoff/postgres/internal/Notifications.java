package dev.handoff.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance notification through PostgreSQL's {@code LISTEN/NOTIFY}: one connection held by one daemon thread
 * ({@code handoff-pg-listen}) listens on every channel and hands each payload to the subscribers on the given
 * executor. A notification only makes something happen sooner: they are delivered only on commit and lost while the
 * connection is down, so every consumer also polls on a timer, and {@linkplain #onReconnect re-polls} as soon as the
 * listener is connected again (after a database restart, a failover or {@code pg_terminate_backend}).
 *
 * <p>Writers {@linkplain #publish publish} a notification once the write it announces has committed; a thread of
 * their own sends them in batches ({@link NotifySender}, which says why not from the write's transaction). Payloads
 * are ids (tenant, queue, offer), far below PostgreSQL's 8,000-byte limit. Thread-safe.
 */
public final class Notifications implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    /** How long one wait for notifications lasts before the thread checks whether it should stop. */
    static final int WAIT_MILLIS = 500;
    /**
     * How often the listener asks its connection a question ({@code SELECT 1}): waiting for notifications sends
     * nothing, so without it a connection whose server stopped answering, or that a network cut left open on this
     * side only, would wait for ever and the instance would silently fall back to polling.
     */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);
    /** The longest pause between two attempts to reconnect the listener, or to send a batch. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_]{1,63}");

    private final Jdbc jdbc;
    private final Executor dispatch;
    private final String applicationName;
    private final Map<String, List<Consumer<String>>> subscribers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    private final NotifySender sender;
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean connected;
    private Thread thread;
    private final boolean listen;

    /**
     * @param applicationName shown as the listening connection's {@code application_name} (an operator, or a test,
     *                        can find it in {@code pg_stat_activity})
     */
    public Notifications(DataSource dataSource, Executor dispatch, String applicationName) {
        this(dataSource, dispatch, applicationName, true);
    }

    /**
     * @param applicationName the listening connection's {@code application_name}
     * @param listen false to hold no LISTEN connection at all (a pooler in transaction mode, such as PgBouncer, cannot
     *               keep one): {@link #start} then does nothing and every consumer relies on its polling timer
     */
    public Notifications(DataSource dataSource, Executor dispatch, String applicationName, boolean listen) {
        this(new Jdbc(dataSource), dispatch, applicationName, listen);
    }

    /**
     * @param jdbc the stores' connections: with an answer timeout, a listening connection whose server stopped
     *             answering (or that a network cut left open on this side only) is found by the next probe and replaced
     */
    public Notifications(Jdbc jdbc, Executor dispatch, String applicationName, boolean listen) {
        this.listen = listen;
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
        this.sender = new NotifySender(jdbc);
    }

    /** Calls {@code onPayload} for each notification on {@code channel}; subscribe before {@link #start}. */
    public void subscribe(String channel, Consumer<String> onPayload) {
        subscribers.computeIfAbsent(requireChannel(channel), k -> new CopyOnWriteArrayList<>()).add(onPayload);
    }

    /** Runs after every (re)connection of the listener, when notifications may have been lost. */
    public void onReconnect(Runnable task) {
        reconnected.add(Objects.requireNonNull(task, "task"));
    }

    /** Starts the listening thread (unless built not to listen). */
    public void start() {
        if (!listen) {
            LOG.info("LISTEN/NOTIFY is off: this instance finds other instances' work by polling alone");
            return;
        }
        synchronized (lock) {
            if (thread != null) {
                return;
            }
            thread = new Thread(this::run, "handoff-pg-listen");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Whether the listener holds a live connection now. */
    public boolean connected() {
        return connected;
    }

    /**
     * Announces a write that has committed: sent to every listening instance shortly after, on a thread of its own;
     * never blocks on the database and never throws (a notification that cannot be sent is dropped: consumers poll).
     * Call it after the commit, never inside the transaction: a listener acts on it at once.
     */
    public void publish(String channel, String payload) {
        sender.publish(requireChannel(channel), Objects.requireNonNull(payload, "payload"));
    }

    /**
     * Hands a notification to this instance's own subscribers only, on the dispatch executor as if it had arrived
     * from the database, and sends nothing: for news of a committed write that no other instance acts on (an offer's
     * claim or accept, when the handoff waiting on it is this instance's own). It saves the round trip through
     * PostgreSQL (a transaction of the sender, a wake-up of the listener) and works without a listening connection.
     */
    public void deliverHere(String channel, String payload) {
        Objects.requireNonNull(payload, "payload");
        for (Consumer<String> s : subscribers.getOrDefault(requireChannel(channel), List.of())) {
            hand(() -> s.accept(payload));
        }
    }

    /** Notifications this instance has sent so far (for tests). */
    public long published() {
        return sender.sent();
    }

    /** Notifications this instance could not send (the database unreachable, or too many waiting), so far. */
    public long dropped() {
        return sender.dropped();
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = jdbc.open()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("SET application_name = '" + applicationName.replace("'", "") + "'");
                    for (String channel : subscribers.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                connected = true;
                backoff = 100;
                for (Runnable r : reconnected) {
                    hand(r);
                }
                long probed = System.nanoTime();
                while (!closed) {
                    if (System.nanoTime() - probed >= PROBE_INTERVAL.toNanos()) {
                        probe(c);   // fails after the answer timeout when nothing comes back: reconnect below
                        probed = System.nanoTime();
                    }
                    PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                    if (received == null) {
                        continue;
                    }
                    for (PGNotification n : received) {
                        List<Consumer<String>> subs = subscribers.getOrDefault(n.getName(), List.of());
                        String payload = n.getParameter();
                        for (Consumer<String> s : subs) {
                            hand(() -> s.accept(payload));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connected = false;
                if (closed) {
                    return;
                }
                LOG.warn("LISTEN connection lost ({}: SQLState {}); polling carries on, reconnecting in {} ms", e.getClass().getSimpleName(),
                        e instanceof SQLException s ? s.getSQLState() : "-", backoff);
                pause(lock, backoff, () -> closed);
                backoff = Math.min(MAX_BACKOFF.toMillis(), backoff * 2);
            }
        }
        connected = false;
    }

    private static void probe(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    private void hand(Runnable task) {
        try {
            dispatch.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Notification subscriber failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Notification dropped: the executor is shut down");
        }
    }

    /**
     * Waits {@code millis} on {@code lock}, or less when {@code closed} turns true (whoever closes notifies the lock);
     * the retry pause of the listener and of the sender.
     */
    static void pause(Object lock, long millis, BooleanSupplier closed) {
        synchronized (lock) {
            long until = System.nanoTime() + millis * 1_000_000;
            while (!closed.getAsBoolean()) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String requireChannel(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel must be 1-63 lower-case letters or '_', was " + Texts.clean(channel, 80));
        }
        return channel;
    }

    /** Stops listening, and sends what is published but not yet sent (waiting up to two seconds for it). */
    @Override
    public void close() {
        sender.close();
        Thread t;
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            t = thread;
        }
        join(t, WAIT_MILLIS * 4L);
    }

    /** Waits up to {@code millis} for {@code t} (if started) to end; the close of the listener and of the sender. */
    static void join(Thread t, long millis) {
        if (t != null) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
