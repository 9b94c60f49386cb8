package dev.handoff.sip;

/**
 * One place in the SIP signalling where the context ticket can travel from the bot to the agent's side. Each has a
 * way to be lost on real networks; {@link TicketCarriage} puts the ticket in every enabled one and reads them back
 * in order, and {@link TransferCorrelations} redeems a ticket when all of them were stripped.
 */
public enum TicketCarrier {
    /**
     * RFC 7433 {@code User-to-User} header (lower-case hex by default, with the configured {@code purpose}): on the
     * consult INVITE, and as an escaped header of the Refer-To URI. Lost when the customer's phone does not copy
     * Refer-To URI headers into its INVITE (baresip 1.0.0) or a proxy removes unknown headers.
     */
    USER_TO_USER,
    /**
     * An {@code X-} header ({@code X-Handoff-Ticket} by default), carried like User-to-User. Lost in the same cases,
     * and by SBCs that strip {@code X-} headers.
     */
    X_HEADER,
    /**
     * A parameter of the target URI ({@code ;x-handoff=<ticket>}): the phone puts the Refer-To URI in the
     * Request-URI <em>and</em> the To header of its INVITE. A registrar that retargets the call (Kamailio
     * {@code lookup}) rewrites the Request-URI, but the To header keeps the parameter.
     */
    TO_URI_PARAMETER,
    /**
     * A parameter of the Referred-By URI (RFC 3892), which a compliant phone copies into the INVITE it sends to the
     * transfer target. baresip 1.0.0 sends no Referred-By. REFER only.
     */
    REFERRED_BY
}
