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
 * before the cut (the LISTEN connection) stay as they are.
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

    @Override
    public Connection getConnection() throws SQLException {
        if (cut) {
            throw new SQLNonTransientConnectionException("Connection to 127.0.0.1 refused (test partition)", "08001");
        }
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
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
