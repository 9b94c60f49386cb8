package dev.handoff.postgres;

import dev.handoff.postgres.internal.Tenancy;

/**
 * The statements of {@link PostgresChatQueues} (the owner's side: insert, close, refresh, sweep, adopt, renew) and
 * {@link PostgresAgentQueue} (the agent's side: claim, accept, decline, sign-in and out, counts, open and closed), with
 * the schema spliced in once (a validated identifier). Every statement names {@code tenant_id} for each table it
 * touches ({@code TenantIsolationTest} reads this record). Immutable.
 */
record ChatQueueSql(String insert, String claim, String accept, String decline, String close, String read, String refresh,
                    String sweep, String adopt, String signIn, String signOut, String agents, String renew, String size,
                    String setClosed, String closed) {
    static ChatQueueSql of(Tenancy t) {
        String o = t.table("offers");
        String a = t.table("queue_agents");
        String q = t.table("queues");
        return new ChatQueueSql(
                // each write that announces itself sends its NOTIFY from the same statement (pg_notify over the rows it
                // wrote): one round trip instead of the write, a SELECT pg_notify and a COMMIT; delivered on commit as before
                "WITH stored AS (INSERT INTO " + o + " (tenant_id, offer_id, queue, session_id, context_id, ticket_unsigned, target_id, priority,"
                        + " rank, timeout_ms, owner, enqueued_at, expires_at, state, purge_after)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'WAITING', ?) RETURNING queue)"
                        + " SELECT pg_notify('" + PostgresChatQueues.OFFERS_CHANNEL + "', ? || '/' || queue) FROM stored",
                // a scalar subquery runs once: joined as UPDATE ... FROM (subquery), the planner may rescan it per row and
                // claim several offers in one statement (seen under load: offers stuck CLAIMED until the accept timeout)
                "WITH claimed AS (UPDATE " + o + " SET state = 'CLAIMED', claimed_by = ?, claim_until = ?, claims = claims + 1 WHERE tenant_id = ?"
                        + " AND state = 'WAITING' AND offer_id = (SELECT offer_id FROM " + o + " WHERE tenant_id = ? AND queue = ?"
                        + " AND state = 'WAITING' AND expires_at > ? ORDER BY rank DESC, enqueued_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " RETURNING offer_id, session_id, context_id, ticket_unsigned, target_id, priority, timeout_ms, claims, queue)"
                        + " SELECT offer_id, session_id, context_id, ticket_unsigned, target_id, priority, timeout_ms, claims, queue,"
                        + " pg_notify('" + PostgresChatQueues.OFFER_CHANNEL + "', ? || '/' || offer_id) FROM claimed",
                "WITH accepted AS (UPDATE " + o + " SET state = 'ACCEPTED', decided_at = ? WHERE tenant_id = ? AND offer_id = ? AND state = 'CLAIMED'"
                        + " AND claimed_by = ? AND claims = ? AND expires_at > ? RETURNING offer_id)"
                        + " SELECT pg_notify('" + PostgresChatQueues.OFFER_CHANNEL + "', ? || '/' || offer_id) FROM accepted",
                "UPDATE " + o + " SET state = 'WAITING', claimed_by = NULL, claim_until = NULL WHERE tenant_id = ? AND offer_id = ?"
                        + " AND state = 'CLAIMED' AND claimed_by = ? AND claims = ?",
                "UPDATE " + o + " SET state = ?, decided_at = ? WHERE tenant_id = ? AND offer_id = ? AND owner = ?"
                        + " AND state IN ('WAITING', 'CLAIMED')",
                "SELECT state, claimed_by, claims, owner FROM " + o + " WHERE tenant_id = ? AND offer_id = ?",
                "SELECT offer_id, state, claimed_by, claims, owner FROM " + o + " WHERE tenant_id = ? AND offer_id = ANY (?)",
                "UPDATE " + o + " SET state = 'WAITING', claimed_by = NULL, claim_until = NULL WHERE tenant_id = ? AND owner = ?"
                        + " AND state = 'CLAIMED' AND claim_until < ? RETURNING queue",
                "UPDATE " + o + " SET owner = ? WHERE tenant_id = ? AND offer_id = (SELECT offer_id FROM " + o + " WHERE tenant_id = ?"
                        + " AND session_id = ? AND owner = ? AND state IN ('WAITING', 'CLAIMED', 'ACCEPTED') ORDER BY enqueued_at DESC LIMIT 1"
                        + " FOR UPDATE) RETURNING offer_id, state, claimed_by, queue, context_id, ticket_unsigned, target_id, priority, expires_at, decided_at",
                "INSERT INTO " + a + " (tenant_id, queue, agent_id, instance_id, signed_in_at, lease_until) VALUES (?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (tenant_id, queue, agent_id) DO UPDATE SET instance_id = EXCLUDED.instance_id,"
                        + " lease_until = EXCLUDED.lease_until",
                "DELETE FROM " + a + " WHERE tenant_id = ? AND queue = ? AND agent_id = ?",
                "SELECT count(*) FROM " + a + " WHERE tenant_id = ? AND queue = ? AND lease_until > ?",
                "UPDATE " + a + " SET lease_until = ? WHERE tenant_id = ? AND instance_id = ?",
                "SELECT count(*) FROM " + o + " WHERE tenant_id = ? AND queue = ? AND state = 'WAITING' AND expires_at > ?",
                "INSERT INTO " + q + " (tenant_id, queue, closed) VALUES (?, ?, ?) ON CONFLICT (tenant_id, queue) DO UPDATE SET closed = EXCLUDED.closed",
                "SELECT closed FROM " + q + " WHERE tenant_id = ? AND queue = ?");
    }
}
