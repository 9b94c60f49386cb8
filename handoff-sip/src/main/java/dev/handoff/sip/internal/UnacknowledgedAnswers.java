package dev.handoff.sip.internal;

import dev.handoff.sip.CallLeg;
import gov.nist.javax.sip.DialogTimeoutEvent;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Ends a call whose phone never ACKed the bot's 200 OK, as RFC 3261 13.3.1.4 says: the 2xx was retransmitted for
 * 64×T1 (32 s) without an ACK, so the session is ended with {@code BYE}, and the outcome is logged.
 *
 * <p>The RI's dialog raises this timeout (as a {@link DialogTimeoutEvent} with reason {@code AckNotReceived}) only to
 * a {@code SipListenerExt}; to a plain listener it deleted the dialog without a word and without a BYE, so the phone
 * kept a call the bot had dropped, and the bot's side ended as if the customer had hung up. Now:
 * <ul>
 *   <li>a call the application never saw (no ACK at all, so no {@code onIncomingCall}) is forgotten: its session may
 *       call again;</li>
 *   <li>a call the application saw (the ACK of a later re-INVITE never came) ends like a hang-up on the bot's side:
 *       {@code onCallEnded} and the leg's listener run, so a transfer in progress completes with an outcome instead
 *       of waiting in silence;</li>
 *   <li>either way the phone gets {@code BYE} and the log says why, at INFO with the session id in the MDC.</li>
 * </ul>
 * The timeout is 64 × 500 ms unless the stack property {@code gov.nist.javax.sip.DIALOG_TIMEOUT_FACTOR} (a count of
 * T1) says otherwise. Other dialog timeouts delete the dialog, as the RI does for a listener that does not take these
 * events. Called on the stack's event thread; the work runs on the leg's executor.
 */
final class UnacknowledgedAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(UnacknowledgedAnswers.class);
    static final String TIMEOUT_FACTOR = "gov.nist.javax.sip.DIALOG_TIMEOUT_FACTOR";
    /** The RI's default count of T1 (500 ms) before an unacknowledged 2xx is given up: 64, so 32 s. */
    static final int DEFAULT_TIMEOUT_FACTOR = 64;

    private final SipEngine engine;

    UnacknowledgedAnswers(SipEngine engine) {
        this.engine = engine;
    }

    /**
     * Makes the RI tell us when {@code dialog} gives up waiting for the ACK of a 2xx we send on it. The RI reports a
     * dialog's timeouts to the provider only once the dialog has been early (an 18x); a UAS dialog answered 200 at
     * once is never early, so without this its timeout reached nobody and the dialog stayed behind. Call before
     * sending the 2xx.
     */
    void watch(Dialog dialog) {
        if (dialog instanceof gov.nist.javax.sip.stack.SIPDialog d
                && engine.provider() instanceof gov.nist.javax.sip.stack.SIPDialogEventListener provider) {
            d.addEventListener(provider);
        }
    }

    /** A dialog timer of the RI expired; called on the stack's event thread. */
    void timedOut(DialogTimeoutEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog == null) {
            return;
        }
        if (event.getReason() != DialogTimeoutEvent.Reason.AckNotReceived) {
            // what the RI itself does for a listener that is not a SipListenerExt
            LOG.debug("dialog {} timed out ({}); deleted", dialog.getCallId(), event.getReason());
            dialog.delete();
            return;
        }
        String callId = dialog.getCallId() == null ? null : dialog.getCallId().getCallId();
        Leg leg = callId == null ? null : engine.calls().legOf(callId);
        if (leg == null || leg.dialog != dialog) {
            LOG.info("call {} ended: no ACK for its 200 OK after {}; sending BYE", callId, timeout());
            bye(null, dialog);
            return;
        }
        leg.events.execute(() -> giveUp(leg, dialog));
    }

    private void giveUp(Leg leg, Dialog dialog) {
        if (leg.state == CallLeg.State.TERMINATED) {
            dialog.delete();
            return;
        }
        boolean seen = leg.state == CallLeg.State.CONFIRMED;
        try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", String.valueOf(leg.sessionId))) {
            LOG.info("call {} from {} ended: the phone sent no ACK for the bot's 200 OK after {}; sending BYE (RFC 3261 13.3.1.4)",
                    leg.callId, leg.remoteUri, timeout());
        }
        leg.awaitingAck = false;
        bye(leg, dialog);
        if (seen) {
            engine.terminate(leg, false);
        } else {
            engine.calls().discard(leg);
        }
    }

    private void bye(Leg leg, Dialog dialog) {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            if (bye.getHeader(ViaHeader.NAME) instanceof ViaHeader via) {
                via.setRPort();
            }
            ClientTransaction ct = engine.provider().getNewClientTransaction(bye);
            Leg owner = leg != null ? leg : new Leg(null, dialog.getCallId().getCallId(), CallLeg.Direction.INBOUND,
                    new SerialExecutor(engine.workers()));
            ct.setApplicationData(new SipEvents.Pending(owner, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog d) {
                    // the dialog ends with the BYE's final response
                }

                @Override
                public void timeout() {
                    dialog.delete();
                }
            }));
            dialog.sendRequest(ct);
        } catch (Exception e) {
            LOG.warn("BYE after the unacknowledged 200 OK on {} not sent: {}", dialog.getCallId() == null ? "?" : dialog.getCallId().getCallId(), e.toString());
            dialog.delete();
        }
    }

    /** How long the RI retransmitted, as "64×T1 (32 s)". */
    private String timeout() {
        String configured = engine.settings().stackProperties().get(TIMEOUT_FACTOR);
        int factor = DEFAULT_TIMEOUT_FACTOR;
        try {
            factor = configured == null ? DEFAULT_TIMEOUT_FACTOR : Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            // the RI fails on it at start; keep the default here
        }
        return factor + "×T1 (" + factor * 500 / 1000.0 + " s)";
    }
}
