package dev.handoff.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * A real pool whose server is a network hop away: every round trip to the server (a statement execution, a JDBC
 * batch, a commit or rollback) first waits a fixed delay, as it would with the database on another host. The
 * statements still run on the real server. It can also lose one commit the way a dropped connection does
 * ({@link #loseNextCommitOf}): the transaction is rolled back and the caller gets SQLState 08006.
 */
final class DistantDataSource {

    private static final Set<String> ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch", "commit", "rollback");

    private final DataSource pool;
    private final long delayMicros;
    /** A statement text: the next commit of a transaction that executed a statement containing it is lost. */
    private final AtomicReference<String> loseCommitOf = new AtomicReference<>();

    private DistantDataSource(DataSource pool, long delayMicros) {
        this.pool = pool;
        this.delayMicros = delayMicros;
    }

    /** {@code pool} with {@code delayMicros} added to every round trip. */
    static DistantDataSource of(DataSource pool, long delayMicros) {
        return new DistantDataSource(pool, delayMicros);
    }

    /** The next commit of a transaction that executed a statement containing {@code sqlFragment} fails, once. */
    void loseNextCommitOf(String sqlFragment) {
        loseCommitOf.set(sqlFragment);
    }

    /** True until the armed commit was lost. */
    boolean armed() {
        return loseCommitOf.get() != null;
    }

    DataSource dataSource() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, args) -> {
                    Object r = invoke(pool, m, args);
                    return r instanceof Connection c ? connection(c) : r;
                });
    }

    private Connection connection(Connection target) {
        boolean[] executed = new boolean[1];
        InvocationHandler h = (proxy, m, args) -> {
            delay(m);
            if (m.getName().equals("commit") && executed[0]) {
                executed[0] = false;
                String fragment = loseCommitOf.getAndSet(null);
                if (fragment != null) {
                    target.rollback();
                    throw new SQLNonTransientConnectionException("connection lost at commit (test)", "08006");
                }
            }
            if (m.getName().equals("rollback") || m.getName().equals("close")) {
                executed[0] = false;
            }
            Object r = invoke(target, m, args);
            String sql = m.getName().equals("prepareStatement") && args != null && args[0] instanceof String text ? text : "";
            Runnable ran = () -> {
                String fragment = loseCommitOf.get();
                executed[0] |= fragment != null && sql.contains(fragment);
            };
            if (r instanceof PreparedStatement p) {
                return statement(p, PreparedStatement.class, ran);
            }
            if (r instanceof Statement s) {
                return statement(s, Statement.class, ran);
            }
            return r;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private <T> T statement(T target, Class<T> type, Runnable ran) {
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
        if (delayMicros > 0 && ROUND_TRIPS.contains(m.getName())) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros));
        }
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
