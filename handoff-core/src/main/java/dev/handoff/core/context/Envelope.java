package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.context.HandoffContext;
import java.util.Objects;

/**
 * What one destination receives: never a silently truncated document. Either the whole (redacted, re-signed)
 * context, or a summary context whose transcript holds only the most recent turns with a
 * {@code transcriptPaging} extension saying how many turns were left out and how to fetch them (the ticket and the
 * page size), or, when even that does not fit, only the ticket.
 *
 * @param form        which of the three
 * @param destination the destination's name
 * @param contextId   the full context's id (the ticket redeems it)
 * @param ticket      the signed ticket for the full context
 * @param context     nullable (null for {@link Form#TICKET_ONLY}); the signed document to send
 * @param bytes       the serialised size of {@code context} (0 for TICKET_ONLY)
 * @param totalTurns  turns in the full transcript
 * @param sentTurns   turns included in {@code context}
 * @param note        a sentence for logs and the destination ("12 of 300 turns included; page the rest with the ticket")
 */
public record Envelope(Form form, String destination, String contextId, String ticket, @Nullable HandoffContext context, int bytes,
                       int totalTurns, int sentTurns, String note) {

    /** How much of the context went. */
    public enum Form {
        /** Everything. */
        FULL,
        /** Whisper, ledger, sentiment, commitments and the latest turns; the rest is paged with the ticket. */
        SUMMARY,
        /** Just the ticket: the destination redeems it for the context. */
        TICKET_ONLY
    }

    /**
     * Checks the components.
     *
     * @param form        which of the three
     * @param destination the destination's name
     * @param contextId   the full context's id (the ticket redeems it)
     * @param ticket      the signed ticket for the full context
     * @param context     nullable (null for {@link Form#TICKET_ONLY}); the signed document to send
     * @param bytes       the serialised size of {@code context} (0 for TICKET_ONLY)
     * @param totalTurns  turns in the full transcript
     * @param sentTurns   turns included in {@code context}
     * @param note        a sentence for logs and the destination ("12 of 300 turns included; page the rest with the
     *                    ticket")
     * @throws NullPointerException when {@code form}, {@code destination}, {@code contextId}, {@code ticket} or
     *                              {@code note} is null, or {@code context} is null for a form other than TICKET_ONLY
     */
    public Envelope {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(note, "note");
        if (form != Form.TICKET_ONLY) {
            Objects.requireNonNull(context, "context");
        }
    }
}
