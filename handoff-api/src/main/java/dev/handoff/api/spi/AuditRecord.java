package dev.handoff.api.spi;

import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who did what, when, with what outcome. Deliberately has no free-text field: an audit record can never carry
 * transcript text or customer data, only ids and short outcome codes.
 *
 * @param at        when
 * @param actor     who: {@code "bot"}, {@code "system"}, or an agent id
 * @param action    what
 * @param sessionId the conversation
 * @param contextId nullable; the context concerned
 * @param outcome   a short code ({@code "ok"}, {@code "connected"}, {@code "TIMED_OUT"}, {@code "c-2:CORRECTED"}):
 *                  1-64 characters of letters, digits and {@code _ . : -}
 */
public record AuditRecord(Instant at, String actor, Action action, SessionId sessionId, String contextId, String outcome) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

    /** What was done. */
    public enum Action {
        HANDOFF_REQUESTED, CONTEXT_PACKAGED, CONTEXT_VIEWED, CONTEXT_READ_CONFIRMED, TICKET_REDEEMED, TICKET_REFUSED,
        TRANSFER_ATTEMPTED,
        HANDOFF_CONNECTED, RETURNED_TO_BOT, COMMITMENT_CONFIRMED, COMMITMENT_CORRECTED, COMMITMENT_REVOKED,
        /** Every stored row of a customer was removed on request ({@link DataRetention#eraseCustomer}). */
        CUSTOMER_DATA_ERASED
    }

    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(sessionId, "sessionId");
        if (actor == null || !CODE.matcher(actor).matches()) {
            throw new IllegalArgumentException("audit actor must be 1-64 characters of [A-Za-z0-9_.:-], was \"" + actor + "\"");
        }
        if (outcome == null || !CODE.matcher(outcome).matches()) {
            throw new IllegalArgumentException("audit outcome must be a short code of [A-Za-z0-9_.:-], was \"" + outcome + "\"");
        }
    }
}
