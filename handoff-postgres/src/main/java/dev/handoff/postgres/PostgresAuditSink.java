package dev.handoff.postgres;

import dev.handoff.api.RetriableHandoffException;
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
 * {@link dev.handoff.api.RetriableHandoffException} (the caller logs it and carries on, as the SPI says; a Handoff keeps
 * the records of its own steps and writes them again once the database takes them). Records are
 * never removed by retention or erasure. Thread-safe. Created by {@link PostgresHandoffStores}.
 *
 * <p><b>Group commit.</b> Callers that arrive while another caller's records are being written wait for that write,
 * then one of them writes everything that arrived meanwhile in one statement and one commit (each caller's records
 * together and in its order), so under many concurrent handoffs the table costs a commit per round, not per call; a
 * caller alone writes at once. When such a shared write fails for a reason other than the database being
 * unavailable, each caller's records are written again on their own, so one caller's bad record fails only that caller.
 */
public final class PostgresAuditSink implements AuditSink {

    /** Parameters per row. */
    static final int COLUMNS = 9;
    /** One row's placeholders. */
    private static final String VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The most rows one group-commit statement writes (nine parameters each, far below the protocol's 65,535). */
    static final int MAX_ROWS = 1000;

    private final Tenancy t;
    private final Object lock = new Object();
    /** Callers' records not yet taken by a write; guarded by {@link #lock}. */
    private final List<Waiting> queue = new ArrayList<>();
    /** Whether a caller is writing now; guarded by {@link #lock}. */
    private boolean writing;
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
        write(List.of(record));
    }

    /**
     * Writes the records in the order given in one insert and one transaction: all or none, and their {@code seq} in
     * that order ({@link #records(SessionId)} reads them back so), possibly with other callers' records (group commit).
     */
    @Override
    public void recordAll(List<AuditRecord> records) {
        Objects.requireNonNull(records, "records");
        for (AuditRecord r : records) {
            Objects.requireNonNull(r, "record");
        }
        if (!records.isEmpty()) {
            write(List.copyOf(records));
        }
    }

    /** Callers whose records wait for a write (for tests). */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** One caller's records, waiting to be written; its fields are guarded by {@link #lock}. */
    private static final class Waiting {
        final List<AuditRecord> records;
        boolean done;
        RuntimeException failure;

        Waiting(List<AuditRecord> records) {
            this.records = records;
        }
    }

    /**
     * Group commit: queues the caller's records; the caller that finds no write under way writes the queue (at most
     * {@value #MAX_ROWS} rows) while later callers wait for it, and the first of them still unwritten writes the next.
     */
    private void write(List<AuditRecord> records) {
        Waiting mine = new Waiting(records);
        List<Waiting> batch = new ArrayList<>();
        boolean interrupted = false;
        synchronized (lock) {
            queue.add(mine);
            while (writing && !mine.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;   // the records are queued: another caller may be writing them now
                }
            }
            if (!mine.done) {
                writing = true;
                int rows = 0;
                while (!queue.isEmpty() && (batch.isEmpty() || rows + queue.get(0).records.size() <= MAX_ROWS)) {
                    Waiting w = queue.remove(0);
                    batch.add(w);
                    rows += w.records.size();
                }
            }
        }
        if (!batch.isEmpty()) {
            try {
                writeBatch(batch);
            } finally {
                synchronized (lock) {
                    for (Waiting w : batch) {
                        if (!w.done) {   // the write ended in an Error: nobody may take these records for written
                            w.done = true;
                            w.failure = new IllegalStateException("audit records not written: the write they shared with "
                                    + (batch.size() - 1) + " other caller(s) failed");
                        }
                    }
                    writing = false;
                    lock.notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (mine.failure != null) {
                throw mine.failure;
            }
        }
    }

    /** Writes a batch of callers' records and marks each caller done (with its failure, if any). */
    private void writeBatch(List<Waiting> batch) {
        RuntimeException failure = null;
        try {
            insertRows(batch);
        } catch (RuntimeException e) {
            failure = e;
        }
        if (failure != null && batch.size() > 1 && !(failure instanceof RetriableHandoffException)) {
            // not the database being away: something in one caller's records; each caller on its own
            for (Waiting w : batch) {
                RuntimeException own = null;
                try {
                    insertRows(List.of(w));
                } catch (RuntimeException e) {
                    own = e;
                }
                finish(List.of(w), own);
            }
            return;
        }
        finish(batch, failure);
    }

    private void finish(List<Waiting> ws, RuntimeException failure) {
        synchronized (lock) {
            for (Waiting w : ws) {
                w.done = true;
                w.failure = failure;
            }
        }
    }

    private void insertRows(List<Waiting> batch) {
        List<AuditRecord> rows = new ArrayList<>();
        batch.forEach(w -> rows.addAll(w.records));
        String sql = insertSql(rows.size());
        t.jdbc().autoCommit(describe(batch, rows), c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < rows.size(); i++) {
                    bind(p, i * COLUMNS, rows.get(i));
                }
                return p.executeUpdate();
            }
        });
    }

    /** What a failed write names: one caller's records by action and session, a shared write by its counts. */
    private static String describe(List<Waiting> batch, List<AuditRecord> rows) {
        if (batch.size() > 1) {
            return "writing " + rows.size() + " audit records of " + batch.size() + " callers";
        }
        AuditRecord first = rows.get(0);
        String session = first.sessionId() == null ? "" : " of session " + first.sessionId();
        return rows.size() == 1 ? "writing audit record " + first.action() + session
                : "writing audit records " + rows.stream().map(AuditRecord::action).toList() + session;
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
