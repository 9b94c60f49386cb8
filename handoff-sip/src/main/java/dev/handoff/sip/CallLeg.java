package dev.handoff.sip;

import dev.handoff.api.SessionId;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of one SIP dialog owned by the {@link SipUserAgent}: the customer's call with the bot, or a
 * consult call to an agent. Safe to read from any thread; the values reflect the dialog at the time of reading.
 */
public interface CallLeg {

    /** Who placed the call. */
    enum Direction { INBOUND, OUTBOUND }

    /** The dialog's state. */
    enum State {
        /** The INVITE is being answered, or our INVITE has not been answered yet. */
        EARLY,
        /** Answered and acknowledged: in-dialog requests (REFER, BYE) can be sent. */
        CONFIRMED,
        /** Ended by BYE, failure or shutdown. */
        TERMINATED
    }

    /** The conversation this leg belongs to. */
    SessionId sessionId();

    /** The SIP Call-ID. */
    String callId();

    Direction direction();

    State state();

    /** Our address on this dialog (the From of an outbound call, the To of an inbound one). */
    String localUri();

    /** The other party's address. */
    String remoteUri();

    /** The Request-URI of the initial INVITE (with its parameters, for example {@code x-handoff}). */
    String requestUri();

    /**
     * The headers of the initial INVITE (inbound) or of its 2xx answer (outbound): the first value of each, names
     * compared without regard to case.
     */
    Map<String, String> headers();

    /** The methods the other party listed in {@code Allow}, upper case; empty when it sent no Allow header. */
    Set<String> allow();

    /** The option tags the other party listed in {@code Supported} (and {@code Require}), lower case. */
    Set<String> supported();
}
