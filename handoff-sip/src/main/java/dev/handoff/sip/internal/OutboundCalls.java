package dev.handoff.sip.internal;

import dev.handoff.api.SessionId;
import dev.handoff.sip.CallFailedException;
import dev.handoff.sip.CallLeg;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bot's user agent sends: the calls it places (INVITE, its CANCEL, the ACK of the answer), OPTIONS probes,
 * and in-dialog requests (BYE, re-INVITE, and what transfers send) with the leg's count of pending transactions.
 * Part of {@link SipEngine}, which delegates to it; runs on the legs' executors.
 */
final class OutboundCalls {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);

    private final SipEngine engine;

    OutboundCalls(SipEngine engine) {
        this.engine = engine;
    }

    /**
     * Places a call. The leg's events run on {@code events}; when {@code register} the leg becomes the session's call
     * leg. Returns the leg at once; {@link Leg#answered()} completes with it when answered, or exceptionally with
     * {@link CallFailedException}.
     */
    Leg dial(SessionId sessionId, String uri, Map<String, String> extraHeaders,
                                       SerialExecutor events, boolean register, LegListener listener) {
        SipURI target = engine.parseSipUri(uri);
        String transport = SipMessages.transportOf(target);
        String callId = SipMessages.newCallId();
        Leg leg = new Leg(sessionId, callId, CallLeg.Direction.OUTBOUND, events == null ? new SerialExecutor(engine.workers()) : events);
        CompletableFuture<Leg> result = leg.answered;
        leg.listener = listener;
        leg.requestUri = target.toString();
        leg.remoteUri = target.toString();
        leg.localUri = engine.messages().localUri(transport, target.isSecure());
        if (register && engine.calls().sessions().putIfAbsent(sessionId, leg) != null) {
            leg.state = CallLeg.State.TERMINATED;
            result.completeExceptionally(new IllegalStateException("session " + sessionId + " already has a call leg"));
            return leg;
        }
        engine.calls().legs().put(callId, leg);
        leg.events.execute(() -> {
            try {
                Request invite = engine.messages().newRequest(Request.INVITE, target, callId, transport);
                for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                    invite.addHeader(engine.header(h.getKey(), h.getValue()));
                }
                engine.messages().addCapabilities(invite);
                invite.setContent(engine.bodies().sdp(leg, "sendrecv"), engine.headerFactory().createContentTypeHeader("application", "sdp"));
                ClientTransaction ct = engine.provider().getNewClientTransaction(invite);
                leg.inviteClientTx = ct;
                leg.dialog = ct.getDialog();
                ScheduledFuture<?> noAnswer = engine.schedule(leg.events, engine.settings().inviteTimeout(), () -> {
                    if (leg.state == CallLeg.State.EARLY) {
                        cancel(leg);
                        failOutbound(leg, result, 408, "no answer within " + engine.settings().inviteTimeout().toMillis() + " ms");
                    }
                });
                ct.setApplicationData(new SipEvents.Pending(leg, new ResponseHandler() {
                    @Override
                    public void response(Response r, Dialog dialog) {
                        int code = r.getStatusCode();
                        if (leg.state != CallLeg.State.EARLY) {
                            if (code >= 200 && code < 300 && dialog != null) {
                                ackAndHangUp(r, dialog); // answered after we gave up (CANCEL race): end it
                            }
                            return;
                        }
                        if (code < 200) {
                            CallRegistry.notifyListener(leg, l -> l.provisional(code, r.getReasonPhrase()));
                        } else if (code < 300) {
                            noAnswer.cancel(false);
                            try {
                                leg.dialog = dialog;
                                long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
                                dialog.sendAck(dialog.createAck(cseq));
                            } catch (Exception e) {
                                failOutbound(leg, result, 500, "cannot acknowledge the answer: " + e.getMessage());
                                return;
                            }
                            leg.capture(r);
                            leg.state = CallLeg.State.CONFIRMED;
                            engine.keepalive().start(leg);
                            result.complete(leg);
                            CallRegistry.notifyListener(leg, l -> l.established(leg));
                        } else {
                            noAnswer.cancel(false);
                            failOutbound(leg, result, code, r.getReasonPhrase());
                        }
                    }

                    @Override
                    public void timeout() {
                        noAnswer.cancel(false);
                        failOutbound(leg, result, 408, "INVITE transaction timed out");
                    }
                }));
                ct.sendRequest();
            } catch (Exception e) {
                failOutbound(leg, result, 500, "cannot send INVITE to " + uri + ": " + e.getMessage());
            }
        });
        return leg;
    }

    private void ackAndHangUp(Response r, Dialog dialog) {
        try {
            long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
            Request bye = dialog.createRequest(Request.BYE);
            dialog.sendRequest(engine.provider().getNewClientTransaction(bye));
        } catch (Exception e) {
            LOG.debug("late answer on {} not ended: {}", dialog.getCallId(), e.toString());
        }
    }

    private void failOutbound(Leg leg, CompletableFuture<Leg> result, int code, String reason) {
        if (leg.state == CallLeg.State.TERMINATED) {
            return;
        }
        leg.state = CallLeg.State.TERMINATED;
        engine.calls().forget(leg);
        result.completeExceptionally(new CallFailedException(code, reason));
        CallRegistry.notifyListener(leg, l -> l.failed(code, reason));
    }

    /** Cancels our unanswered INVITE. */
    void cancel(Leg leg) {
        ClientTransaction ct = leg.inviteClientTx;
        if (ct == null || leg.state != CallLeg.State.EARLY) {
            return;
        }
        try {
            ClientTransaction cancel = engine.provider().getNewClientTransaction(ct.createCancel());
            cancel.sendRequest();
        } catch (Exception e) {
            LOG.debug("CANCEL on {} not sent: {}", leg.callId, e.toString());
        }
    }

    /** Sends an out-of-dialog OPTIONS; completes with the {@link Probe}. */
    CompletableFuture<SipEngine.Probe> probe(String uri) {
        CompletableFuture<SipEngine.Probe> result = new CompletableFuture<>();
        SipURI target = engine.parseSipUri(uri);
        SerialExecutor events = new SerialExecutor(engine.workers());
        Leg probe = new Leg(null, SipMessages.newCallId(), CallLeg.Direction.OUTBOUND, events);
        events.execute(() -> {
            try {
                Request options = engine.messages().newRequest(Request.OPTIONS, target, probe.callId, SipMessages.transportOf(target));
                engine.messages().addCapabilities(options);
                ClientTransaction ct = engine.provider().getNewClientTransaction(options);
                ct.setApplicationData(new SipEvents.Pending(probe, new ResponseHandler() {
                    @Override
                    public void response(Response r, Dialog dialog) {
                        if (r.getStatusCode() >= 200) {
                            probe.capture(r);
                            result.complete(new SipEngine.Probe(r.getStatusCode(), r.getStatusCode() < 300 ? probe.supported : java.util.Set.of()));
                        }
                    }

                    @Override
                    public void timeout() {
                        result.complete(new SipEngine.Probe(408, java.util.Set.of()));
                    }
                }));
                engine.schedule(events, engine.settings().optionsTimeout(), () -> result.complete(new SipEngine.Probe(408, java.util.Set.of())));
                ct.sendRequest();
            } catch (Exception e) {
                result.complete(new SipEngine.Probe(503, java.util.Set.of()));
                LOG.debug("OPTIONS to {} not sent: {}", uri, e.toString());
            }
        });
        return result;
    }

    /** Like {@link #sendInDialog(Leg, String, Consumer, ResponseHandler)}; {@code counted} false keeps it out of {@link Leg#pendingTransactions()}. */
    ClientTransaction sendInDialog(Leg leg, String method, Consumer<Request> customize, ResponseHandler handler, boolean counted) {
        Dialog dialog = leg.dialog;
        if (dialog == null || leg.state != CallLeg.State.CONFIRMED) {
            throw new IllegalStateException("call leg " + leg.callId + " is " + leg.state + ", cannot send " + method);
        }
        try {
            Request request = dialog.createRequest(method);
            // our own Contact (advertised address, user part), never the stack's default <sip:host:port>
            request.removeHeader(ContactHeader.NAME);
            request.addHeader(engine.messages().contact(SipMessages.transportOfDialog(dialog), SipMessages.isSecure(dialog)));
            if (request.getHeader(ViaHeader.NAME) instanceof ViaHeader via) {
                via.setRPort();
            }
            customize.accept(request);
            ClientTransaction ct = engine.provider().getNewClientTransaction(request);
            if (counted) {
                leg.pending.incrementAndGet();
            }
            ct.setApplicationData(new SipEvents.Pending(leg, new ResponseHandler() {
                private boolean done = !counted;

                @Override
                public void response(Response r, Dialog d) {
                    if (r.getStatusCode() >= 200 && !done) {
                        done = true;
                        leg.pending.decrementAndGet();
                    }
                    handler.response(r, d);
                }

                @Override
                public void timeout() {
                    if (!done) {
                        done = true;
                        leg.pending.decrementAndGet();
                    }
                    handler.timeout();
                }

                @Override
                public void retried(ClientTransaction retry) {
                    handler.retried(retry);
                }
            }));
            dialog.sendRequest(ct);
            return ct;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + method + " on call leg " + leg.callId + ": " + e.getMessage(), e);
        }
    }

    /** Ends a confirmed leg with BYE (or cancels an unanswered one); call on the leg's executor. */
    void hangUp(Leg leg) {
        if (leg.state == CallLeg.State.EARLY && leg.direction == CallLeg.Direction.OUTBOUND) {
            cancel(leg);
            return;
        }
        if (leg.state != CallLeg.State.CONFIRMED) {
            return;
        }
        try {
            engine.sendInDialog(leg, Request.BYE, r -> { }, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog d) {
                }

                @Override
                public void timeout() {
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("BYE on {} not sent: {}", leg.callId, e.getMessage());
        }
        engine.terminate(leg, false);
    }

    /** Sends a re-INVITE with the given SDP direction (sendonly to hold, sendrecv to resume). */
    void reinvite(Leg leg, String direction, ResponseHandler handler) {
        engine.sendInDialog(leg, Request.INVITE, r -> {
            try {
                r.setContent(engine.bodies().sdp(leg, direction), engine.headerFactory().createContentTypeHeader("application", "sdp"));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }, new ResponseHandler() {
            @Override
            public void response(Response r, Dialog d) {
                if (r.getStatusCode() >= 200 && r.getStatusCode() < 300) {
                    try {
                        long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
                        d.sendAck(d.createAck(cseq));
                    } catch (Exception e) {
                        LOG.warn("ACK for re-INVITE on {} not sent: {}", leg.callId, e.toString());
                    }
                }
                handler.response(r, d);
            }

            @Override
            public void timeout() {
                handler.timeout();
            }
        });
    }
}
