package dev.handoff.postgres;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.json.ContextJson;
import dev.handoff.postgres.internal.Tenancy;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link ContextStore} on PostgreSQL: each context is one row of {@code contexts}, the document kept as the exact
 * JSON {@link ContextJson} writes (so its signature still verifies on read). {@link #put} is one statement that also
 * links the session to the context's customer (for erasure); it has committed when it returns. {@link #putAudited}
 * adds the packaging's audit records to that statement when they go to this stores' {@link PostgresAuditSink}.
 *
 * <p>Reads see only this store's tenant and never a context older than the retention period, purged or not.
 * Thread-safe; every call takes a connection from the pool and returns it. Failures: a
 * {@link dev.handoff.api.RetriableHandoffException} while the database is unavailable (nothing was written), a
 * {@link dev.handoff.api.ConfigurationException} when the schema or grants are wrong.
 *
 * <p>Created by {@link PostgresHandoffStores}.
 */
public final class PostgresContextStore implements ContextStore {

    /** The context's parameters, bound before any audit record's. */
    private static final int PUT_PARAMETERS = 8;

    private final Tenancy t;
    private final PostgresAuditSink audit;
    private final String putSql;
    /** The same with the customer link as a second CTE and one audit record's insert as the statement. */
    private final String putAuditedSql;
    private final String getSql;
    private final String latestSql;

    PostgresContextStore(Tenancy tenancy, PostgresAuditSink audit) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.audit = Objects.requireNonNull(audit, "audit");
        String store = "WITH stored AS ("
                + " INSERT INTO " + t.table("contexts")
                + " (tenant_id, context_id, session_id, customer_id, created_at, stored_at, purge_after, document)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant_id, context_id) DO UPDATE SET session_id = EXCLUDED.session_id,"
                + " customer_id = EXCLUDED.customer_id, created_at = EXCLUDED.created_at, stored_at = EXCLUDED.stored_at,"
                + " purge_after = EXCLUDED.purge_after, document = EXCLUDED.document"
                + " RETURNING tenant_id, customer_id, session_id, stored_at, purge_after)";
        String link = "INSERT INTO " + t.table("customer_sessions") + " (tenant_id, customer_id, session_id, linked_at, purge_after)"
                + " SELECT tenant_id, customer_id, session_id, stored_at, purge_after FROM stored WHERE customer_id IS NOT NULL"
                + " ON CONFLICT (tenant_id, customer_id, session_id) DO UPDATE SET purge_after ="
                + " GREATEST(" + t.table("customer_sessions") + ".purge_after, EXCLUDED.purge_after)";
        this.putSql = store + " " + link;
        this.putAuditedSql = store + ", linked AS (" + link + ") " + audit.insertSql(1);
        this.getSql = "SELECT document FROM " + t.table("contexts") + " WHERE tenant_id = ? AND context_id = ? AND purge_after > ?";
        this.latestSql = "SELECT document FROM " + t.table("contexts") + " WHERE tenant_id = ? AND session_id = ? AND purge_after > ?"
                + " ORDER BY created_at DESC, seq DESC LIMIT 1";
    }

    @Override
    public void put(HandoffContext context) {
        write(context, List.of());
    }

    /**
     * Stores the context and, when {@code sink} is this stores' own {@link PostgresAuditSink}, the records in the
     * same statement (the context's insert and the records' insert as one {@code WITH ... INSERT}, in auto-commit):
     * one round trip and one commit, the context and its audit records durable together or not at all. With another
     * sink only the context is stored and false is returned.
     */
    @Override
    public boolean putAudited(HandoffContext context, AuditSink sink, List<AuditRecord> records) {
        Objects.requireNonNull(records, "records");
        if (sink != audit || records.isEmpty()) {
            put(context);
            return false;
        }
        write(context, records);
        return true;
    }

    private void write(HandoffContext context, List<AuditRecord> records) {
        Objects.requireNonNull(context, "context");
        String document = new String(ContextJson.get().write(context), StandardCharsets.UTF_8);
        Instant now = t.now();
        String sql = records.isEmpty() ? putSql : records.size() == 1 ? putAuditedSql
                : putAuditedSql.substring(0, putAuditedSql.length() - audit.insertSql(1).length()) + audit.insertSql(records.size());
        t.jdbc().autoCommit("storing context " + context.contextId() + (records.isEmpty() ? "" : " with its audit records"), c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, t.tenant());
                p.setString(2, context.contextId());
                p.setString(3, context.sessionId().value());
                p.setString(4, context.customer().customerId());
                p.setObject(5, Tenancy.ts(context.createdAt()));
                p.setObject(6, Tenancy.ts(now));
                p.setObject(7, Tenancy.ts(t.purgeAfter(now)));
                p.setString(8, document);
                for (int i = 0; i < records.size(); i++) {
                    audit.bind(p, PUT_PARAMETERS + i * PostgresAuditSink.COLUMNS, Objects.requireNonNull(records.get(i), "record"));
                }
                return p.executeUpdate();
            }
        });
    }

    @Override
    public Optional<HandoffContext> get(String contextId) {
        Objects.requireNonNull(contextId, "contextId");
        return read("reading context " + contextId, getSql, contextId);
    }

    @Override
    public Optional<HandoffContext> latest(SessionId session) {
        Objects.requireNonNull(session, "session");
        return read("reading the latest context of session " + session, latestSql, session.value());
    }

    private Optional<HandoffContext> read(String what, String sql, String key) {
        String document = t.jdbc().autoCommit(what, c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, t.tenant());
                p.setString(2, key);
                p.setObject(3, Tenancy.ts(t.now()));
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        return document == null ? Optional.empty() : Optional.of(ContextJson.get().read(document));
    }
}
