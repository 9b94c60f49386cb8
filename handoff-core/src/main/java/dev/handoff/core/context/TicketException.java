package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.NonRetriableHandoffException;
import java.util.Optional;

/**
 * A ticket was refused. The message names the reason and never quotes attacker-supplied text beyond a context id
 * whose MAC held; {@link #reason()} is the code written to the audit trail.
 */
public final class TicketException extends NonRetriableHandoffException {

    /** Why; {@link #code()} is the audit outcome. */
    public enum Reason {
        /** Not a ticket: wrong shape, too long, missing. */
        MALFORMED,
        /** Signed with a key id this instance does not hold (retired, or another deployment's). */
        UNKNOWN_KEY,
        /** The MAC does not verify: altered or made up. */
        FORGED,
        /** Past its expiry. */
        EXPIRED,
        /** Bound to another agent than the redeemer. */
        WRONG_AGENT,
        /** Bound to another tenant than the redeemer's. */
        WRONG_TENANT,
        /** A single-use ticket that was already redeemed. */
        ALREADY_USED,
        /** The ticket is genuine but no context is stored under its id (purged, erased, another store). */
        UNKNOWN_CONTEXT,
        /** The stored context failed its own checks (signature, expiry). */
        CONTEXT_REFUSED;

        /**
         * The audit record's outcome for this reason.
         *
         * @return the name in lower case with dashes ({@code wrong-agent})
         */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Why the ticket was refused. */
    private final Reason reason;
    /** The context id, when the MAC held; null otherwise. */
    private final @Nullable String contextId;

    TicketException(Reason reason, @Nullable String contextId, String message) {
        super(message);
        this.reason = reason;
        this.contextId = contextId;
    }

    TicketException(Reason reason, @Nullable String contextId, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.contextId = contextId;
    }

    /**
     * Why the ticket was refused; {@link Reason#code()} is the audit outcome.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The context the ticket stands for, when its MAC held (so the id is ours, not an attacker's).
     *
     * @return the context id, or empty when the ticket was malformed, forged or signed by an unknown key
     */
    public Optional<String> contextId() {
        return Optional.ofNullable(contextId);
    }
}
