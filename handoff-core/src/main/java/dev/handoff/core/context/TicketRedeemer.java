package dev.handoff.core.context;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.ContextStore;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redeems a ticket for its context: checks the ticket (MAC, expiry, binding to the {@link Redeemer}'s actor or
 * tenant), finds the context, verifies its signature and expiry, enforces single use, and writes one audit record
 * for every attempt — {@code TICKET_REDEEMED ok}, or {@code TICKET_REFUSED} with the reason's code
 * ({@code expired}, {@code wrong-agent}, {@code already-used}, ...) — always with the actor. A refused attempt whose
 * ticket did not verify records no context id (it would be the attacker's text) and the session
 * {@link #UNKNOWN_SESSION}.
 *
 * <p>Single use is recorded in the {@link RedeemedTickets} given (shared by every instance on PostgreSQL:
 * handoff-postgres' {@code PostgresRedeemedTickets}); by default in this process's memory. When that record cannot
 * be reached the redemption is refused, audited with the outcome {@code unavailable}, and the store's error is thrown.
 *
 * <p>Thread-safe. Called by whatever hands a context to a person (the desktop's request thread, an agent phone).
 */
public final class TicketRedeemer {

    /** The session recorded for a refused ticket that did not verify, so no session is known. */
    public static final SessionId UNKNOWN_SESSION = SessionId.of("unknown");

    private static final Logger LOG = LoggerFactory.getLogger(TicketRedeemer.class);

    private final Tickets tickets;
    private final ContextStore store;
    private final ContextSigner signer;
    private final AuditSink audit;
    private final Clock clock;
    private final RedeemedTickets redeemed;

    /**
     * Single use recorded in this process's memory ({@link RedeemedTickets#inMemory}).
     *
     * @param tickets checks the ticket's MAC, expiry and binding
     * @param store   holds the contexts tickets stand for
     * @param signer  verifies the stored context's signature and expiry
     * @param audit   gets one record per attempt, refused ones included
     * @param clock   stamps the audit records
     */
    public TicketRedeemer(Tickets tickets, ContextStore store, ContextSigner signer, AuditSink audit, Clock clock) {
        this(tickets, store, signer, audit, clock, RedeemedTickets.inMemory(clock));
    }

    /**
     * Single use recorded in {@code redeemed}.
     *
     * @param tickets checks the ticket's MAC, expiry and binding
     * @param store   holds the contexts tickets stand for
     * @param signer  verifies the stored context's signature and expiry
     * @param audit   gets one record per attempt, refused ones included
     * @param clock   stamps the audit records
     * @param redeemed where single use is recorded (one record shared by every instance that serves these tickets) */
    public TicketRedeemer(Tickets tickets, ContextStore store, ContextSigner signer, AuditSink audit, Clock clock,
                          RedeemedTickets redeemed) {
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.redeemed = Objects.requireNonNull(redeemed, "redeemed");
    }

    /**
     * Redeems a ticket for its context: checks the ticket (MAC, expiry, binding to {@code who}), reads the context,
     * verifies its signature and expiry, and records single use when the ticket asks for it. Thread-safe; called by
     * whoever redeems tickets (the desktop's request threads, {@code Handoff.redeem}).
     *
     * @param ticket the ticket as received (attacker-supplied; checked before anything reads it)
     * @param who    the redeemer: actor and, for tenant-bound tickets, tenant
     * @return the verified context
     * @throws TicketException naming the reason; the attempt is audited either way
     */
    public HandoffContext redeem(String ticket, Redeemer who) {
        Objects.requireNonNull(who, "who");
        Tickets.Ticket checked;
        try {
            checked = tickets.check(ticket, who);
        } catch (TicketException e) {
            refused(who, e);
            throw e;
        }
        String contextId = checked.contextId();
        HandoffContext context = store.get(contextId).orElse(null);
        if (context == null) {
            TicketException e = new TicketException(TicketException.Reason.UNKNOWN_CONTEXT, contextId,
                    "no stored context " + contextId + " for this ticket");
            refused(who, e);
            throw e;
        }
        HandoffContext verified;
        try {
            verified = signer.verify(context);
        } catch (NonRetriableHandoffException e) {
            TicketException refused = new TicketException(TicketException.Reason.CONTEXT_REFUSED, contextId, e.getMessage(), e);
            refused(who, refused);
            throw refused;
        }
        if (checked.scope().singleUse() && !claim(checked, verified, who)) {
            TicketException e = new TicketException(TicketException.Reason.ALREADY_USED, contextId,
                    "ticket for context " + contextId + " was already redeemed");
            refused(who, e);
            throw e;
        }
        record(who, AuditRecord.Action.TICKET_REDEEMED, verified.sessionId(), contextId, "ok");
        return verified;
    }

    private boolean claim(Tickets.Ticket checked, HandoffContext context, Redeemer who) {
        try {
            return redeemed.claim(new RedeemedTickets.Claim(checked.id(), checked.contextId(), context.sessionId(), who.actor(),
                    clock.instant(), checked.expiresAt()));
        } catch (RuntimeException e) {
            record(who, AuditRecord.Action.TICKET_REFUSED, context.sessionId(), checked.contextId(), "unavailable");
            throw e;
        }
    }

    private void refused(Redeemer who, TicketException e) {
        String contextId = e.contextId().orElse(null);
        SessionId session = contextId == null ? UNKNOWN_SESSION
                : store.get(contextId).map(HandoffContext::sessionId).orElse(UNKNOWN_SESSION);
        record(who, AuditRecord.Action.TICKET_REFUSED, session, contextId, e.reason().code());
    }

    private void record(Redeemer who, AuditRecord.Action action, SessionId session, String contextId, String outcome) {
        try {
            audit.record(new AuditRecord(clock.instant(), who.actor(), action, session, contextId, outcome));
        } catch (RuntimeException e) {
            LOG.warn("Audit sink failed to record {} by {} for context {}", action, who.actor(), contextId, e);
        }
    }
}
