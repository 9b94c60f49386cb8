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
