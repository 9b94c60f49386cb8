package dev.handoff.postgres.internal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.HandoffException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;

/**
 * Turns a JDBC failure into Handoff's exception root: retriable when the same call may succeed later (the
 * database is down, restarting, read-only during a failover, out of connections, a serialization conflict),
 * {@link ConfigurationException} when the deployment is wrong (unknown database, bad credentials, the schema not
 * migrated, missing grants), non-retriable otherwise.
 *
 * <p>Messages name what was being done, the SQLState and what was expected. The driver's own text is kept only
 * for connection, authentication, schema and permission errors, whose text names hosts, roles and tables; for
 * data and constraint errors (SQLState classes 22 and 23, whose text can quote row values) neither the text nor
 * the driver exception is attached, so no customer data reaches a message or a logged stack trace.
 */
public final class SqlErrors {

    /** SQLStates outside class 08 after which the same call may succeed. */
    private static final Set<String> TRANSIENT = Set.of(
            "57P01", // admin_shutdown
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now (starting up, shutting down)
            "57014", // query_canceled (statement timeout)
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available
            "53000", "53100", "53200", "53300", "53400"); // insufficient resources, too many connections

    private SqlErrors() {
    }

    /**
     * @param what what was being done, for the message ("storing context ctx-1"); ids only, never customer data
     */
    public static HandoffException translate(String what, SQLException e) {
        return translate(what, e, Duration.ZERO);
    }

    /**
     * @param what          what was being done, for the message ("storing context ctx-1"); ids only, never customer data
     * @param answerTimeout the connection's answer timeout ({@link Jdbc}); zero when none was set
     */
    public static HandoffException translate(String what, SQLException e, Duration answerTimeout) {
        if (!answerTimeout.isZero() && timedOut(e)) {
            // not "nothing was written": the server may have received the statement and may still apply it
            return new RetriableHandoffException("PostgreSQL did not answer within " + answerTimeout.toMillis() + " ms while " + what
                    + " (the stores' answer timeout); expected a server that answers. The connection was dropped and the statement may"
                    + " still be applied; retry later", e);
        }
        String state = sqlState(e);
        String cls = state == null || state.length() < 2 ? "" : state.substring(0, 2);
        if (state != null && state.equals("25006")) {
            return new RetriableHandoffException("PostgreSQL is read-only while " + what
                    + " (SQLState 25006: a standby, a failover in progress or default_transaction_read_only); expected a writable primary."
                    + " Nothing was written; retry when the primary is back", e);
        }
        if (cls.equals("28")) {
            return new ConfigurationException("PostgreSQL refused the login while " + what + " (SQLState " + state + "): "
                    + driverText(e) + "; expected the DataSource's user and password to be valid", e);
        }
        if ("3D000".equals(state)) {
            return new ConfigurationException("PostgreSQL database missing while " + what + " (SQLState 3D000): " + driverText(e)
                    + "; expected the DataSource's URL to name an existing database", e);
        }
        if ((state == null || state.equals("08001")) && noSuitableDriver(e)) {
            return new ConfigurationException("no JDBC driver accepts the DataSource's URL while " + what + ": " + driverText(e)
                    + "; expected a URL of the form jdbc:postgresql://host:port/database", e);
        }
        // state is null for a pool's own timeout (HikariCP: "Connection is not available"); Set.of refuses contains(null)
        if (cls.equals("08") || (state != null && TRANSIENT.contains(state)) || e instanceof SQLTransientException
                || e instanceof SQLRecoverableException) {
            return new RetriableHandoffException("PostgreSQL unavailable while " + what + " (SQLState " + state + "): " + driverText(e)
                    + "; expected a reachable PostgreSQL server. Nothing was written; retry later", e);
        }
        if ("42P01".equals(state) || "3F000".equals(state) || "42703".equals(state) || "42883".equals(state)) {
            return new ConfigurationException("PostgreSQL schema incomplete while " + what + " (SQLState " + state + "): " + driverText(e)
                    + "; expected the handoff-postgres schema at version " + Migrations.LATEST_VERSION
                    + " (run PostgresSchema.migrate or build the stores with Migration.MIGRATE)", e);
        }
        if ("42501".equals(state)) {
            return new ConfigurationException("PostgreSQL permission denied while " + what + " (SQLState 42501): " + driverText(e)
                    + "; expected the grants listed in handoff-postgres/README.md", e);
        }
        if (cls.equals("22") || cls.equals("23")) {
            // the driver's text may quote row values (a failing row, a key): keep it out of messages and stack traces
            return new NonRetriableHandoffException("PostgreSQL refused the data while " + what + " (SQLState " + state + ")");
        }
        return new NonRetriableHandoffException("PostgreSQL failed while " + what + " (SQLState " + state + "): " + driverText(e), e);
    }

    private static String sqlState(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        SQLException next = e.getNextException();
        return next == null ? null : next.getSQLState();
    }

    /** Whether the driver gave up waiting for the server's answer (the connection's network timeout). */
    private static boolean timedOut(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean noSuitableDriver(SQLException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("suitable driver");
    }

    /** The driver's message with control characters removed and a length cap. */
    static String driverText(SQLException e) {
        return Texts.clean(e.getMessage(), 300);
    }
}
