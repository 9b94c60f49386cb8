package dev.handoff.postgres;

import dev.handoff.postgres.internal.Tenancy;

/**
 * The statements of {@link OwnershipWriter} (a burst of handoff starts, phases and outcomes as one statement, see
 * {@link OwnershipBurst}; the lease renewal; the instance's heartbeat row), with the schema spliced in once (a
 * validated identifier). Every statement names {@code tenant_id} ({@code TenantIsolationTest} reads this record).
 * Immutable.
 */
record OwnershipSql(String burst, String renew, String instance) {

    /** The burst statement's first words (for tests that count bursts). */
    static final String BURST = "WITH started AS (INSERT INTO ";

    static OwnershipSql of(Tenancy t) {
        String h = t.table("handoffs");
        return new OwnershipSql(
                BURST + h + " (tenant_id, handoff_id, session_id, channel, phase, context_id, owner, lease_until, requested_at,"
                        + " wait_until, updated_at, purge_after, outcome, outcome_cause)"
                        + " SELECT ?, u.handoff_id, u.session_id, u.channel, u.phase, u.context_id, ?, u.lease_until, u.requested_at,"
                        + " u.wait_until, u.updated_at, u.purge_after, u.outcome, u.outcome_cause"
                        + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],"
                        + " ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[])"
                        + " AS u (handoff_id, session_id, channel, phase, context_id, lease_until, requested_at, wait_until, updated_at,"
                        + " purge_after, outcome, outcome_cause)"
                        + " ON CONFLICT DO NOTHING)"
                        + " UPDATE " + h + " AS h SET phase = COALESCE(u.phase, h.phase), context_id = COALESCE(u.context_id, h.context_id),"
                        + " updated_at = u.updated_at, outcome = COALESCE(u.outcome, h.outcome),"
                        + " outcome_cause = COALESCE(u.outcome_cause, h.outcome_cause), purge_after = COALESCE(u.purge_after, h.purge_after)"
                        + " FROM unnest(?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::text[], ?::timestamptz[], ?::bigint[])"
                        + " AS u (handoff_id, phase, context_id, updated_at, outcome, outcome_cause, purge_after, fence)"
                        + " WHERE h.tenant_id = ? AND h.handoff_id = u.handoff_id AND h.owner = ? AND h.fence = u.fence"
                        + " RETURNING h.handoff_id",
                "UPDATE " + h + " SET lease_until = ? WHERE tenant_id = ? AND owner = ? AND outcome IS NULL AND handoff_id = ANY(?)"
                        + " RETURNING handoff_id, fence",
                "INSERT INTO " + t.table("instances") + " AS i (tenant_id, instance_id, started_at, heartbeat_at, lease_until)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, instance_id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at,"
                        + " lease_until = EXCLUDED.lease_until");
    }
}
