package dev.handoff.postgres;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Single-use tickets across instances: a ticket is {@linkplain #register registered} when it is issued (optionally
 * bound to one agent), can be {@linkplain #redeem redeemed} once, by that agent when bound, before it expires; and
 * every attempt, refused ones included, is recorded ({@link #attempts}).
 *
 * <p>This store does not check a ticket's signature: the caller verifies it first (core's {@code Tickets.redeem}
 * checks the MAC and the expiry) and then asks this store whether this actor may have it now. Only the SHA-256 of
 * a ticket is stored, never the ticket, which is a bearer credential; messages name the context, never the ticket.
 *
 * <p>Who calls what: the runtime calls {@link #register} right after issuing a ticket and {@link #redeem} on the
 * thread that redeems (the desktop's request thread). Two instances redeeming the same ticket at once are
 * serialised on its row: exactly one gets {@link Outcome#REDEEMED}. Thread-safe. Created by
 * {@link PostgresHandoffStores}.
 */
public final class PostgresTicketRedemptions {

    /** What a redemption attempt came to. */
    public enum Outcome {
        /** The first redemption, by an allowed actor, before expiry: the caller may show the context. */
        REDEEMED,
        /** No ticket with this value was registered for this tenant. */
        UNKNOWN_TICKET,
        /** The ticket is bound to another agent. */
        WRONG_AGENT,
        /** The ticket's expiry has passed. */
        EXPIRED,
        /** Someone redeemed it before. */
        ALREADY_REDEEMED
    }

    /**
     * A ticket as issued.
     *
     * @param ticket     the ticket text (only its hash is stored)
     * @param contextId  the context it stands for
     * @param session    the conversation
     * @param boundAgent nullable; the only agent who may redeem it (1-64 characters of {@code [A-Za-z0-9_.:-]})
     * @param expiresAt  when it stops being redeemable
     */
    public record Grant(String ticket, String contextId, SessionId session, String boundAgent, Instant expiresAt) {
        public Grant {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(contextId, "contextId");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (ticket.isEmpty()) {
                throw new IllegalArgumentException("ticket must not be empty");
            }
            if (boundAgent != null) {
                Texts.requireCode("boundAgent", boundAgent);
            }
        }

        @Override
        public String toString() {
            return "Grant[context " + contextId + ", session " + session + ", boundAgent " + boundAgent + ", expiresAt " + expiresAt + "]";
        }
    }

    /**
     * One redemption attempt.
     *
     * @param outcome   what it came to
     * @param actor     who tried
     * @param at        when
     * @param contextId nullable (unknown ticket); the context the ticket stands for
     * @param session   nullable (unknown ticket); its conversation
     * @param reason    one sentence for a refusal (empty when redeemed); ids only
     */
    public record Redemption(Outcome outcome, String actor, Instant at, String contextId, SessionId session, String reason) {
        public Redemption {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }

        public boolean redeemed() {
            return outcome == Outcome.REDEEMED;
        }

        /**
         * @return the context id when redeemed
         * @throws NonRetriableHandoffException with the reason when refused
         */
        public String contextIdOrThrow() {
            if (!redeemed()) {
                throw new NonRetriableHandoffException(reason);
            }
            return contextId;
        }
    }

    private final Tenancy t;
    private final String registerSql;
    private final String registeredSql;
    private final String lockSql;
    private final String redeemSql;
    private final String attemptSql;
    private final String attemptsByTicketSql;
    private final String attemptsBySessionSql;

    PostgresTicketRedemptions(Tenancy tenancy) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        String tickets = t.table("tickets");
        String redemptions = t.table("ticket_redemptions");
        this.registerSql = "INSERT INTO " + tickets + " (tenant_id, ticket_hash, context_id, session_id, bound_agent, issued_at, expires_at,"
                + " purge_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, ticket_hash) DO NOTHING";
        this.registeredSql = "SELECT context_id, bound_agent FROM " + tickets + " WHERE tenant_id = ? AND ticket_hash = ?";
        this.lockSql = "SELECT context_id, session_id, bound_agent, expires_at, redeemed_by, redeemed_at FROM " + tickets
                + " WHERE tenant_id = ? AND ticket_hash = ? FOR UPDATE";
        this.redeemSql = "UPDATE " + tickets + " SET redeemed_by = ?, redeemed_at = ? WHERE tenant_id = ? AND ticket_hash = ?";
        this.attemptSql = "INSERT INTO " + redemptions + " (tenant_id, ticket_hash, actor, outcome, at, context_id, session_id, purge_after)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        String cols = "SELECT outcome, actor, at, context_id, session_id FROM " + redemptions;
        this.attemptsByTicketSql = cols + " WHERE tenant_id = ? AND ticket_hash = ? ORDER BY seq";
        this.attemptsBySessionSql = cols + " WHERE tenant_id = ? AND session_id = ? ORDER BY seq";
    }

    /**
     * Registers an issued ticket. Registering the same ticket again for the same context and agent does nothing.
     *
     * @throws NonRetriableHandoffException when the ticket was registered for another context or agent
     */
    public void register(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        Instant now = t.now();
        String hash = hash(grant.ticket());
        t.jdbc().transaction("registering a ticket for context " + grant.contextId(), c -> {
            try (PreparedStatement p = c.prepareStatement(registerSql)) {
                p.setString(1, t.tenant());
                p.setString(2, hash);
                p.setString(3, grant.contextId());
                p.setString(4, grant.session().value());
                p.setString(5, grant.boundAgent());
                p.setObject(6, Tenancy.ts(now));
                p.setObject(7, Tenancy.ts(grant.expiresAt()));
                p.setObject(8, Tenancy.ts(t.purgeAfter(grant.expiresAt().isAfter(now) ? grant.expiresAt() : now)));
                if (p.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement p = c.prepareStatement(registeredSql)) {
                p.setString(1, t.tenant());
                p.setString(2, hash);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    if (!grant.contextId().equals(rs.getString(1)) || !Objects.equals(grant.boundAgent(), rs.getString(2))) {
                        throw new NonRetriableHandoffException("this ticket is already registered for context " + rs.getString(1)
                                + " and agent " + rs.getString(2) + "; it cannot be registered again for context " + grant.contextId()
                                + " and agent " + grant.boundAgent());
                    }
                }
            }
            return null;
        });
    }

    /**
     * Redeems a ticket for {@code actor} if it is registered, not bound to someone else, not expired and not redeemed
     * before; records the attempt either way. Exactly one of concurrent redemptions of one ticket succeeds.
     *
     * @param actor who redeems (an agent id): 1-64 characters of {@code [A-Za-z0-9_.:-]}
     * @return the attempt; {@link Redemption#contextIdOrThrow()} gives the context id or throws the refusal
     * @throws dev.handoff.api.RetriableHandoffException while the database is unavailable (nothing was redeemed)
     */
    public Redemption redeem(String ticket, String actor) {
        Objects.requireNonNull(ticket, "ticket");
        Texts.requireCode("actor", actor);
        Instant now = t.now();
        String hash = hash(ticket);
        return t.jdbc().transaction("redeeming a ticket for " + actor, c -> {
            Redemption r;
            try (PreparedStatement p = c.prepareStatement(lockSql)) {
                p.setString(1, t.tenant());
                p.setString(2, hash);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        r = new Redemption(Outcome.UNKNOWN_TICKET, actor, now, null, null,
                                "ticket refused for " + actor + ": no such ticket was issued (or it was purged or erased)");
                    } else {
                        r = decide(actor, now, rs.getString(1), SessionId.of(rs.getString(2)), rs.getString(3),
                                Tenancy.instant(rs.getObject(4, OffsetDateTime.class)), rs.getString(5), Tenancy.instant(rs.getObject(6, OffsetDateTime.class)));
                    }
                }
            }
            if (r.redeemed()) {
                try (PreparedStatement p = c.prepareStatement(redeemSql)) {
                    p.setString(1, actor);
                    p.setObject(2, Tenancy.ts(now));
                    p.setString(3, t.tenant());
                    p.setString(4, hash);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement(attemptSql)) {
                p.setString(1, t.tenant());
                p.setString(2, hash);
                p.setString(3, actor);
                p.setString(4, r.outcome().name());
                p.setObject(5, Tenancy.ts(now));
                p.setString(6, r.contextId());
                p.setString(7, r.session() == null ? null : r.session().value());
                p.setObject(8, Tenancy.ts(t.purgeAfter(now)));
                p.executeUpdate();
            }
            return r;
        });
    }

    private static Redemption decide(String actor, Instant now, String contextId, SessionId session, String boundAgent, Instant expiresAt,
                                     String redeemedBy, Instant redeemedAt) {
        String refused = "ticket for context " + contextId + " refused for " + actor + ": ";
        if (boundAgent != null && !boundAgent.equals(actor)) {
            return new Redemption(Outcome.WRONG_AGENT, actor, now, contextId, session, refused + "it is bound to another agent");
        }
        if (!now.isBefore(expiresAt)) {
            return new Redemption(Outcome.EXPIRED, actor, now, contextId, session, refused + "it expired at " + expiresAt);
        }
        if (redeemedAt != null) {
            return new Redemption(Outcome.ALREADY_REDEEMED, actor, now, contextId, session,
                    refused + "it was already redeemed by " + redeemedBy + " at " + redeemedAt);
        }
        return new Redemption(Outcome.REDEEMED, actor, now, contextId, session, "");
    }

    /** Every redemption attempt of a ticket, oldest first. */
    public List<Redemption> attempts(String ticket) {
        Objects.requireNonNull(ticket, "ticket");
        return attempts("reading the redemptions of a ticket", attemptsByTicketSql, hash(ticket));
    }

    /** Every redemption attempt of the session's tickets, oldest first. */
    public List<Redemption> attempts(SessionId session) {
        Objects.requireNonNull(session, "session");
        return attempts("reading the ticket redemptions of session " + session, attemptsBySessionSql, session.value());
    }

    private List<Redemption> attempts(String what, String sql, String key) {
        return t.jdbc().autoCommit(what, c -> {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, t.tenant());
                p.setString(2, key);
                try (ResultSet rs = p.executeQuery()) {
                    List<Redemption> out = new ArrayList<>();
                    while (rs.next()) {
                        String s = rs.getString(5);
                        Outcome o = Outcome.valueOf(rs.getString(1));
                        out.add(new Redemption(o, rs.getString(2), Tenancy.instant(rs.getObject(3, OffsetDateTime.class)), rs.getString(4),
                                s == null ? null : SessionId.of(s), o == Outcome.REDEEMED ? "" : o.name()));
                    }
                    return List.copyOf(out);
                }
            }
        });
    }

    static String hash(String ticket) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
