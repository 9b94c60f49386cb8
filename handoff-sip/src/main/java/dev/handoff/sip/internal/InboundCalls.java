package dev.handoff.sip.internal;

import dev.handoff.api.SessionId;
import dev.handoff.sip.CallLeg;
import dev.handoff.sip.IncomingInvite;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What the bot's user agent receives: a new INVITE (100 Trying on the stack thread, the session resolved, the 200 OK
 * with the ACK ordered after it), its ACK (the call confirmed and announced), and in-dialog requests (BYE, NOTIFY,
 * re-INVITE and UPDATE, OPTIONS, INFO, CANCEL). Part of {@link SipEngine}, which delegates the stack's requests to it.
 */
final class InboundCalls {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);

    private final SipEngine engine;

    InboundCalls(SipEngine engine) {
        this.engine = engine;
    }

    /** Routes a request from the stack thread: answered there when it must be, handled on its leg's executor. */
    void handle(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Leg leg = engine.calls().legs().get(callId);
        try {
            if (method.equals(Request.ACK)) {
                if (leg != null) {
                    leg.events.execute(() -> acknowledged(leg));
                }
                return;
            }
            ServerTransaction st = event.getServerTransaction();
            if (st == null) {
                try {
                    st = engine.provider().getNewServerTransaction(request);
                } catch (TransactionAlreadyExistsException e) {
                    return; // a retransmission the stack will absorb
                }
            }
            ServerTransaction tx = st;
            if (engine.isClosed()) {
                respond(tx, request, Response.SERVICE_UNAVAILABLE, null);
                return;
            }
            List<String> unsupported = unsupportedRequired(request);
            if (!unsupported.isEmpty() && !method.equals(Request.CANCEL)) {
                // RFC 3261 8.2.2.3: an extension we do not implement must not be silently ignored
                Response bad = engine.messageFactory().createResponse(Response.BAD_EXTENSION, request);
                bad.addHeader(engine.headerFactory().createUnsupportedHeader(String.join(", ", unsupported)));
                tx.sendResponse(bad);
                if (method.equals(Request.INVITE) && leg == null) {
                    LOG.info("INVITE {} refused: requires unsupported {}", callId, unsupported);
                }
                return;
            }
            if (method.equals(Request.INVITE)) {
                // 100 Trying goes out here, on the stack thread, before the INVITE waits for a worker: the RI's own
                // 200 ms Trying timer races a late answer from a worker and could send 100 after the 200 OK
                respond(tx, request, Response.TRYING, null);
            }
            if (method.equals(Request.INVITE) && leg == null) {
                Leg inbound = new Leg(null, callId, CallLeg.Direction.INBOUND, new SerialExecutor(engine.workers()));
                engine.calls().legs().put(callId, inbound);
                inbound.events.execute(() -> answer(inbound, tx, request));
            } else if (leg == null) {
                if (method.equals(Request.OPTIONS)) {
                    respond(tx, request, Response.OK, null);
                } else {
                    respond(tx, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                }
            } else if (method.equals(Request.NOTIFY) || method.equals(Request.BYE)) {
                // answered at once on the stack thread so a busy leg executor never causes retransmissions;
                // the handling itself stays in order on the leg's executor
                respond(tx, request, Response.OK, null);
                leg.events.execute(() -> inDialog(leg, null, request));
            } else {
                leg.events.execute(() -> inDialog(leg, tx, request));
            }
        } catch (Exception e) {
            LOG.warn("{} {} not handled: {}", method, callId, e.toString());
        }
    }

    private void answer(Leg leg, ServerTransaction tx, Request invite) {
        SessionId sessionId;
        IncomingInvite incoming = incoming(invite);
        try {
            sessionId = Objects.requireNonNull(engine.settings().resolver().resolve(incoming), "session resolver returned null");
        } catch (RuntimeException e) {
            engine.calls().legs().remove(leg.callId);
            LOG.warn("INVITE {} rejected: {}", leg.callId, e.getMessage());
            respond(tx, invite, Response.BAD_REQUEST, e.getMessage());
            return;
        }
        leg.sessionId = sessionId;
        if (engine.calls().sessions().putIfAbsent(sessionId, leg) != null) {
            engine.calls().legs().remove(leg.callId);
            LOG.warn("INVITE {} rejected: session {} already has a call leg", leg.callId, sessionId);
            respond(tx, invite, Response.BUSY_HERE, "session already has a call");
            return;
        }
        leg.capture(invite);
        leg.requestUri = invite.getRequestURI().toString();
        leg.remoteUri = ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
        leg.localUri = ((ToHeader) invite.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        leg.inviteServerTx = tx;
        leg.dialog = tx.getDialog();
        byte[] body;
        try {
            body = engine.bodies().answerSdp(leg, invite);
        } catch (Sdp.NotAcceptable | IllegalArgumentException e) {
            engine.calls().forget(leg);
            leg.state = CallLeg.State.TERMINATED;
            LOG.info("INVITE {} refused: {}", leg.callId, e.getMessage());
            respond(tx, invite, Response.NOT_ACCEPTABLE_HERE, null);
            return;
        }
        try {
            Response ok = engine.messageFactory().createResponse(Response.OK, invite);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(SipMessages.newTag());
            ok.addHeader(engine.messages().contact(SipMessages.transportOf(invite), SipMessages.isSecure(invite)));
            engine.messages().addCapabilities(ok);
            ok.setContent(body, engine.headerFactory().createContentTypeHeader("application", "sdp"));
            leg.awaitingAck = true;
            engine.unacknowledged().watch(tx.getDialog());
            try (AckOrderValve.Answer ignored = engine.ackOrder().answering(leg.callId, SipMessages.cseqOf(invite))) {
                tx.sendResponse(ok);
            }
            leg.dialog = tx.getDialog();
        } catch (Exception e) {
            LOG.warn("INVITE {} not answered: {}", leg.callId, e.toString());
            engine.terminate(leg, false);
        }
    }

    private void acknowledged(Leg leg) {
        leg.awaitingAck = false;
        if (leg.state == CallLeg.State.EARLY && leg.direction == CallLeg.Direction.INBOUND) {
            leg.state = CallLeg.State.CONFIRMED;
            engine.keepalive().start(leg);
            try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", String.valueOf(leg.sessionId))) {
                LOG.debug("call {} from {} confirmed", leg.callId, leg.remoteUri);
                for (Consumer<CallLeg> l : engine.calls().incomingListeners()) {
                    try {
                        l.accept(leg);
                    } catch (RuntimeException e) {
                        LOG.warn("incoming-call listener failed", e);
                    }
                }
            }
        }
    }

    private void inDialog(Leg leg, ServerTransaction tx, Request request) {
        switch (request.getMethod()) {
            case Request.BYE -> engine.terminate(leg, true);
            case Request.NOTIFY -> CallRegistry.notifyListener(leg, l -> l.notified(request));
            case Request.INVITE, Request.UPDATE -> {
                byte[] body;
                try {
                    body = request.getRawContent() == null && request.getMethod().equals(Request.UPDATE) ? null : engine.bodies().answerSdp(leg, request);
                } catch (Sdp.NotAcceptable | IllegalArgumentException e) {
                    LOG.info("{} on {} refused: {}", request.getMethod(), leg.callId, e.getMessage());
                    respond(tx, request, Response.NOT_ACCEPTABLE_HERE, null);
                    return;
                }
                try {
                    Response ok = engine.messageFactory().createResponse(Response.OK, request);
                    ok.addHeader(engine.messages().contact(SipMessages.transportOf(request), SipMessages.isSecure(request) || SipMessages.isSecure(leg.dialog)));
                    engine.messages().addCapabilities(ok);
                    if (body != null) {
                        ok.setContent(body, engine.headerFactory().createContentTypeHeader("application", "sdp"));
                    }
                    if (request.getMethod().equals(Request.UPDATE)) {
                        tx.sendResponse(ok);
                        return;
                    }
                    leg.awaitingAck = true;
                    engine.unacknowledged().watch(leg.dialog);
                    try (AckOrderValve.Answer ignored = engine.ackOrder().answering(leg.callId, SipMessages.cseqOf(request))) {
                        tx.sendResponse(ok);
                    }
                } catch (Exception e) {
                    LOG.warn("re-INVITE on {} not answered: {}", leg.callId, e.toString());
                }
            }
            case Request.OPTIONS, Request.INFO -> respond(tx, request, Response.OK, null);
            case Request.CANCEL -> respond(tx, request, Response.OK, null);
            default -> respond(tx, request, Response.METHOD_NOT_ALLOWED, null);
        }
    }

    private void respond(ServerTransaction tx, Request request, int code, String reason) {
        try {
            Response r = engine.messageFactory().createResponse(code, request);
            if (reason != null) {
                r.setReasonPhrase(reason.replaceAll("[\\r\\n]", " "));
            }
            if (code == Response.OK && request.getMethod().equals(Request.OPTIONS)) {
                engine.messages().addCapabilities(r);
            }
            tx.sendResponse(r);
        } catch (Exception e) {
            // the other side retransmits or gives up on a request we do not answer: worth seeing in production
            LOG.warn("response {} to {} {} not sent: {}", code, request.getMethod(),
                    ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(), e.toString());
        }
    }

    /** The option tags of the Require headers of {@code request}, all of which we do not support. */
    private static List<String> unsupportedRequired(Request request) {
        List<String> tags = new ArrayList<>();
        ListIterator<?> requires = request.getHeaders(javax.sip.header.RequireHeader.NAME);
        while (requires != null && requires.hasNext()) {
            Object h = requires.next();
            String value = h instanceof javax.sip.header.RequireHeader r ? r.getOptionTag() : String.valueOf(h);
            for (String tag : value.split(",")) {
                String t = tag.trim();
                if (!t.isEmpty() && !tags.contains(t)) {
                    tags.add(t);
                }
            }
        }
        return tags;
    }

    private IncomingInvite incoming(Request invite) {
        TreeMap<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ListIterator<String> names = invite.getHeaderNames();
        while (names.hasNext()) {
            String name = names.next();
            Header h = invite.getHeader(name);
            if (h != null) {
                String s = h.toString().trim();
                int colon = s.indexOf(':');
                map.putIfAbsent(name, colon < 0 ? s : s.substring(colon + 1).trim());
            }
        }
        return new IncomingInvite(((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId(),
                invite.getRequestURI().toString(),
                ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI().toString(),
                ((ToHeader) invite.getHeader(ToHeader.NAME)).getAddress().getURI().toString(), map);
    }
}
