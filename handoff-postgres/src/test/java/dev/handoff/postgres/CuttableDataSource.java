package dev.handoff.postgres;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real pool behind the faults a network between an instance and its database has; the statements still run on
 * the real server.
 *
 * <ul>
 *   <li>{@link #cut}: a partition. Every new connection fails the way the PostgreSQL driver fails when the host is
 *   unreachable (SQLState 08001); connections handed out before the cut (the LISTEN connection) stay as they are.</li>
 *   <li>{@link #stallDatabaseThreads}: the stores' database threads ({@code handoff-pg-<n>}) wait for new connections,
 *   as when a burst of work holds them all.</li>
 *   <li>a round-trip delay ({@link #CuttableDataSource(DataSource, long)}): every statement execution, JDBC batch,
 *   commit or rollback first waits, as with the database on another host.</li>
 *   <li>{@link #loseNextCommitOf}, {@link #loseNextCommitWithArrayHolding}: one commit is lost the way a dropped
 *   connection loses it (rolled back, SQLState 08006); for a statement in auto-commit, its own commit (the statement
 *   is not run, and fails so).</li>
 * </ul>
 */
final class CuttableDataSource implements DataSource {

    private static final Set<String> ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch", "commit", "rollback");

    private final DataSource pool;
    private final long roundTripMicros;
    private volatile boolean cut;
    /** A statement text: the next commit of a transaction that executed a statement containing it is lost. */
    private final AtomicReference<LostCommit> loseCommitOf = new AtomicReference<>();

    /** Which transaction loses its commit: one that ran a statement with this text, or after building this array element. */
    private record LostCommit(String sqlFragment, String arrayElement) {
    }

    CuttableDataSource(DataSource pool) {
        this(pool, 0);
    }

    /** {@code pool} with {@code roundTripMicros} added to every round trip to the server. */
    CuttableDataSource(DataSource pool, long roundTripMicros) {
        this.pool = pool;
        this.roundTripMicros = roundTripMicros;
    }

    /**
     * The next commit of a transaction that executed a statement containing {@code sqlFragment} fails, once (in
     * auto-commit, the next such statement).
     */
    void loseNextCommitOf(String sqlFragment) {
        loseCommitOf.set(new LostCommit(sqlFragment, null));
    }

    /**
     * The next commit of a transaction that executed a statement after building an array holding {@code element}
     * (a parameter of a statement that writes many rows at once, such as the ownership writer's burst) fails, once (in
     * auto-commit, the next such statement).
     */
    void loseNextCommitWithArrayHolding(String element) {
        loseCommitOf.set(new LostCommit(null, element));
    }

    /** True until the commit armed by {@link #loseNextCommitOf} was lost. */
    boolean armed() {
        return loseCommitOf.get() != null;
    }

    void cut(boolean cut) {
        this.cut = cut;
    }

    private final Object stallLock = new Object();
    private boolean stalled;

    /** While true, new connections asked for on the stores' database threads ({@code handoff-pg-<n>}) wait. */
    void stallDatabaseThreads(boolean stall) {
        synchronized (stallLock) {
            stalled = stall;
            stallLock.notifyAll();
        }
    }

    private void awaitUnstalled() throws SQLException {
        if (!Thread.currentThread().getName().matches("handoff-pg-\\d+")) {
            return;
        }
        synchronized (stallLock) {
            while (stalled) {
                try {
                    stallLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLNonTransientConnectionException("interrupted while stalled (test)", "08001");
                }
            }
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        awaitUnstalled();
        if (cut) {
            throw new SQLNonTransientConnectionException("Connection to 127.0.0.1 refused (test partition)", "08001");
        }
        return connection(pool.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        awaitUnstalled();
        if (cut) {
            throw new SQLNonTransientConnectionException("Connection to 127.0.0.1 refused (test partition)", "08001");
        }
        return connection(pool.getConnection(user, password));
    }

    private Connection connection(Connection target) {
        boolean[] executed = new boolean[1];
        boolean[] arrayHolds = new boolean[1];
        InvocationHandler h = (proxy, m, args) -> {
            delay(m);
            if (m.getName().equals("createArrayOf") && args[1] instanceof Object[] elements) {
                LostCommit lose = loseCommitOf.get();
                arrayHolds[0] |= lose != null && lose.arrayElement() != null && Arrays.asList(elements).contains(lose.arrayElement());
            }
            if (m.getName().equals("commit") && executed[0]) {
                executed[0] = false;
                arrayHolds[0] = false;
                if (loseCommitOf.getAndSet(null) != null) {
                    target.rollback();
                    throw new SQLNonTransientConnectionException("connection lost at commit (test)", "08006");
                }
            }
            if (m.getName().equals("rollback") || m.getName().equals("close")) {
                executed[0] = false;
                arrayHolds[0] = false;
            }
            Object r = invoke(target, m, args);
            String sql = m.getName().equals("prepareStatement") && args != null && args[0] instanceof String text ? text : "";
            BeforeExecute ran = () -> {
                LostCommit lose = loseCommitOf.get();
                executed[0] |= lose != null && (lose.arrayElement() != null ? arrayHolds[0] : sql.contains(lose.sqlFragment()));
                if (executed[0] && target.getAutoCommit() && loseCommitOf.getAndSet(null) != null) {
                    executed[0] = false;
                    arrayHolds[0] = false;
                    throw new SQLNonTransientConnectionException("connection lost before the statement committed (test)", "08006");
                }
            };
            if (r instanceof PreparedStatement p) {
                return statement(p, PreparedStatement.class, ran);
            }
            if (r instanceof Statement st) {
                return statement(st, Statement.class, ran);
            }
            return r;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    /** Runs before a statement executes; may fail it. */
    @FunctionalInterface
    private interface BeforeExecute {
        void run() throws SQLException;
    }

    private <T> T statement(T target, Class<T> type, BeforeExecute ran) {
        InvocationHandler h = (proxy, m, args) -> {
            delay(m);
            if (m.getName().startsWith("execute")) {
                ran.run();
            }
            return invoke(target, m, args);
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
    }

    private void delay(Method m) {
        if (roundTripMicros > 0 && ROUND_TRIPS.contains(m.getName())) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(roundTripMicros));
        }
    }

    /** Calls {@code m} on {@code target} and throws what it threw (for this package's proxies). */
    static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return pool.isWrapperFor(iface);
    }
}
