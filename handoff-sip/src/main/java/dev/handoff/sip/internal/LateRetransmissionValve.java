package dev.handoff.sip.internal;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Absorbs a retransmission of an initial INVITE that arrives after its server transaction is gone.
 *
 * <p>The RI ends an INVITE server transaction once it has sent a 2xx (RFC 3261 as first published). A retransmission
 * of that INVITE which reaches the stack later — it crossed the 200 OK, or waited in the socket buffer while the
 * stack's threads were starved under a burst of calls — then matches no transaction, and the RI's merged-request check
 * ({@code SIPTransactionStack.findMergedTransaction}, RFC 3261 8.2.2.2) finds the confirmed dialog and answers
 * <b>482 Loop Detected</b>. A phone takes that as a failure of the call it is in. RFC 6026 fixed this: the transaction
 * stays "Accepted" for 64*T1 and absorbs retransmissions of the INVITE. The RI (1.3.0-91) has no setting for it
 * (its switch, automatic dialog error handling, is forced on with automatic dialog support), so this valve does it:
 *
 * <ul>
 *   <li>it remembers the transaction id (the branch) of every initial INVITE (no To tag) for {@link #ACCEPTED_MS};</li>
 *   <li>an INVITE with a remembered id and no live server transaction is dropped, logged at DEBUG. While the
 *       transaction lives, the request goes on and the transaction answers it as usual (a 100 or its last response);</li>
 *   <li>an INVITE with the same Call-ID, From tag and CSeq but another branch is a real merged request and still gets
 *       its 482.</li>
 * </ul>
 *
 * <p>Installed by {@link SipEngine#start} through the RI's {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE} property (the RI
 * creates it by its class name). Called on the stack's message threads: thread-safe. At most {@link #MAX_REMEMBERED}
 * ids are kept (a flood of INVITEs forgets the oldest first).
 */
public final class LateRetransmissionValve implements SIPMessageValve {

    private static final Logger LOG = LoggerFactory.getLogger(LateRetransmissionValve.class);

    /** How long an INVITE's id is remembered: Timer L of RFC 6026, 64 × T1 (500 ms). */
    static final long ACCEPTED_MS = 64 * 500;
    /** The most INVITE ids remembered at once. */
    static final int MAX_REMEMBERED = 100_000;

    private record Seen(String transactionId, long until) {
    }

    private final Map<String, Long> remembered = new HashMap<>();
    private final Deque<Seen> byAge = new ArrayDeque<>();
    private volatile SIPTransactionStack stack;

    /** Created by the RI from its class name. */
    public LateRetransmissionValve() {
    }

    @Override
    public void init(SipStack sipStack) {
        this.stack = (SIPTransactionStack) sipStack;
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        if (!Request.INVITE.equals(request.getMethod()) || request.getToTag() != null) {
            return true;
        }
        String id = request.getTransactionId();
        if (!firstSight(id, System.nanoTime() / 1_000_000)) {
            SIPTransactionStack s = stack;
            SIPTransaction live = s == null ? null : s.findTransaction(id, true);
            if (live == null) {
                LOG.debug("Absorbed a late retransmission of INVITE {} (Call-ID {}): its transaction already ended", id,
                        request.getCallId() == null ? "?" : request.getCallId().getCallId());
                return false;
            }
        }
        return true;
    }

    /** Remembers {@code id}; false when it was remembered already (a retransmission). */
    private synchronized boolean firstSight(String id, long nowMs) {
        for (Seen oldest = byAge.peekFirst(); oldest != null
                && (oldest.until() <= nowMs || byAge.size() > MAX_REMEMBERED); oldest = byAge.peekFirst()) {
            byAge.pollFirst();
            remembered.remove(oldest.transactionId(), oldest.until());
        }
        Long until = remembered.get(id);
        if (until != null) {
            return false;
        }
        long expires = nowMs + ACCEPTED_MS;
        remembered.put(id, expires);
        byAge.addLast(new Seen(id, expires));
        return true;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {
        synchronized (this) {
            remembered.clear();
            byAge.clear();
        }
    }
}
