package dev.handoff.sip.internal;

import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.SipListenerExt;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's listener: routes each event to the part that handles it, on the call's executor, and answers digest
 * challenges. It only routes; it never blocks the stack's thread. Part of {@link SipEngine}.
 */
final class SipEvents implements SipListenerExt {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);

    /** What a client transaction carries as application data: whose it is and who handles its answer. */
    record Pending(Leg leg, ResponseHandler handler, boolean authenticated) {
        Pending(Leg leg, ResponseHandler handler) {
            this(leg, handler, false);
        }
    }

    private final InboundCalls inbound;
    private final CallRegistry calls;
    private final UnacknowledgedAnswers unacknowledged;
    private final StackLifecycle stack;

    SipEvents(InboundCalls inbound, CallRegistry calls, UnacknowledgedAnswers unacknowledged, StackLifecycle stack) {
        this.inbound = inbound;
        this.calls = calls;
        this.unacknowledged = unacknowledged;
        this.stack = stack;
    }

    @Override
    public void processRequest(RequestEvent event) {
        inbound.handle(event);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null || (event instanceof ResponseEventExt ext && ext.isForkedResponse())) {
            return; // 2xx retransmissions are re-acknowledged by the stack
        }
        if (ct.getApplicationData() instanceof Pending p) {
            Response response = event.getResponse();
            Dialog dialog = event.getDialog();
            int code = response.getStatusCode();
            if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) && stack.auth() != null && !p.authenticated()) {
                p.leg().events.execute(() -> answerChallenge(p, ct, response, dialog));
                return;
            }
            p.leg().events.execute(() -> p.handler().response(response, dialog));
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof Pending p) {
            p.leg().events.execute(() -> p.handler().timeout());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.warn("SIP I/O error towards {}:{} over {}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing to release: transactions carry their own handlers
    }

    /** An RI dialog timer expired: a phone that never ACKs our 200 OK is hung up on ({@link UnacknowledgedAnswers}). */
    @Override
    public void processDialogTimeout(gov.nist.javax.sip.DialogTimeoutEvent event) {
        unacknowledged.timedOut(event);
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog == null || dialog.getCallId() == null) {
            return;
        }
        Leg leg = calls.legOf(dialog.getCallId().getCallId());
        if (leg != null && leg.dialog == dialog) {
            leg.events.execute(() -> calls.terminate(leg, false));
        }
    }

    /**
     * Sends the challenged request again with digest credentials (once: a second challenge goes to the handler as
     * the final answer). Runs on the leg's executor.
     */
    private void answerChallenge(Pending p, ClientTransaction challenged, Response challenge, Dialog dialog) {
        try {
            ClientTransaction retry = stack.auth().handleChallenge(challenge, challenged, stack.provider(), 5, true);
            retry.setApplicationData(new Pending(p.leg(), p.handler(), true));
            if (p.leg().inviteClientTx == challenged) {
                p.leg().inviteClientTx = retry;
            }
            Dialog d = retry.getDialog();
            if (d != null && d.getState() == javax.sip.DialogState.CONFIRMED) {
                d.sendRequest(retry);
            } else {
                retry.sendRequest();
            }
            p.handler().retried(retry);
            LOG.debug("{} {} answered with credentials", challenge.getStatusCode(), challenged.getRequest().getMethod());
        } catch (Exception e) {
            LOG.warn("cannot answer the {} challenge to {}: {}", challenge.getStatusCode(), challenged.getRequest().getMethod(), e.toString());
            p.handler().response(challenge, dialog);
        }
    }
}
