package dev.handoff.postgres.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * What every store shares: the connection helper, the one tenant it serves, the schema its tables live in, the
 * clock and the retention period.
 *
 * @param jdbc      runs the work
 * @param tenant    the tenant id bound into every statement
 * @param schema    the schema of the tables (a validated identifier, so it is safe to splice into SQL)
 * @param clock     every time written comes from it
 * @param retention how long rows live after they are written
 */
public record Tenancy(Jdbc jdbc, String tenant, String schema, Clock clock, Duration retention) {

    public Tenancy {
        Objects.requireNonNull(jdbc, "jdbc");
        Texts.requireCode("tenant", tenant);
        Migrations.requireSchemaName(schema);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(retention, "retention");
    }

    /**
     * The select-list item a claim's locking sub-select ({@code FOR UPDATE SKIP LOCKED}) adds so that its
     * {@code UPDATE ... FROM} finds each locked row by where it lies ({@code WHERE x.ctid = due.row_at}, a TID scan)
     * rather than by a join the planner chooses from the table's statistics. Before a table's first {@code ANALYZE}
     * (a new database, autovacuum's first minute) the planner takes a growing table for a tiny one and joined by
     * scanning every row of the tenant: an outbox's deliveries slowed as delivered rows piled up, to about 240 a second
     * by the end of the first minute against 1,000 or more since. A row locked by the sub-select cannot move before
     * the update of the same statement; should its address ever not match, the row is not claimed (the id is compared
     * too), never another one.
     */
    public static final String LOCKED_ROW = "ctid AS row_at";

    /** A table name qualified with the schema. */
    public String table(String name) {
        return schema + "." + name;
    }

    public Instant now() {
        return clock.instant();
    }

    /** When a row written at {@code at} may be purged. */
    public Instant purgeAfter(Instant at) {
        return at.plus(retention);
    }

    /** An instant as the driver binds {@code timestamptz} without reference to the JVM's time zone. */
    public static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
