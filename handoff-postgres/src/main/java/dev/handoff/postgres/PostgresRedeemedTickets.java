package dev.handoff.postgres;

import dev.handoff.core.context.RedeemedTickets;
import dev.handoff.postgres.internal.Tenancy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Single use across instances: core's {@link RedeemedTickets} on the {@code tickets} table, so a single-use ticket
 * ({@code TicketScope.once()}) redeemed on one instance is refused on every other. {@link PostgresHandoffStores#applyTo}
 * sets it on the Handoff ({@code Handoff.Builder.redeemedTickets}).
 *
 * <p>Core's {@code TicketRedeemer} stays the one path that redeems a ticket: it checks the MAC, the expiry, the agent
 * or tenant binding and the context's signature, then {@linkplain #claim claims} the ticket here, and audits every
 * attempt, refused ones included ({@code TICKET_REDEEMED} / {@code TICKET_REFUSED} in {@code audit_records} with the
 * actor). This store only answers "first redemption or not": one {@code INSERT ... ON CONFLICT DO NOTHING} on
 * {@code (tenant_id, ticket_hash)}, so of concurrent claims on any instances exactly one inserts the row.
 *
 * <p>Only the SHA-256 of the ticket's id (its MAC) is stored, never the ticket, which is a bearer credential. A row
 * is kept until its ticket has expired and the retention has passed ({@link PostgresDataRetention}); erasing a
 * customer removes it with the session.
 *
 * <p>Called on the redeeming thread (the desktop's request thread). Thread-safe. Failures: a
 * {@link dev.handoff.api.RetriableHandoffException} while the database is unavailable (nothing was recorded, so the
 * redemption is refused and may be tried again). Created by {@link PostgresHandoffStores}.
 */
public final class PostgresRedeemedTickets implements RedeemedTickets {

    private final Tenancy t;
    private final String claimSql;

    PostgresRedeemedTickets(Tenancy tenancy) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.claimSql = "INSERT INTO " + t.table("tickets") + " (tenant_id, ticket_hash, context_id, session_id, redeemed_by, redeemed_at,"
                + " expires_at, purge_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, ticket_hash) DO NOTHING";
    }

    /** @return true when this is the ticket's first redemption in this tenant, on any instance */
    @Override
    public boolean claim(Claim claim) {
        Objects.requireNonNull(claim, "claim");
        Instant keepUntil = claim.expiresAt().isAfter(claim.at()) ? claim.expiresAt() : claim.at();
        int inserted = t.jdbc().autoCommit("recording the redemption of a ticket for context " + claim.contextId() + " by " + claim.actor(), c -> {
            try (PreparedStatement p = c.prepareStatement(claimSql)) {
                p.setString(1, t.tenant());
                p.setString(2, hash(claim.ticketId()));
                p.setString(3, claim.contextId());
                p.setString(4, claim.session().value());
                p.setString(5, claim.actor());
                p.setObject(6, Tenancy.ts(claim.at()));
                p.setObject(7, Tenancy.ts(claim.expiresAt()));
                p.setObject(8, Tenancy.ts(t.purgeAfter(keepUntil)));
                return p.executeUpdate();
            }
        });
        return inserted == 1;
    }

    static String hash(String ticketId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ticketId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
