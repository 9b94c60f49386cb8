package dev.handoff.core.context;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which single-use tickets were redeemed. A {@code ContextStore} that implements it (the PostgreSQL store,
 * so every instance sees one record) is used by {@link TicketRedeemer}; otherwise {@link #inMemory} holds within
 * one process only. Thread-safe.
 */
public interface RedeemedTickets {

    /**
     * Records a redemption atomically.
     *
     * @param ticketId  the ticket's unique id (its MAC)
     * @param expiresAt after this the ticket is refused anyway, so the record may be forgotten
     * @return true for the first redemption, false when it was already redeemed
     */
    boolean claim(String ticketId, Instant expiresAt);

    /** Within this process only; entries are dropped once their ticket has expired. */
    static RedeemedTickets inMemory(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        Map<String, Instant> used = new ConcurrentHashMap<>();
        return (ticketId, expiresAt) -> {
            Instant now = clock.instant();
            used.values().removeIf(e -> !now.isBefore(e));
            return used.putIfAbsent(ticketId, expiresAt) == null;
        };
    }
}
