package dev.handoff.core.context;

import dev.handoff.api.NonRetriableHandoffException;
import java.util.Optional;

/**
 * A ticket was refused. The message names the reason and never quotes attacker-supplied text beyond a context id
 * whose MAC held; {@link #reason()} is the code written to the audit trail.
 */
public final class TicketException extends NonRetriableHandoffException {

    /** Why; {@link #code()} is the audit outcome. */
    public enum Reason {
        MALFORMED, UNKNOWN_KEY, FORGED, EXPIRED, WRONG_AGENT, WRONG_TENANT, ALREADY_USED, UNKNOWN_CONTEXT, CONTEXT_REFUSED;

        /** {@code wrong-agent}: the audit record's outcome. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final String contextId;

    TicketException(Reason reason, String contextId, String message) {
        super(message);
        this.reason = reason;
        this.contextId = contextId;
    }

    TicketException(Reason reason, String contextId, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.contextId = contextId;
    }

    public Reason reason() {
        return reason;
    }

    /** The context the ticket stands for, when its MAC held (so the id is ours, not an attacker's). */
    public Optional<String> contextId() {
        return Optional.ofNullable(contextId);
    }
}
