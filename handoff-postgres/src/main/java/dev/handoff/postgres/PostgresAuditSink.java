package dev.handoff.postgres;

import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link AuditSink} on PostgreSQL: an append-only table ({@code audit_records}). The application role needs only
 * INSERT and SELECT on it; a trigger refuses UPDATE, DELETE and TRUNCATE even from the table's owner, so a record
 * once written stays as written. Records carry ids and outcome codes only ({@link AuditRecord} has no free text).
 *
 * <p>{@link #record} and {@link #recordAll} have committed when they return; while the database is unavailable it throws a
 * {@link dev.handoff.api.RetriableHandoffException} (the caller logs it and carries on, as the SPI says). Records are
 * never removed by retention or erasure. Thread-safe. Created by {@link PostgresHandoffStores}.
 */
public final class PostgresAuditSink implements AuditSink {

    /** Parameters per row. */
    static final int COLUMNS = 9;
    /** One row's placeholders. */
    private static final String VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Tenancy t;
    private final String insertSql;
    private final String bySessionSql;
    private final String byTimeSql;

    PostgresAuditSink(Tenancy tenancy) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        String a = t.table("audit_records");
        this.insertSql = "INSERT INTO " + a + " (tenant_id, at, actor, action, session_id, context_id, outcome, recorded_at,"
                + " client_address) VALUES " + VALUES;
        this.bySessionSql = "SELECT at, actor, action, session_id, context_id, outcome, client_address FROM " + a
                + " WHERE tenant_id = ? AND session_id = ? ORDER BY seq";
        this.byTimeSql = "SELECT at, actor, action, session_id, context_id, outcome, client_address FROM " + a
                + " WHERE tenant_id = ? AND at >= ? AND at < ? ORDER BY at, seq LIMIT ?";
    }

    @Override
    public void record(AuditRecord record) {
        Objects.requireNonNull(record, "record");
        t.jdbc().autoCommit("writing audit record " + record.action() + (record.sessionId() == null ? "" : " of session "
                + record.sessionId()), c -> insert(c, record));
    }

    /**
     * Writes the records in the order given as one multi-row insert in one transaction: all or none, one commit, and
     * their {@code seq} in that order ({@link #records(SessionId)} reads them back so).
     */
    @Override
    public void recordAll(List<AuditRecord> records) {
        Objects.requireNonNull(records, "records");
        if (records.size() <= 1) {
            records.forEach(this::record);
            return;
        }
        String sql = insertSql(records.size());
        AuditRecord first = records.get(0);
        t.jdbc().autoCommit("writing audit records " + records.stream().map(AuditRecord::action).toList()
                + (first.sessionId() == null ? "" : " of session " + first.sessionId()), c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < records.size(); i++) {
                    bind(p, i * COLUMNS, Objects.requireNonNull(records.get(i), "record"));
                }
                return p.executeUpdate();
            }
        });
    }

    /**
     * The INSERT of {@code rows} records, for a statement that writes them with something else (the context store
     * puts a context and its CONTEXT_PACKAGED record in one statement); its parameters are bound by {@link #bind}.
     */
    String insertSql(int rows) {
        StringBuilder sql = new StringBuilder(insertSql);
        for (int i = 1; i < rows; i++) {
            sql.append(", ").append(VALUES);
        }
        return sql.toString();
    }

    /** Inserts on a connection the caller manages (erasure writes its record in its own transaction). */
    int insert(Connection c, AuditRecord record) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(insertSql)) {
            bind(p, 0, record);
            return p.executeUpdate();
        }
    }

    /** Binds one row's {@value #COLUMNS} parameters after the first {@code offset}. */
    void bind(PreparedStatement p, int offset, AuditRecord r) throws SQLException {
        p.setString(offset + 1, t.tenant());
        p.setObject(offset + 2, Tenancy.ts(r.at()));
        p.setString(offset + 3, r.actor());
        p.setString(offset + 4, r.action().name());
        p.setString(offset + 5, r.sessionId() == null ? null : r.sessionId().value());
        p.setString(offset + 6, r.contextId());
        p.setString(offset + 7, r.outcome());
        p.setObject(offset + 8, Tenancy.ts(t.now()));
        p.setString(offset + 9, r.clientAddress());
    }

    /** Every record of a session, in the order written. */
    public List<AuditRecord> records(SessionId session) {
        Objects.requireNonNull(session, "session");
        return t.jdbc().autoCommit("reading the audit records of session " + session, c -> {
            try (PreparedStatement p = c.prepareStatement(bySessionSql)) {
                p.setString(1, t.tenant());
                p.setString(2, session.value());
                return read(p);
            }
        });
    }

    /**
     * Records whose time is in {@code [from, to)}, oldest first, at most {@code limit}.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public List<AuditRecord> records(Instant from, Instant to, int limit) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        return t.jdbc().autoCommit("reading audit records", c -> {
            try (PreparedStatement p = c.prepareStatement(byTimeSql)) {
                p.setString(1, t.tenant());
                p.setObject(2, Tenancy.ts(from));
                p.setObject(3, Tenancy.ts(to));
                p.setInt(4, limit);
                return read(p);
            }
        });
    }

    private static List<AuditRecord> read(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            List<AuditRecord> out = new ArrayList<>();
            while (rs.next()) {
                String session = rs.getString(4);
                out.add(new AuditRecord(Tenancy.instant(rs.getObject(1, OffsetDateTime.class)), rs.getString(2),
                        AuditRecord.Action.valueOf(rs.getString(3)), session == null ? null : SessionId.of(session), rs.getString(5),
                        rs.getString(6), rs.getString(7)));
            }
            return List.copyOf(out);
        }
    }
}
