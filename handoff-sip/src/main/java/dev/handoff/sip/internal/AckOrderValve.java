package dev.handoff.sip.internal;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds an ACK until the 2xx it acknowledges has been handed over to the stack completely.
 *
 * <p>The RI's dialog stops retransmitting a 2xx to INVITE only when {@code SIPDialog.ackReceived} finds the INVITE
 * server transaction, which it reads from the dialog's retransmission timer ({@code getInviteTransaction()}). That
 * timer is started by {@code ServerTransaction.sendResponse} <em>after</em> the 2xx is on the wire. The bot answers
 * from a worker thread while the stack reads the phone's ACK on its own threads: when the ACK is processed in
 * between (the phone ACKs within a millisecond on a LAN; under load the worker loses the CPU right after sending),
 * the RI logs "tr is null -- not updating the ack state", passes the ACK on to the listener as if the dialog had
 * taken it, and then retransmits the 200 OK at T1, 2T1, 4T1... until the phone ACKs again, or for 64×T1 (32 s) and
 * then gives up on the dialog. Under a burst of 100 calls on two cores this hit 25 of them.
 *
 * <p>The engine brackets each 2xx to an INVITE with {@link #answering(String, long)}; an ACK with the same Call-ID
 * and CSeq number that arrives meanwhile waits here (on the stack's message thread, before any transaction or dialog
 * is looked up) until the bracket closes, at most {@link #HOLD_MS}. Every other message passes at once.
 *
 * <p>Installed by {@link SipEngine#start} through the RI's {@code gov.nist.javax.sip.SIP_MESSAGE_VALVE} property (the
 * RI creates it by its class name). Called on the stack's message threads and the engine's workers: thread-safe.
 */
public final class AckOrderValve implements SIPMessageValve {

    private static final Logger LOG = LoggerFactory.getLogger(AckOrderValve.class);

    /**
     * The longest an ACK waits for its 2xx to be handed over: 2 s. The hand-over takes microseconds; only a worker
     * starved of CPU takes longer, and past this bound the ACK goes on as before (the phone's re-ACK still ends the
     * retransmissions).
     */
    static final long HOLD_MS = 2_000;

    /** An open bracket around one 2xx; {@link #close()} releases the ACKs waiting for it. */
    public interface Answer extends AutoCloseable {
        @Override
        void close();
    }

    private final Map<String, CountDownLatch> answering = new ConcurrentHashMap<>();

    /** Created by the RI from its class name. */
    public AckOrderValve() {
    }

    /**
     * Opens the bracket for the 2xx to the INVITE with {@code callId} and CSeq number {@code cseq}; call just before
     * {@code sendResponse} and close it when that returns (also when it throws).
     */
    public Answer answering(String callId, long cseq) {
        String key = key(callId, cseq);
        CountDownLatch sent = new CountDownLatch(1);
        answering.put(key, sent);
        return () -> {
            answering.remove(key, sent);
            sent.countDown();
        };
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        if (!Request.ACK.equals(request.getMethod()) || request.getCallId() == null || request.getCSeq() == null) {
            return true;
        }
        CountDownLatch sent = answering.get(key(request.getCallId().getCallId(), request.getCSeq().getSeqNumber()));
        if (sent != null) {
            try {
                if (sent.await(HOLD_MS, TimeUnit.MILLISECONDS)) {
                    LOG.debug("ACK for {} held until its 2xx was handed over", request.getCallId().getCallId());
                } else {
                    LOG.debug("ACK for {} goes on after {} ms: its 2xx is still being handed over", request.getCallId().getCallId(), HOLD_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return true;
    }

    private static String key(String callId, long cseq) {
        return cseq + " " + callId;
    }

    @Override
    public boolean processResponse(Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void init(SipStack stack) {
        // nothing to read from the stack
    }

    @Override
    public void destroy() {
        answering.values().forEach(CountDownLatch::countDown);
        answering.clear();
    }
}
