package dev.handoff.postgres;

import dev.handoff.postgres.internal.Tenancy;

/**
 * The statements of {@link OwnershipWriter} (a handoff's start, phase and outcome, the lease renewal, the instance's
 * heartbeat row), with the schema spliced in once (a validated identifier). Every statement names {@code tenant_id}
 * ({@code TenantIsolationTest} reads this record). Immutable.
 */
record OwnershipSql(String insert, String move, String finish, String renew, String instance) {
    static OwnershipSql of(Tenancy t) {
        String h = t.table("handoffs");
        return new OwnershipSql(
                "INSERT INTO " + h + " (tenant_id, handoff_id, session_id, channel, phase, owner, lease_until, requested_at, wait_until,"
                        + " updated_at, purge_after) VALUES (?, ?, ?, ?, 'REQUESTED', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                "UPDATE " + h + " SET phase = ?, context_id = COALESCE(?, context_id), updated_at = ? WHERE tenant_id = ? AND handoff_id = ?"
                        + " AND owner = ? AND fence = ?",
                "UPDATE " + h + " SET outcome = ?, outcome_cause = ?, updated_at = ?, purge_after = ? WHERE tenant_id = ? AND handoff_id = ?"
                        + " AND owner = ? AND fence = ?",
                "UPDATE " + h + " SET lease_until = ? WHERE tenant_id = ? AND owner = ? AND outcome IS NULL AND handoff_id = ANY(?)"
                        + " RETURNING handoff_id, fence",
                "INSERT INTO " + t.table("instances") + " AS i (tenant_id, instance_id, started_at, heartbeat_at, lease_until)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, instance_id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at,"
                        + " lease_until = EXCLUDED.lease_until");
    }
}
