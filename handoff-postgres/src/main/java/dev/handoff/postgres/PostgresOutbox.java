package dev.handoff.postgres;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.DeadLetter;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * The CRM outbox on PostgreSQL, shared by every instance: the {@link OutboxStore} under handoff-crm-adapters'
 * {@code OutboxDispatcher} (the same dispatcher as for the file outbox), so each instance runs a dispatcher on one
 * table and every push is delivered by one of them.
 *
 * <ul>
 *   <li>{@link #append} is one {@code INSERT ... ON CONFLICT DO NOTHING} on {@code (tenant_id, adapter,
 *   idempotency_key)}, committed when it returns: the same key appended twice (by one instance or two) is one
 *   entry, and a key already delivered or dead-lettered is returned as it is until its row is purged. The context
 *   is kept as {@link PostgresContextStore} keeps it: the exact JSON {@link ContextJson} writes, in a text column.</li>
 *   <li>{@link #claimDue} claims due rows with {@code FOR UPDATE SKIP LOCKED} (two dispatchers claiming at once
 *   never get the same row) and marks them with this instance, a lease and a fencing number ({@code claims}). A row
 *   whose claim ran out (its instance died mid-push) is due again.</li>
 *   <li>{@link #acknowledge}, {@link #retryLater} (the failure count is kept in the row, so the back-off continues
 *   across instances and restarts), {@link #deadLetter} (kept with the reason) and {@link #release} are each one
 *   statement fenced on this instance and the claim's number: a claim that ran out and was taken changes nothing.</li>
 * </ul>
 *
 * <p>Durability is the server's: a commit survives a crash of the server with {@code synchronous_commit = on} (the
 * PostgreSQL default), and survives a crash of every instance in any case. Delivered and dead rows are purged by
 * {@link PostgresDataRetention#purgeExpired} after the retention period (counted from when they finished; a pending
 * row from when it was appended) and erased with the customer's sessions.
 *
 * <p>Thread-safe; every call takes a connection from the pool and has committed when it returns. Failures: a
 * {@link dev.handoff.api.RetriableHandoffException} while the database is down or read-only (nothing was written,
 * nothing stored is lost), a {@link dev.handoff.api.ConfigurationException} when the schema or grants are wrong.
 * {@link #close} does nothing (the pool is yours). Created by {@link PostgresHandoffStores#outbox()}.
 */
public final class PostgresOutbox implements OutboxStore {

    private static final int MAX_REASON = 500;
    private static final String COLUMNS = "entry_id, adapter, idempotency_key, context_id, enqueued_at, document, traceparent, tracestate";

    private final Tenancy t;
    private final String instanceId;
    private final String appendSql;
    private final String existingSql;
    private final String claimSql;
    private final String ackSql;
    private final String retrySql;
    private final String deadSql;
    private final String releaseSql;
    private final String deadLettersSql;
    private final String pendingSql;

    PostgresOutbox(Tenancy tenancy, String instanceId) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        String o = t.table("outbox");
        this.appendSql = "INSERT INTO " + o + " (tenant_id, entry_id, adapter, idempotency_key, context_id, session_id, document, state,"
                + " next_attempt_at, enqueued_at, purge_after, traceparent, tracestate) VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant_id, adapter, idempotency_key) DO NOTHING";
        this.existingSql = "SELECT " + COLUMNS + " FROM " + o + " WHERE tenant_id = ? AND adapter = ? AND idempotency_key = ?";
        // one statement: lock due rows no other dispatcher holds, then claim them for this instance. MATERIALIZED: a
        // sub-select joined in UPDATE ... FROM may be scanned again per row, and with SKIP LOCKED each scan finds other
        // rows, so more than the LIMIT would be claimed. The locked rows are updated where they lie (Tenancy.LOCKED_ROW)
        this.claimSql = "WITH due AS MATERIALIZED (SELECT entry_id, " + Tenancy.LOCKED_ROW + " FROM " + o
                + " WHERE tenant_id = ? AND state = 'PENDING'"
                + " AND next_attempt_at <= ? AND (claim_until IS NULL OR claim_until <= ?) AND adapter = ANY (?)"
                + " ORDER BY next_attempt_at, seq LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " UPDATE " + o + " AS x SET claimed_by = ?, claim_until = ?, claims = x.claims + 1 FROM due"
                + " WHERE x.ctid = due.row_at AND x.tenant_id = ? AND x.entry_id = due.entry_id"
                + " RETURNING x.entry_id, x.adapter, x.idempotency_key,"
                + " x.context_id, x.enqueued_at, x.document, x.traceparent, x.tracestate, x.failures, x.claims, x.next_attempt_at, x.seq";
        String fence = " WHERE tenant_id = ? AND entry_id = ? AND state = 'PENDING' AND claimed_by = ? AND claims = ?";
        this.ackSql = "UPDATE " + o + " SET state = 'DELIVERED', finished_at = ?, receipt_system = ?, receipt_record = ?, receipt_url = ?,"
                + " claimed_by = NULL, claim_until = NULL, purge_after = ?" + fence;
        this.retrySql = "UPDATE " + o + " SET failures = failures + 1, next_attempt_at = ?, claimed_by = NULL, claim_until = NULL" + fence;
        this.deadSql = "UPDATE " + o + " SET state = 'DEAD', finished_at = ?, dead_reason = ?, claimed_by = NULL, claim_until = NULL,"
                + " purge_after = ?" + fence;
        this.releaseSql = "UPDATE " + o + " SET claimed_by = NULL, claim_until = NULL" + fence;
        this.deadLettersSql = "SELECT " + COLUMNS + ", finished_at, dead_reason FROM " + o
                + " WHERE tenant_id = ? AND state = 'DEAD' ORDER BY finished_at, seq";
        this.pendingSql = "SELECT count(*) FROM " + o + " WHERE tenant_id = ? AND state = 'PENDING'";
    }

    @Override
    public OutboxEntry append(String adapter, String idempotencyKey, HandoffContext context) {
        return append(adapter, idempotencyKey, context, Map.of());
    }

    /**
     * As {@link #append(String, String, HandoffContext)}, keeping the W3C trace context in the row's
     * {@code traceparent} and {@code tracestate} columns (migration 9); only valid fields are written.
     */
    @Override
    public OutboxEntry append(String adapter, String idempotencyKey, HandoffContext context, Map<String, String> traceContext) {
        Texts.requireCode("adapter", adapter);
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        ContextJson.get().requireValid(Objects.requireNonNull(context, "context"));
        String document = new String(ContextJson.get().write(context), StandardCharsets.UTF_8);
        Instant now = t.now();
        OutboxEntry fresh = new OutboxEntry(UUID.randomUUID().toString(), adapter, idempotencyKey, context.contextId(), now, document,
                traceContext);
        return t.jdbc().autoCommit("appending context " + context.contextId() + " to the outbox for " + adapter, c -> {
            try (PreparedStatement p = c.prepareStatement(appendSql)) {
                p.setString(1, t.tenant());
                p.setString(2, fresh.id());
                p.setString(3, adapter);
                p.setString(4, idempotencyKey);
                p.setString(5, context.contextId());
                p.setString(6, context.sessionId().value());
                p.setString(7, document);
                p.setObject(8, Tenancy.ts(now));
                p.setObject(9, Tenancy.ts(now));
                p.setObject(10, Tenancy.ts(t.purgeAfter(now)));
                p.setString(11, fresh.traceContext().get(OutboxEntry.TRACEPARENT));
                p.setString(12, fresh.traceContext().get(OutboxEntry.TRACESTATE));
                if (p.executeUpdate() == 1) {
                    return fresh;
                }
            }
            try (PreparedStatement p = c.prepareStatement(existingSql)) {
                p.setString(1, t.tenant());
                p.setString(2, adapter);
                p.setString(3, idempotencyKey);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        // purged between the two statements: the caller repeats the append
                        throw new SQLException("the outbox row with this key vanished while appending", "40001");
                    }
                    return entry(rs);
                }
            }
        });
    }

    @Override
    public List<Claim> claimDue(Set<String> adapters, int max, Duration lease) {
        Objects.requireNonNull(adapters, "adapters");
        Objects.requireNonNull(lease, "lease");
        if (adapters.isEmpty() || max < 1) {
            return List.of();
        }
        Instant now = t.now();
        return t.jdbc().autoCommit("claiming due outbox entries", c -> {
            try (PreparedStatement p = c.prepareStatement(claimSql)) {
                Array names = c.createArrayOf("text", adapters.toArray());
                p.setString(1, t.tenant());
                p.setObject(2, Tenancy.ts(now));
                p.setObject(3, Tenancy.ts(now));
                p.setArray(4, names);
                p.setInt(5, max);
                p.setString(6, instanceId);
                p.setObject(7, Tenancy.ts(now.plus(lease)));
                p.setString(8, t.tenant());
                List<Claimed> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(new Claim(entry(rs), rs.getInt(9), rs.getLong(10)),
                                rs.getObject(11, OffsetDateTime.class), rs.getLong(12)));
                    }
                }
                // RETURNING does not keep the sub-select's order
                out.sort((a, b) -> a.due.isEqual(b.due) ? Long.compare(a.seq, b.seq) : a.due.compareTo(b.due));
                return out.stream().map(Claimed::claim).toList();
            }
        });
    }

    private record Claimed(Claim claim, OffsetDateTime due, long seq) {
    }

    @Override
    public boolean acknowledge(Claim claim, CrmReceipt receipt) {
        Instant now = t.now();
        return fenced("acknowledging", ackSql, claim, p -> {
            p.setObject(1, Tenancy.ts(now));
            p.setString(2, receipt == null ? null : receipt.system());
            p.setString(3, receipt == null ? null : receipt.recordId());
            p.setString(4, receipt == null ? null : receipt.url());
            p.setObject(5, Tenancy.ts(t.purgeAfter(now)));
            return 6;
        });
    }

    @Override
    public boolean retryLater(Claim claim, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        Instant due = t.now().plus(delay);
        return fenced("scheduling a retry of", retrySql, claim, p -> {
            p.setObject(1, Tenancy.ts(due));
            return 2;
        });
    }

    @Override
    public boolean deadLetter(Claim claim, String reason) {
        Objects.requireNonNull(reason, "reason");
        Instant now = t.now();
        return fenced("dead-lettering", deadSql, claim, p -> {
            p.setObject(1, Tenancy.ts(now));
            p.setString(2, Texts.clean(reason, MAX_REASON));
            p.setObject(3, Tenancy.ts(t.purgeAfter(now)));
            return 4;
        });
    }

    @Override
    public boolean release(Claim claim) {
        return fenced("releasing", releaseSql, claim, p -> 1);
    }

    @Override
    public List<DeadLetter> deadLetters() {
        return t.jdbc().autoCommit("reading the outbox's dead letters", c -> {
            try (PreparedStatement p = c.prepareStatement(deadLettersSql)) {
                p.setString(1, t.tenant());
                List<DeadLetter> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(entry(rs), Tenancy.instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public int pendingCount() {
        return t.jdbc().autoCommit("counting pending outbox entries", c -> {
            try (PreparedStatement p = c.prepareStatement(pendingSql)) {
                p.setString(1, t.tenant());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** Nothing to release: the pool belongs to the application. */
    @Override
    public void close() {
    }

    /** The id this instance claims entries under. */
    public String instanceId() {
        return instanceId;
    }

    @FunctionalInterface
    private interface Binder {
        /** Binds the statement's leading parameters and returns the index of the first fence parameter. */
        int bind(PreparedStatement p) throws SQLException;
    }

    private boolean fenced(String what, String sql, Claim claim, Binder binder) {
        Objects.requireNonNull(claim, "claim");
        OutboxEntry e = claim.entry();
        return t.jdbc().autoCommit(what + " outbox entry " + e.id() + " (context " + e.contextId() + ")", c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                int i = binder.bind(p);
                p.setString(i++, t.tenant());
                p.setString(i++, e.id());
                p.setString(i++, instanceId);
                p.setLong(i, claim.fence());
                return p.executeUpdate() == 1;
            }
        });
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        // both columns nullable (rows from before migration 9 have none); a malformed value is dropped by OutboxEntry
        Map<String, String> trace = new HashMap<>();
        if (rs.getString(7) != null) {
            trace.put(OutboxEntry.TRACEPARENT, rs.getString(7));
        }
        if (rs.getString(8) != null) {
            trace.put(OutboxEntry.TRACESTATE, rs.getString(8));
        }
        return new OutboxEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Tenancy.instant(rs.getObject(5, OffsetDateTime.class)), rs.getString(6), trace);
    }
}
