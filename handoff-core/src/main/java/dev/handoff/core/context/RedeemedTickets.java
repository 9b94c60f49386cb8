package dev.handoff.core.context;

import dev.handoff.api.SessionId;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which single-use tickets were redeemed, for {@link TicketRedeemer}. The default, {@link #inMemory}, holds
 * within one process only; several instances serving one contact centre share one record instead (handoff-postgres'
 * {@code PostgresRedeemedTickets}, set on the builder with {@code Handoff.Builder.redeemedTickets}), so a ticket
 * redeemed on one instance is refused on every other.
 *
 * <p>Called by {@link TicketRedeemer} on the redeeming thread, after the ticket, its binding and the context were
 * checked, and only for tickets whose {@link TicketScope#singleUse()} is set. Implementations are thread-safe and
 * atomic: of concurrent claims of one ticket exactly one returns true.
 */
public interface RedeemedTickets {

    /**
     * One redemption of a verified single-use ticket.
     *
     * @param ticketId  the ticket's unique id (its MAC; store a hash of it, never the ticket)
     * @param contextId the context it stands for
     * @param session   the context's conversation (so erasing a customer's data can find the record)
     * @param actor     who redeems it
     * @param at        when
     * @param expiresAt after this the ticket is refused anyway, so the record may be forgotten
     */
    record Claim(String ticketId, String contextId, SessionId session, String actor, Instant at, Instant expiresAt) {
        /**
         * Checks the components.
         *
         * @param ticketId  the ticket's unique id (its MAC; store a hash of it, never the ticket)
         * @param contextId the context it stands for
         * @param session   the context's conversation (so erasing a customer's data can find the record)
         * @param actor     who redeems it
         * @param at        when
         * @param expiresAt after this the ticket is refused anyway, so the record may be forgotten
         * @throws NullPointerException when {@code ticketId}, {@code contextId}, {@code session}, {@code actor},
         *                              {@code at} or {@code expiresAt} is null
         */
        public Claim {
            Objects.requireNonNull(ticketId, "ticketId");
            Objects.requireNonNull(contextId, "contextId");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "Claim[context " + contextId + ", session " + session + ", actor " + actor + ", at " + at + "]";
        }
    }

    /**
     * Records a redemption atomically.
     *
     * @param claim the ticket's id, context, session, redeemer and expiry
     * @return true for the first redemption, false when it was already redeemed
     * @throws dev.handoff.api.HandoffException when the record cannot be reached (nothing was recorded: the
     *                                          redemption is refused)
     */
    boolean claim(Claim claim);

    /**
     * Within this process only; entries are dropped once their ticket has expired.
     *
     * @param clock tells when a ticket has expired
     * @return a new, empty record
     */
    static RedeemedTickets inMemory(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Map<String, Instant> used = new ConcurrentHashMap<>();
        return claim -> {
            Instant now = clock.instant();
            used.values().removeIf(e -> !now.isBefore(e));
            return used.putIfAbsent(claim.ticketId(), claim.expiresAt()) == null;
        };
    }
}
