package dev.handoff.postgres.internal;

import dev.handoff.api.HandoffException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work on a connection from the user's {@link DataSource} and turns every {@link SQLException}
 * into a {@link HandoffException} ({@link SqlErrors}). Writes run in one transaction that is committed before the
 * call returns, or rolled back.
 *
 * <p>With an answer timeout, each connection waits at most that long for any one answer of the server
 * ({@link Connection#setNetworkTimeout}, a socket read timeout in the PostgreSQL driver): a server that stops answering
 * (stopped, cut off by the network, stuck on its disk) fails the call with a {@link
 * dev.handoff.api.RetriableHandoffException} instead of holding its thread for as long as the operating system keeps
 * the connection open. The driver then closes that connection and the pool replaces it.
 */
public final class Jdbc {

    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

    /** The driver runs nothing on it (PostgreSQL's only sets the socket's timeout); the JDBC method requires one. */
    private static final Executor DIRECT = Runnable::run;

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    /** The answer timeout in milliseconds; 0 leaves the connection's own. */
    private final int answerMillis;
    private volatile boolean timeoutUnsupported;

    /** Without an answer timeout: a call waits as long as the connection does (schema migrations, which may be long). */
    public Jdbc(DataSource dataSource) {
        this(dataSource, Duration.ZERO);
    }

    /** @param answerTimeout how long one call waits for each answer of the server; zero leaves the connection's own */
    public Jdbc(DataSource dataSource, Duration answerTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.answerMillis = Math.toIntExact(Objects.requireNonNull(answerTimeout, "answerTimeout").toMillis());
    }

    /** The answer timeout; zero when none is set. */
    public Duration answerTimeout() {
        return Duration.ofMillis(answerMillis);
    }

    /** Runs {@code work} in auto-commit mode (one statement, or reads). */
    public <T> T autoCommit(String what, Work<T> work) {
        try (Connection c = open()) {
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true);
            }
            return work.run(c);
        } catch (SQLException e) {
            throw SqlErrors.translate(what, e, answerTimeout());
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(String what, Work<T> work) {
        try (Connection c = open()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(what, e, answerTimeout());
        }
    }

    /**
     * A connection of the pool with the answer timeout set (a pool such as HikariCP sets its own back on close), for
     * work that holds one itself (the LISTEN connection, the NOTIFY sender); the caller closes it.
     */
    public Connection open() throws SQLException {
        Connection c = dataSource.getConnection();
        if (answerMillis > 0 && !timeoutUnsupported) {
            try {
                c.setNetworkTimeout(DIRECT, answerMillis);
            } catch (SQLFeatureNotSupportedException | AbstractMethodError e) {
                timeoutUnsupported = true;
                LOG.warn("The DataSource's connections ({}) cannot set a network timeout: a database that stops answering holds a store "
                        + "call for as long as the connection waits", c.getClass().getName());
            } catch (SQLException | RuntimeException e) {
                close(c, e);
                throw e;
            }
        }
        return c;
    }

    private static void close(Connection c, Throwable cause) {
        try {
            c.close();
        } catch (SQLException x) {
            cause.addSuppressed(x);
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException r) {
            cause.addSuppressed(r);
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }
}
