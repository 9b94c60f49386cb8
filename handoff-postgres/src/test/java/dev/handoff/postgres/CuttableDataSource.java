package dev.handoff.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A real pool that can be cut off from its server as a network partition would: while cut, every new connection
 * fails the way the PostgreSQL driver fails when the host is unreachable (SQLState 08001). Connections handed out
 * before the cut (the LISTEN connection) stay as they are. It can also stall the stores' database threads
 * ({@code handoff-pg-<n>}, as when a burst of work holds them all): while stalled, their new connections wait.
 */
final class CuttableDataSource implements DataSource {

    private final DataSource pool;
    private volatile boolean cut;

    CuttableDataSource(DataSource pool) {
        this.pool = pool;
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
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        awaitUnstalled();
        if (cut) {
            throw new SQLNonTransientConnectionException("Connection to 127.0.0.1 refused (test partition)", "08001");
        }
        return pool.getConnection(user, password);
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
