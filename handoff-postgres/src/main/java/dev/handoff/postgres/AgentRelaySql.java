package dev.handoff.postgres;

import dev.handoff.postgres.internal.Tenancy;

/**
 * The statements of {@link PostgresAgentRelay}, built once for a schema. Every one is bound to the tenant
 * ({@code tenant_id = ?} for every table it touches; TenantIsolationTest checks it).
 */
record AgentRelaySql(String findSql, String submitSql, String readSql, String expireSql, String claimSql, String decideSql,
                     String feedSql, String readFeedSql, String watchSql, String watchersSql) {

    static AgentRelaySql of(Tenancy t) {
        String actions = t.table("agent_actions");
        String handoffs = t.table("handoffs");
        String offers = t.table("offers");
        String feed = t.table("agent_feed");
        String watches = t.table("agent_watches");
        return new AgentRelaySql(
                // the handoff that packaged this context; while its phase writes lag, the one running for the offer's session
                "SELECT h.handoff_id, h.session_id, h.owner, h.outcome FROM " + handoffs + " h WHERE h.tenant_id = ? AND (h.context_id = ?"
                        + " OR (h.context_id IS NULL AND h.session_id IN (SELECT o.session_id FROM " + offers
                        + " o WHERE o.tenant_id = ? AND o.context_id = ?))) ORDER BY h.requested_at DESC LIMIT 1",
                "INSERT INTO " + actions + " (tenant_id, action_id, handoff_id, session_id, context_id, from_instance, agent_id,"
                        + " client_address, kind, commitment_id, body, state, created_at, purge_after)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)",
                "SELECT state, result, applied_by FROM " + actions + " WHERE tenant_id = ? AND action_id = ?",
                "UPDATE " + actions + " SET state = 'EXPIRED', decided_at = ? WHERE tenant_id = ? AND action_id = ? AND state = 'PENDING'",
                // the pending actions of the handoffs this instance owns, oldest first, each claimed by one instance
                "SELECT a.action_id, a.handoff_id, a.session_id, a.context_id, a.from_instance, a.agent_id, a.client_address, a.kind,"
                        + " a.commitment_id, a.body, h.outcome FROM " + actions + " a JOIN " + handoffs + " h ON h.tenant_id = a.tenant_id"
                        + " AND h.handoff_id = a.handoff_id WHERE a.tenant_id = ? AND h.tenant_id = ? AND a.state = 'PENDING'"
                        + " AND h.owner = ? ORDER BY a.seq LIMIT 50 FOR UPDATE OF a SKIP LOCKED",
                "UPDATE " + actions + " SET state = ?, applied_by = ?, result = ?, decided_at = ? WHERE tenant_id = ? AND action_id = ?"
                        + " AND state = 'PENDING'",
                // fenced on the owner: a former owner (cut off, then back) writes nothing after another took the handoff over
                "INSERT INTO " + feed + " (tenant_id, handoff_id, session_id, owner, kind, body, created_at, purge_after)"
                        + " SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM " + handoffs + " h WHERE h.tenant_id = ?"
                        + " AND h.handoff_id = ? AND h.owner = ?)",
                "SELECT seq, handoff_id, kind, body FROM " + feed + " WHERE tenant_id = ? AND handoff_id = ANY (?) AND seq > ?"
                        + " ORDER BY seq LIMIT 500",
                // a watch outlives its handoff's owner: the instance that takes the handoff over reads it
                "INSERT INTO " + watches + " (tenant_id, handoff_id, watcher, session_id, since, purge_after) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, handoff_id, watcher) DO NOTHING",
                // in the takeover's transaction: which of the handoffs taken over agents on other instances watch
                "SELECT DISTINCT handoff_id FROM " + watches + " WHERE tenant_id = ? AND handoff_id = ANY (?) AND watcher <> ?");
    }
}
