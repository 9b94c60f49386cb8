package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who may redeem a ticket. {@link #BEARER} (the default) lets anyone holding it redeem it until it expires; a ticket
 * bound to an agent redeems only for that actor, one bound to a tenant only for a redeemer of that tenant, and a
 * single-use one only once (where the store records redemptions: {@link RedeemedTickets}). The binding is covered by
 * the ticket's MAC but not written into it, so a ticket stays within {@link Tickets#MAX_LENGTH}.
 *
 * @param agentId   nullable; the only actor that may redeem it
 * @param tenant    nullable; the tenant the redeemer must belong to
 * @param singleUse true: the second redemption is refused
 */
public record TicketScope(@Nullable String agentId, @Nullable String tenant, boolean singleUse) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

    /** Anyone holding it, any number of times, until it expires. */
    public static final TicketScope BEARER = new TicketScope(null, null, false);

    /**
     * Checks the components.
     *
     * @param agentId   nullable; the only actor that may redeem it
     * @param tenant    nullable; the tenant the redeemer must belong to
     * @param singleUse true: the second redemption is refused
     * @throws IllegalArgumentException when a value is out of range; the message names it
     */
    public TicketScope {
        if (agentId != null && !ID.matcher(agentId).matches()) {
            throw new IllegalArgumentException("ticket agent id must be 1-64 characters of [A-Za-z0-9_.:-], was \""
                    + dev.handoff.core.internal.Text.safe(agentId) + "\"");
        }
        if (tenant != null && !ID.matcher(tenant).matches()) {
            throw new IllegalArgumentException("ticket tenant must be 1-64 characters of [A-Za-z0-9_.:-], was \""
                    + dev.handoff.core.internal.Text.safe(tenant) + "\"");
        }
    }

    /**
     * Bound to one agent (the redeemer's actor id).
     *
     * @param agentId the agent's id
     * @return a scope bound to that agent
     */
    public static TicketScope agent(String agentId) {
        return new TicketScope(Objects.requireNonNull(agentId, "agentId"), null, false);
    }

    /**
     * Bound to one tenant.
     *
     * @param tenant the tenant
     * @return a scope bound to that tenant
     */
    public static TicketScope tenant(String tenant) {
        return new TicketScope(null, Objects.requireNonNull(tenant, "tenant"), false);
    }

    /**
     * The same binding, redeemable once.
     *
     * @return a single-use copy
     */
    public TicketScope once() {
        return new TicketScope(agentId, tenant, true);
    }

    /**
     * The same binding, also bound to a tenant.
     *
     * @param value the tenant
     * @return a copy also bound to {@code value}
     */
    public TicketScope andTenant(String value) {
        return new TicketScope(agentId, Objects.requireNonNull(value, "tenant"), singleUse);
    }
}
