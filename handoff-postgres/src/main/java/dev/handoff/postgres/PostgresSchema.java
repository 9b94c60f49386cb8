package dev.handoff.postgres;

import dev.handoff.postgres.internal.Jdbc;
import dev.handoff.postgres.internal.Migrations;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The handoff-postgres schema: plain, ordered SQL migrations shipped in this jar
 * ({@code dev/handoff/postgres/migration/V<n>__<name>.sql}) and a version table ({@code <schema>.schema_version})
 * recording each applied migration with its checksum.
 *
 * <p>{@link #migrate} brings a schema up to {@link #LATEST_VERSION} in one transaction under an advisory lock, so
 * instances starting together apply each migration once; {@link #validate} only checks. Both refuse, with a
 * {@link dev.handoff.api.ConfigurationException} naming what was expected: a read-only database, a schema written
 * by a newer handoff-postgres, a migration changed since it was applied; {@link #validate} also refuses a missing
 * or older schema. An unreachable database gives a {@link dev.handoff.api.RetriableHandoffException}.
 *
 * <p>Called once at start-up ({@link PostgresHandoffStores.Builder#build} calls it), or by an operator's tool
 * running as a role allowed to create tables while the application runs with {@link Mode#VALIDATE}.
 */
public final class PostgresSchema {

    /** The schema the tables live in unless set otherwise. */
    public static final String DEFAULT_SCHEMA = "handoff";
    /** The schema version this build writes and reads. */
    public static final int LATEST_VERSION = Migrations.LATEST_VERSION;

    /** What building the stores does with the schema. */
    public enum Mode {
        /** Create the schema or apply the missing migrations (needs CREATE on the database or the schema). */
        MIGRATE,
        /** Only check that the schema is at {@link #LATEST_VERSION}; for applications without DDL rights. */
        VALIDATE
    }

    /**
     * What a migration or check found.
     *
     * @param schema      the schema
     * @param database    the database's name
     * @param fromVersion the version found (0 for a new schema)
     * @param toVersion   the version now
     * @param applied     the migrations applied by this call
     */
    public record Report(String schema, String database, int fromVersion, int toVersion, List<Integer> applied) {
        public Report {
            Objects.requireNonNull(schema, "schema");
            Objects.requireNonNull(database, "database");
            applied = List.copyOf(applied);
        }
    }

    private PostgresSchema() {
    }

    /** Creates or upgrades {@code schema} to {@link #LATEST_VERSION}. Idempotent. */
    public static Report migrate(DataSource dataSource, String schema) {
        return run(dataSource, schema, true);
    }

    /** Checks that {@code schema} is at {@link #LATEST_VERSION} without changing anything. */
    public static Report validate(DataSource dataSource, String schema) {
        return run(dataSource, schema, false);
    }

    private static Report run(DataSource dataSource, String schema, boolean apply) {
        Objects.requireNonNull(dataSource, "dataSource");
        return report(schema, Migrations.run(new Jdbc(dataSource), schema, apply));
    }

    /**
     * What the stores' {@code build()} runs: a check bounded by {@code answerTimeout} that finds the schema as this
     * build needs it (every start but the first after an upgrade), so that a database that stops answering fails the
     * start instead of holding it; else {@link #migrate} or {@link #validate}, which are not bounded (a migration may
     * rightly wait for another instance's, or take long).
     */
    static Report atStart(DataSource dataSource, String schema, Mode mode, java.time.Duration answerTimeout) {
        return Migrations.current(new Jdbc(dataSource, answerTimeout), schema).map(o -> report(schema, o))
                .orElseGet(() -> mode == Mode.MIGRATE ? migrate(dataSource, schema) : validate(dataSource, schema));
    }

    private static Report report(String schema, Migrations.Outcome o) {
        return new Report(schema, o.database(), o.fromVersion(), o.toVersion(), o.applied());
    }
}
