package dev.handoff.postgres.internal;

import dev.handoff.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schema's versioned migrations: plain SQL files in this jar ({@code dev/handoff/postgres/migration/V<n>__<name>.sql}),
 * applied in order by {@link #run}, each recorded in {@code <schema>.schema_version} with a checksum.
 *
 * <p>One run is one transaction holding a transaction-scoped advisory lock on the schema's name, so instances
 * starting together apply each migration once and a failed migration leaves nothing behind (PostgreSQL DDL is
 * transactional).
 */
public final class Migrations {

    /** The migrations this build knows, in order. A new one is appended here and as a file beside the others. */
    public static final List<Script> SCRIPTS = List.of(
            new Script(1, "baseline", "V1__baseline.sql"),
            new Script(2, "audit_client_address", "V2__audit_client_address.sql"),
            new Script(3, "instances", "V3__instances.sql"),
            new Script(4, "outbox", "V4__outbox.sql"),
            new Script(5, "tickets_without_credentials", "V5__tickets_without_credentials.sql"),
            new Script(6, "agent_relay", "V6__agent_relay.sql"),
            new Script(7, "feedback_action", "V7__feedback_action.sql"),
            new Script(8, "agent_watches", "V8__agent_watches.sql"),
            new Script(9, "outbox_trace_context", "V9__outbox_trace_context.sql"));

    /** The schema version this build writes and reads. */
    public static final int LATEST_VERSION = SCRIPTS.get(SCRIPTS.size() - 1).version();

    /** Where the SQL files live on the class path. */
    public static final String RESOURCE_DIR = "/dev/handoff/postgres/migration/";

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** One migration file. */
    public record Script(int version, String description, String file) {
        public Script {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(file, "file");
        }

        /** The file's text, line ends normalised. */
        public String sql() {
            try (InputStream in = Migrations.class.getResourceAsStream(RESOURCE_DIR + file)) {
                if (in == null) {
                    throw new IllegalStateException("migration " + file + " is missing from the jar (" + RESOURCE_DIR + ")");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read migration " + file, e);
            }
        }

        /** SHA-256 of {@link #sql()}, hex. */
        public String checksum() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }

    /** What a run found and did. */
    public record Outcome(String database, int fromVersion, int toVersion, List<Integer> applied) {
        public Outcome {
            applied = List.copyOf(applied);
        }
    }

    private Migrations() {
    }

    /**
     * @throws IllegalArgumentException naming the value when it is not a plain lower-case identifier
     */
    public static String requireSchemaName(String schema) {
        if (schema == null || !SCHEMA_NAME.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new IllegalArgumentException("schema must be a lower-case identifier of [a-z0-9_] (1-63 characters, not starting"
                    + " with a digit or pg_), was " + (schema == null ? "null" : "\"" + Texts.clean(schema, 80) + "\""));
        }
        return schema;
    }

    /**
     * Brings {@code schema} to {@link #LATEST_VERSION} ({@code apply}) or checks that it is there.
     *
     * @throws ConfigurationException when the database is read-only, the schema is missing or behind (check only),
     *                                ahead of this build, or was changed by hand
     * @throws dev.handoff.api.RetriableHandoffException when the database cannot be reached
     */
    public static Outcome run(Jdbc jdbc, String schema, boolean apply) {
        requireSchemaName(schema);
        return jdbc.transaction((apply ? "migrating" : "checking") + " schema " + schema, c -> run(c, schema, apply, LATEST_VERSION, true));
    }

    /**
     * The check of a start that finds the schema as this build needs it: the same checks as {@link #run} but without
     * the advisory lock, so that {@code jdbc}'s answer timeout can bound it (the lock may rightly wait for another
     * instance's migration). A schema at {@link #LATEST_VERSION} is complete when its version row is visible, since
     * each migration commits with its row.
     *
     * @return the outcome, or empty when the schema is missing or behind (possibly being migrated right now): then
     *         {@link #run} decides, under the lock
     * @throws ConfigurationException when the database is read-only, or the schema is ahead of this build or was
     *                                changed by hand
     * @throws dev.handoff.api.RetriableHandoffException when the database cannot be reached or does not answer in time
     */
    public static Optional<Outcome> current(Jdbc jdbc, String schema) {
        requireSchemaName(schema);
        return Optional.ofNullable(jdbc.transaction("checking schema " + schema, c -> run(c, schema, false, LATEST_VERSION, false)));
    }

    /**
     * Brings {@code schema} up to {@code target} and no further: for tests that build a database as an older release
     * left it, and for an operator stepping through releases. The same checks as {@link #run}.
     *
     * @throws IllegalArgumentException when {@code target} is not a known version
     */
    public static Outcome migrateTo(Jdbc jdbc, String schema, int target) {
        requireSchemaName(schema);
        if (target < 1 || target > LATEST_VERSION) {
            throw new IllegalArgumentException("target schema version must be 1 to " + LATEST_VERSION + ", was " + target);
        }
        return jdbc.transaction("migrating schema " + schema + " to version " + target, c -> run(c, schema, true, target, true));
    }

    /** With {@code locked} false, returns null where the schema is missing or behind (see {@link #current}). */
    private static Outcome run(Connection c, String schema, boolean apply, int target, boolean locked) throws SQLException {
        String database;
        boolean readOnly;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_database(), current_setting('transaction_read_only'), pg_is_in_recovery()")) {
            rs.next();
            database = rs.getString(1);
            readOnly = "on".equals(rs.getString(2)) || rs.getBoolean(3);
        }
        if (readOnly) {
            throw new ConfigurationException("PostgreSQL database \"" + database + "\" is read-only (a standby, or"
                    + " default_transaction_read_only is on); handoff-postgres writes on every handoff and expected a writable primary");
        }
        if (locked) {
            try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                p.setString(1, "dev.handoff.postgres:migrate:" + schema);
                p.executeQuery().close();
            }
        }
        boolean hasTable;
        try (PreparedStatement p = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            p.setString(1, schema + ".schema_version");
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                hasTable = rs.getBoolean(1);
            }
        }
        if (!hasTable) {
            if (!locked) {
                return null;
            }
            if (!apply) {
                throw new ConfigurationException("PostgreSQL database \"" + database + "\" has no handoff-postgres schema \"" + schema
                        + "\" (table " + schema + ".schema_version is missing); expected schema version " + LATEST_VERSION
                        + ". Create it with PostgresSchema.migrate(dataSource, \"" + schema + "\") or build the stores with"
                        + " PostgresSchema.Mode.MIGRATE, as a role allowed to create it");
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
                s.execute("CREATE TABLE " + schema + ".schema_version (version integer PRIMARY KEY, description text NOT NULL,"
                        + " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT current_user)");
            }
        }
        List<Integer> seen = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, checksum FROM " + schema + ".schema_version ORDER BY version")) {
            while (rs.next()) {
                seen.add(rs.getInt(1));
                sums.add(rs.getString(2));
            }
        }
        int current = seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
        if (current > LATEST_VERSION) {
            throw new ConfigurationException("PostgreSQL schema \"" + schema + "\" in database \"" + database + "\" is at version " + current
                    + ", written by a newer handoff-postgres; this build knows versions up to " + LATEST_VERSION
                    + ". Upgrade handoff-postgres on this instance (or point it at another schema); it will not run against a schema it does not understand");
        }
        for (int i = 0; i < seen.size(); i++) {
            int v = seen.get(i);
            if (v != i + 1) {
                throw new ConfigurationException("PostgreSQL schema \"" + schema + "\" records versions out of order (found " + v
                        + " where " + (i + 1) + " was expected in " + schema + ".schema_version); expected every migration from 1 applied in order");
            }
            Script script = SCRIPTS.get(i);
            if (!script.checksum().equals(sums.get(i))) {
                throw new ConfigurationException("PostgreSQL schema \"" + schema + "\": migration " + v + " was applied with checksum "
                        + Texts.clean(sums.get(i), 80) + " but this build's " + script.file() + " has " + script.checksum()
                        + "; expected the schema unchanged since it was migrated (was it edited by hand?)");
            }
        }
        List<Script> pending = SCRIPTS.subList(Math.min(current, target), target);
        if (!pending.isEmpty() && !locked) {
            return null;
        }
        if (!pending.isEmpty() && !apply) {
            throw new ConfigurationException("PostgreSQL schema \"" + schema + "\" in database \"" + database + "\" is at version " + current
                    + "; this build needs version " + LATEST_VERSION + ". Run PostgresSchema.migrate(dataSource, \"" + schema
                    + "\") or build the stores with PostgresSchema.Mode.MIGRATE");
        }
        List<Integer> applied = new ArrayList<>();
        for (Script script : pending) {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL search_path TO " + schema);
                s.execute(script.sql());
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + schema + ".schema_version (version, description, checksum) VALUES (?, ?, ?)")) {
                p.setInt(1, script.version());
                p.setString(2, script.description());
                p.setString(3, script.checksum());
                p.executeUpdate();
            }
            applied.add(script.version());
        }
        return new Outcome(database, current, current + applied.size(), applied);
    }
}
