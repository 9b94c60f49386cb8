package dev.handoff.api.spi;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who did what, when, from where, with what outcome. Deliberately has no free-text field: an audit record can never
 * carry transcript text or customer data, only ids and short outcome codes.
 *
 * @param at            when
 * @param actor         who: {@code "bot"}, {@code "system"}, or an agent id
 * @param action        what
 * @param sessionId     the conversation; null only for an action that concerns none (see
 *                      {@link Action#concernsConversation()}: signing in to the desktop, a socket connecting)
 * @param contextId     nullable; the context concerned
 * @param outcome       a short code ({@code "ok"}, {@code "connected"}, {@code "TIMED_OUT"}, {@code "c-2:CORRECTED"}):
 *                      1-64 characters of letters, digits and {@code _ . : -}
 * @param clientAddress nullable; the network address the actor acted from (an agent desktop request's remote
 *                      address, IPv4 or IPv6 literal), null for the bot and the system
 */
public record AuditRecord(Instant at, String actor, Action action, @Nullable SessionId sessionId, @Nullable String contextId,
                          String outcome, @Nullable String clientAddress) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    /** What was done. */
    public enum Action {
        /** A handoff was requested (by the trigger evaluator or the bot). */
        HANDOFF_REQUESTED,
        /** The context was packaged, signed and stored. */
        CONTEXT_PACKAGED,
        /** Someone read a stored context (an agent through the desktop, a redeemed ticket). */
        CONTEXT_VIEWED,
        /** An agent confirmed reading the whisper and history. */
        CONTEXT_READ_CONFIRMED,
        /** A ticket was redeemed for its context. */
        TICKET_REDEEMED,
        /** One transfer attempt ended (outcome: the target and how it ended). */
        TRANSFER_ATTEMPTED,
        /** A human took the conversation. */
        HANDOFF_CONNECTED,
        /** The bot owns the conversation again (outcome: the cause, or {@code handed_back}). */
        RETURNED_TO_BOT,
        /** An agent confirmed a commitment (outcome: its id and status). */
        COMMITMENT_CONFIRMED,
        /** An agent corrected a commitment (outcome: its id and status, never the value). */
        COMMITMENT_CORRECTED,
        /** An agent revoked a commitment (outcome: its id and status). */
        COMMITMENT_REVOKED,
        /** A ticket was refused (forged, expired, bound to someone else, already used); the session may be unknown. */
        TICKET_REFUSED(false),
        /** Every stored row of a customer was removed on request ({@link DataRetention#eraseCustomer}). */
        CUSTOMER_DATA_ERASED,
        /** An agent sent the customer a message in a chat they own; the outcome names the turn, never the text. */
        AGENT_MESSAGE_SENT,
        /** An agent accepted a chat offer from a queue. */
        OFFER_ACCEPTED,
        /** An agent declined a chat offer; it went back to the queue. */
        OFFER_DECLINED,
        /** An agent signed in to the agent desktop (outcome {@code ok}). */
        DESK_SIGNED_IN(false),
        /** A sign-in to the agent desktop was refused (outcome: why, e.g. {@code bad_credential}, {@code rate_limited}). */
        DESK_SIGN_IN_REFUSED(false),
        /** An agent's desktop session ended (outcome: {@code signed_out}, {@code idle}, {@code expired}, {@code closed}). */
        DESK_SIGNED_OUT(false),
        /** An agent's live connection (WebSocket) to the desktop opened. */
        DESK_CONNECTED(false),
        /** An agent's live connection to the desktop closed. */
        DESK_DISCONNECTED(false),
        /** A desktop request was refused (outcome: the HTTP status and what was asked, e.g. {@code 404:handoff}). */
        DESK_ACCESS_DENIED(false),
        /** A supervisor viewed the wallboard or exported it (outcome {@code viewed}, {@code csv:hour}). */
        WALLBOARD_VIEWED(false),
        /**
         * An agent gave feedback on a handoff; the outcome holds codes only: whether it was needed, resolved or not, the
         * effort score, the count of inaccurate fields ({@code NEEDED:resolved:effort-3:wrong-2}).
         */
        FEEDBACK_GIVEN;

        private final boolean conversation;

        Action() {
            this(true);
        }

        Action(boolean conversation) {
            this.conversation = conversation;
        }

        /**
         * True when the action always concerns one conversation, so its record must name the session. The desktop's
         * own actions (sign-in and out, connections, refusals, the wallboard) may concern none.
         *
         * @return whether a record of this action needs a session id
         */
        public boolean concernsConversation() {
            return conversation;
        }
    }

    /**
     * Checks the record; a bad value is named in the message (never a secret: these are ids and codes).
     *
     * @param at            when
     * @param actor         who: {@code "bot"}, {@code "system"}, or an agent id
     * @param action        what
     * @param sessionId     the conversation; null only for an action that concerns none (see
     *                      {@link Action#concernsConversation()}: signing in to the desktop, a socket connecting)
     * @param contextId     nullable; the context concerned
     * @param outcome       a short code ({@code "ok"}, {@code "connected"}, {@code "TIMED_OUT"}, {@code "c-2:CORRECTED"}):
     *                      1-64 characters of letters, digits and {@code _ . : -}
     * @param clientAddress nullable; the network address the actor acted from (an agent desktop request's remote
     *                      address, IPv4 or IPv6 literal), null for the bot and the system
     * @throws NullPointerException     when {@code at} or {@code action} is null
     * @throws IllegalArgumentException when the session is missing for an action that concerns a conversation, the
     *                                  actor or outcome is not a short code, or the client address is not an IP literal
     */
    public AuditRecord {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        if (sessionId == null && action.concernsConversation()) {
            throw new IllegalArgumentException("audit action " + action + " concerns a conversation: sessionId is required");
        }
        if (actor == null || !CODE.matcher(actor).matches()) {
            throw new IllegalArgumentException("audit actor must be 1-64 characters of [A-Za-z0-9_.:-], was \"" + actor + "\"");
        }
        if (outcome == null || !CODE.matcher(outcome).matches()) {
            throw new IllegalArgumentException("audit outcome must be a short code of [A-Za-z0-9_.:-], was \"" + outcome + "\"");
        }
        if (clientAddress != null && !ADDRESS.matcher(clientAddress).matches()) {
            throw new IllegalArgumentException("audit client address must be an IPv4 or IPv6 literal, was \"" + clientAddress + "\"");
        }
    }

    /**
     * A record of something the bot or the system did, or an agent did without a known network address.
     *
     * @param at        when
     * @param actor     {@code "bot"}, {@code "system"}, or an agent id
     * @param action    what
     * @param sessionId nullable only for an action that concerns no conversation
     * @param contextId nullable; the context concerned
     * @param outcome   a short code
     * @throws IllegalArgumentException as the canonical constructor
     */
    public AuditRecord(Instant at, String actor, Action action, @Nullable SessionId sessionId, @Nullable String contextId, String outcome) {
        this(at, actor, action, sessionId, contextId, outcome, null);
    }

    /**
     * Reduces any text to a valid {@code actor} or {@code outcome} code: letters, digits and {@code _ . : -} are kept,
     * anything else becomes {@code _}, and at most 64 characters are kept; null or empty gives {@code "unknown"}. For
     * ids that come from outside (an agent id, a SIP target), so that a record can always be written and never
     * carries free text.
     *
     * @param text any text, or null
     * @return a code that {@link #outcome} and {@link #actor} accept
     */
    public static String code(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return "unknown";
        }
        int n = Math.min(text.length(), 64);
        char[] out = null;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.'
                    || ch == ':' || ch == '-';
            if (!ok) {
                if (out == null) {
                    out = text.substring(0, n).toCharArray();
                }
                out[i] = '_';
            }
        }
        return out != null ? new String(out) : n == text.length() ? text : text.substring(0, n);
    }
}
