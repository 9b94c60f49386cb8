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
                // a write that announces itself publishes its notification after it commits (Notifications.publish): a
                // NOTIFY inside the write would serialize its commit with every other announcing write's. The claim and
                // the accept return what the owner's notification carries (offer/STATE/claims/owner/agent), so the owner
                // completes its stage without reading the row again (OwnerOffers.fromNotification)
                // an offer stored where an agent of its queue is waiting is stored claimed for that agent (the first two
                // parameters; null for none), so no claim statement follows, unless a waiting offer of at least its rank
                // (which came first) is in the queue: then it waits as any offer, and the agent claims the best one
                "WITH here AS (SELECT CAST(? AS text) AS agent, CAST(? AS timestamptz) AS claim_until),"
                        + " taker AS (SELECT CASE WHEN agent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + o + " WHERE tenant_id = ?"
                        + " AND queue = ? AND state = 'WAITING' AND expires_at > ? AND rank >= ?) THEN agent END AS agent, claim_until FROM here)"
                        + " INSERT INTO " + o + " (tenant_id, offer_id, queue, session_id, context_id, ticket_unsigned, target_id, priority,"
                        + " rank, timeout_ms, owner, enqueued_at, expires_at, purge_after, state, claimed_by, claim_until, claims)"
                        + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN agent IS NULL THEN 'WAITING' ELSE 'CLAIMED' END, agent,"
                        + " CASE WHEN agent IS NULL THEN NULL ELSE claim_until END, CASE WHEN agent IS NULL THEN 0 ELSE 1 END FROM taker"
                        // a waiting offer is announced only when an agent of the queue is signed in on another instance, read
                        // in the insert's snapshot (OwnerOffers.insert); a claimed one is for nobody else
                        + " RETURNING state, state = 'WAITING' AND EXISTS (SELECT 1 FROM " + a + " WHERE tenant_id = ? AND queue = ?"
                        + " AND instance_id <> ? AND lease_until > ?)",
                // claims the best waiting offers for up to n agents waiting here in one statement: the first agent of the
                // array gets the best offer, the second the next, and so on. The locking subquery is MATERIALIZED, so it
                // runs once: joined as UPDATE ... FROM a subquery the planner could rescan it per row and claim more
                // offers than agents (seen under load with the one-offer form: offers stuck CLAIMED until the accept
                // timeout). The claim runs in auto-commit, and its commit does not wait for its WAL flush
                // (synchronous_commit off for its own transaction, set in the final SELECT's one-time filter, in effect
                // when the statement's implicit transaction commits), so it does not queue the durable commits
                // (contexts, offers, accepts) behind one more flush: a claim lost in a database crash only puts the
                // offer back to WAITING, and the agent's accept, fenced on agent and claim count, then matches no row
                "WITH locked AS MATERIALIZED (SELECT offer_id, rank, enqueued_at, " + Tenancy.LOCKED_ROW + " FROM " + o
                        + " WHERE tenant_id = ? AND queue = ?"
                        + " AND state = 'WAITING' AND expires_at > ? ORDER BY rank DESC, enqueued_at LIMIT ? FOR UPDATE SKIP LOCKED),"
                        + " picked AS MATERIALIZED (SELECT offer_id, row_at, row_number() OVER (ORDER BY rank DESC, enqueued_at) AS n"
                        + " FROM locked),"
                        + " agents AS MATERIALIZED (SELECT agent_id, n FROM unnest(?::text[]) WITH ORDINALITY AS a (agent_id, n)),"
                        + " claimed AS (UPDATE " + o + " AS x SET state = 'CLAIMED', claimed_by = agents.agent_id, claim_until = ?,"
                        + " claims = x.claims + 1 FROM picked JOIN agents ON agents.n = picked.n WHERE x.ctid = picked.row_at"
                        + " AND x.tenant_id = ? AND x.offer_id = picked.offer_id AND x.state = 'WAITING'"
                        + " RETURNING x.offer_id, x.session_id, x.context_id, x.ticket_unsigned, x.target_id, x.priority, x.timeout_ms,"
                        + " x.claims, x.claimed_by, picked.n, x.owner)"
                        + " SELECT offer_id, session_id, context_id, ticket_unsigned, target_id, priority, timeout_ms, claims, claimed_by, n,"
                        + " owner FROM claimed WHERE (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL ORDER BY n",
                "UPDATE " + o + " SET state = 'ACCEPTED', decided_at = ? WHERE tenant_id = ? AND offer_id = ? AND state = 'CLAIMED'"
                        + " AND claimed_by = ? AND claims = ? AND expires_at > ? RETURNING owner",
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
