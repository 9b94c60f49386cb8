package dev.handoff.postgres;

import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DataRetention} for the PostgreSQL stores of one tenant.
 *
 * <p>{@link #purgeExpired} deletes, table by table and in batches of {@link #BATCH} rows (short transactions, no
 * long locks), every row whose {@code purge_after} has passed: contexts (with their transcripts), customer links,
 * commitment books with their events, deadlines, single-use ticket redemptions, chat offers, handoff records, outbox
 * entries and the agent relay's actions and feed. Each row's {@code purge_after} is
 * set when it is written: write time plus the configured retention ({@link PostgresHandoffStores#DEFAULT_RETENTION}).
 *
 * <p>{@link #eraseCustomer} finds the customer's sessions (linked by {@link #linkSession} or named by a stored
 * context) and deletes every row of theirs in all of those tables, then writes one
 * {@link AuditRecord.Action#CUSTOMER_DATA_ERASED} record per session to {@code audit_records}, in one transaction.
 * Audit records stay (they hold ids and codes only); the customer id is not written to them.
 *
 * <p>Thread-safe; instances may purge at the same time (deletes are idempotent). Created by
 * {@link PostgresHandoffStores}.
 */
public final class PostgresDataRetention implements DataRetention {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDataRetention.class);

    /** Rows deleted per purge transaction. */
    public static final int BATCH = 1000;

    /** The tables {@link #purgeExpired} visits, children before parents; commitment events go with their book. */
    private static final List<String> PURGED = List.of("offers", "outbox", "agent_actions", "agent_feed", "agent_watches", "handoffs", "tickets",
            "commitment_deadlines", "commitment_books", "contexts", "customer_sessions");

    private final Tenancy t;
    private final PostgresAuditSink audit;
    private final String linkSql;
    private final String sessionsSql;

    PostgresDataRetention(Tenancy tenancy, PostgresAuditSink audit) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.audit = Objects.requireNonNull(audit, "audit");
        String links = t.table("customer_sessions");
        this.linkSql = "INSERT INTO " + links + " AS l (tenant_id, customer_id, session_id, linked_at, purge_after) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant_id, customer_id, session_id) DO UPDATE SET purge_after = GREATEST(l.purge_after, EXCLUDED.purge_after)";
        this.sessionsSql = "SELECT session_id FROM " + links + " WHERE tenant_id = ? AND customer_id = ?"
                + " UNION SELECT session_id FROM " + t.table("contexts") + " WHERE tenant_id = ? AND customer_id = ? ORDER BY 1";
    }

    @Override
    public Purge purgeExpired() {
        Instant now = t.now();
        Map<String, Long> removed = new LinkedHashMap<>();
        for (String table : PURGED) {
            String sql = "DELETE FROM " + t.table(table) + " WHERE tenant_id = ? AND ctid = ANY (ARRAY(SELECT ctid FROM " + t.table(table)
                    + " WHERE tenant_id = ? AND purge_after <= ? LIMIT " + BATCH + "))";
            long total = 0;
            int n;
            do {
                n = t.jdbc().autoCommit("purging expired rows of " + table, c -> {
                    try (PreparedStatement p = c.prepareStatement(sql)) {
                        p.setString(1, t.tenant());
                        p.setString(2, t.tenant());
                        p.setObject(3, Tenancy.ts(now));
                        return p.executeUpdate();
                    }
                });
                total += n;
            } while (n == BATCH);
            removed.put(table, total);
        }
        Purge purge = new Purge(now, removed);
        if (purge.total() > 0) {
            LOG.info("Purged {} expired row(s) of tenant {}: {}", purge.total(), t.tenant(), removed);
        }
        return purge;
    }

    @Override
    public void linkSession(SessionId session, String customerId) {
        Objects.requireNonNull(session, "session");
        requireCustomer(customerId);
        Instant now = t.now();
        t.jdbc().autoCommit("linking session " + session + " to its customer", c -> {
            try (PreparedStatement p = c.prepareStatement(linkSql)) {
                p.setString(1, t.tenant());
                p.setString(2, customerId);
                p.setString(3, session.value());
                p.setObject(4, Tenancy.ts(now));
                p.setObject(5, Tenancy.ts(t.purgeAfter(now)));
                return p.executeUpdate();
            }
        });
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the customer id is blank or the actor is not a code
     * @throws dev.handoff.api.RetriableHandoffException while the database is unavailable (nothing was removed)
     */
    @Override
    public Erasure eraseCustomer(String customerId, String actor) {
        requireCustomer(customerId);
        Texts.requireCode("actor", actor);
        Instant now = t.now();
        return t.jdbc().transaction("erasing a customer's data", c -> {
            List<SessionId> sessions = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sessionsSql)) {
                p.setString(1, t.tenant());
                p.setString(2, customerId);
                p.setString(3, t.tenant());
                p.setString(4, customerId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        sessions.add(SessionId.of(rs.getString(1)));
                    }
                }
            }
            Array ids = c.createArrayOf("text", sessions.stream().map(SessionId::value).toArray());
            Map<String, Long> removed = new LinkedHashMap<>();
            removed.put("agent_actions", delete(c, "agent_actions", "session_id = ANY (?)", null, ids));
            removed.put("agent_feed", delete(c, "agent_feed", "session_id = ANY (?)", null, ids));
            removed.put("agent_watches", delete(c, "agent_watches", "session_id = ANY (?)", null, ids));
            removed.put("outbox", delete(c, "outbox", "session_id = ANY (?)", null, ids));
            removed.put("offers", delete(c, "offers", "session_id = ANY (?)", null, ids));
            removed.put("handoffs", delete(c, "handoffs", "session_id = ANY (?)", null, ids));
            removed.put("contexts", delete(c, "contexts", "(customer_id = ? OR session_id = ANY (?))", customerId, ids));
            removed.put("commitment_events", delete(c, "commitment_events", "session_id = ANY (?)", null, ids));
            removed.put("commitment_books", delete(c, "commitment_books", "session_id = ANY (?)", null, ids));
            removed.put("commitment_deadlines", delete(c, "commitment_deadlines", "session_id = ANY (?)", null, ids));
            removed.put("tickets", delete(c, "tickets", "session_id = ANY (?)", null, ids));
            removed.put("customer_sessions", delete(c, "customer_sessions", "(customer_id = ? OR session_id = ANY (?))", customerId, ids));
            if (sessions.isEmpty()) {
                audit.insert(c, new AuditRecord(now, actor, AuditRecord.Action.CUSTOMER_DATA_ERASED,
                        SessionId.of("erasure-" + UUID.randomUUID()), null, "no-data"));
            }
            for (SessionId s : sessions) {
                audit.insert(c, new AuditRecord(now, actor, AuditRecord.Action.CUSTOMER_DATA_ERASED, s, null, "erased"));
            }
            Erasure erasure = new Erasure(now, sessions, removed);
            LOG.info("Erased the data of a customer of tenant {} for {}: {} session(s), {} row(s)", t.tenant(), actor, sessions.size(),
                    erasure.total());
            return erasure;
        });
    }

    private long delete(Connection c, String table, String condition, String customerId, Array sessions) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM " + t.table(table) + " WHERE tenant_id = ? AND " + condition)) {
            int i = 1;
            p.setString(i++, t.tenant());
            if (customerId != null) {
                p.setString(i++, customerId);
            }
            p.setArray(i, sessions);
            return p.executeUpdate();
        }
    }

    private static void requireCustomer(String customerId) {
        if (customerId == null || customerId.isBlank() || customerId.length() > 256) {
            throw new IllegalArgumentException("customerId must be 1-256 characters and not blank, was "
                    + (customerId == null ? "null" : customerId.length() + " characters"));
        }
    }
}
