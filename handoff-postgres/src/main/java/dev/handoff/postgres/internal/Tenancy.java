package dev.handoff.postgres.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    public static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    public static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
