package dev.handoff.sip.internal;

import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.TransferResult.Outcome;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.sip.AgentAvailability;
import dev.handoff.sip.CallLeg;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import javax.sip.Dialog;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One transfer attempt on one customer leg: optional hold, consult call and whisper window (warm), REFER, the
 * NOTIFY sipfrag progress, and the outcome. Every step runs on the customer leg's serial executor, so the events of
 * the customer dialog and of the consult dialog are handled one at a time and in order.
 *
 * <p>Invariant: the customer leg is only ever hung up after a 2xx final sipfrag (the AI leg is released); every
 * failure path leaves it up (and resumes it when it was held).
 */
public final class TransferProcess implements LegListener {

    private static final Logger LOG = LoggerFactory.getLogger(TransferProcess.class);

    private enum Phase { STARTING, HOLDING, CONSULTING, WHISPER, REFERRING, ACCEPTED, DONE }

    private final SipEngine engine;
    private final TransferSettings settings;
    private final TransferRequest request;
    private final TransferListener listener;
    private final Leg customer;
    private final CompletableFuture<TransferResult> result = new CompletableFuture<>();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private Phase phase = Phase.STARTING;
    private TransferMode modeUsed;
    private Leg consult;
    private boolean held;
    private long referCseq = -1;
    private boolean referSubFalse;
    private boolean sawNotify;
    private ScheduledFuture<?> acceptTimer;
    private javax.sip.ClientTransaction referTx;
    private ScheduledFuture<?> notifyTimer;
    private String lastProgress = "none";
    private final AgentAvailability.Replaces agentReplaces;
    private final String agentCheck;
    private final TransferCarriage carried;
    /** Why the transfer ran in the mode it did, for the result's detail. */
    private String decision;

    public TransferProcess(SipEngine engine, TransferSettings settings, TransferRequest request, TransferListener listener, Leg customer,
                           AgentAvailability.Replaces agentReplaces, String agentCheck) {
        this.agentReplaces = agentReplaces;
        this.agentCheck = agentCheck;
        this.engine = engine;
        this.settings = settings;
        this.request = request;
        this.listener = listener;
        this.customer = customer;
        this.modeUsed = request.mode();
        this.carried = new TransferCarriage(engine, settings, request);
    }

    /** Starts the attempt on the customer leg's executor; the stage completes normally whatever happens. */
    public CompletableFuture<TransferResult> start() {
        customer.events().execute(() -> withMdc(this::begin));
        return result;
    }

    private void withMdc(Runnable r) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", request.sessionId().value())) {
            r.run();
        } catch (RuntimeException e) {
            LOG.error("transfer step failed", e);
            fail(Outcome.FAILED, null, "internal error: " + e);
        }
    }

    private void begin() {
        if (customer.transfer() != null) {
            complete(TransferResult.failed(Outcome.FAILED, request.target(), request.mode(), null,
                    "a transfer is already in progress for session " + request.sessionId(), engine.clock().instant()));
            phase = Phase.DONE;
            return;
        }
        if (customer.state() != CallLeg.State.CONFIRMED) {
            finishWithoutCleanup(Outcome.FAILED, null, "customer call leg is " + customer.state());
            return;
        }
        customer.transfer(this);
        customer.listener(this);
        timers.add(engine.schedule(customer.events(), request.timeout(), () -> withMdc(this::deadline)));
        progress(0, "transfer started: " + request.mode() + " to " + request.target().address());
        if (request.mode() == TransferMode.WARM) {
            // decide before anyone rings: a fallback after the consult call would ring the agent a second time
            if (!customer.supported().contains("replaces")) {
                coldInstead("the customer's phone does not support Replaces (its Supported: "
                        + (customer.supported().isEmpty() ? "none" : String.join(", ", customer.supported())) + ")");
                return;
            }
            if (agentReplaces == AgentAvailability.Replaces.NOT_SUPPORTED) {
                coldInstead("the agent's phone does not support Replaces (agent check: " + agentCheck + ")");
                return;
            }
            decision = agentReplaces == AgentAvailability.Replaces.SUPPORTED
                    ? "warm: Replaces supported by the customer's phone and the agent's (agent check: " + agentCheck + ")"
                    : "warm: Replaces supported by the customer's phone; the agent's to be seen in the consult answer (agent check: " + agentCheck + ")";
            if (settings.holdDuringConsult()) {
                hold();
            } else {
                consult();
            }
        } else {
            refer(null);
        }
    }

    // ---------------------------------------------------------------------------------------------- warm steps

    private void hold() {
        phase = Phase.HOLDING;
        engine.reinvite(customer, "sendonly", new ResponseHandler() {
            @Override
            public void response(Response r, Dialog d) {
                if (phase != Phase.HOLDING || r.getStatusCode() < 200) {
                    return;
                }
                held = r.getStatusCode() < 300;
                progress(r.getStatusCode(), "hold: " + r.getStatusCode() + " " + r.getReasonPhrase());
                withMdc(TransferProcess.this::consult);
            }

            @Override
            public void timeout() {
                if (phase == Phase.HOLDING) {
                    withMdc(TransferProcess.this::consult);
                }
            }
        });
    }

    private void consult() {
        phase = Phase.CONSULTING;
        SipURI agentUri = carried.targetUri();
        Map<String, String> consultHeaders = carried.headers();
        consult = engine.dial(request.sessionId(), agentUri.toString(), consultHeaders, customer.events(), false, new LegListener() {
            @Override
            public void provisional(int code, String reason) {
                if (phase == Phase.CONSULTING) {
                    progress(code, "consult: " + code + " " + reason);
                }
            }

            @Override
            public void established(Leg leg) {
                withMdc(() -> consultAnswered(leg));
            }

            @Override
            public void failed(int code, String reason) {
                if (phase == Phase.CONSULTING) {
                    consult = null;
                    fail(SipCodec.outcomeFor(code), code, "agent did not take the consult call: " + code + " " + reason);
                }
            }

            @Override
            public void ended(boolean byRemote) {
                if (byRemote && (phase == Phase.CONSULTING || phase == Phase.WHISPER)) {
                    consult = null;
                    fail(Outcome.REJECTED, null, "agent hung up the consult call before the bridge");
                }
            }
        });
        settings.correlations().record(customer.remoteUri(), consult.callId(), request.ticket());
    }

    private void consultAnswered(Leg leg) {
        if (phase != Phase.CONSULTING) {
            engine.hangUp(leg);
            return;
        }
        phase = Phase.WHISPER;
        progress(200, "consult connected to " + request.target().address());
        settings.whisper().open(request, leg).whenComplete((ok, error) -> customer.events().execute(() -> withMdc(() -> {
            if (phase != Phase.WHISPER) {
                return;
            }
            if (error != null) {
                fail(Outcome.FAILED, null, "whisper window failed: " + error);
                return;
            }
            bridge();
        })));
    }

    private void bridge() {
        if (agentReplaces == AgentAvailability.Replaces.UNKNOWN && !consult.supported().contains("replaces")) {
            // known only now, from the consult answer: the agent will be rung a second time by the customer
            modeUsed = TransferMode.COLD;
            decision = "cold after the consult call: the agent's phone did not list Replaces in its answer (agent check: "
                    + agentCheck + "), so the agent is rung again by the customer";
            progress(0, decision);
            engine.hangUp(consult);
            consult = null;
            refer(null);
            return;
        }
        String replaces = SipCodec.replaces(consult.callId(), consult.dialog.getRemoteTag(), consult.dialog.getLocalTag());
        refer(replaces);
    }

    /** A warm request carried out cold from the start, so the agent rings once. */
    private void coldInstead(String why) {
        modeUsed = TransferMode.COLD;
        decision = "cold instead of warm: " + why;
        progress(0, decision);
        refer(null);
    }

    // ---------------------------------------------------------------------------------------------- REFER

    private void refer(String replaces) {
        if (customer.state() != CallLeg.State.CONFIRMED) {
            fail(Outcome.FAILED, null, "customer call leg is " + customer.state() + " before REFER");
            return;
        }
        SipURI referTo;
        try {
            referTo = carried.referTo(replaces);
        } catch (java.text.ParseException e) {
            fail(Outcome.FAILED, null, "cannot build Refer-To: " + e.getMessage());
            return;
        }
        phase = Phase.REFERRING;
        try {
            referTx = engine.sendInDialog(customer, Request.REFER, r -> {
                try {
                    r.addHeader(engine.headerFactory().createReferToHeader(engine.address(referTo)));
                    r.addHeader(engine.header("Referred-By", "<" + carried.referredBy(customer.localUri()) + ">"));
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("cannot build REFER: " + e.getMessage(), e);
                }
            }, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog d) {
                    withMdc(() -> referAnswered(r));
                }

                @Override
                public void timeout() {
                    withMdc(() -> {
                        if (phase == Phase.REFERRING) {
                            fail(Outcome.TIMED_OUT, null, "REFER was never answered (transaction timeout)");
                        }
                    });
                }

                @Override
                public void retried(javax.sip.ClientTransaction retry) {
                    // sent again with credentials: the NOTIFYs name the new CSeq in Event: refer;id=
                    referCseq = ((CSeqHeader) retry.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
                    referTx = retry;
                }
            });
        } catch (RuntimeException e) {
            fail(Outcome.FAILED, null, e.getMessage());
            return;
        }
        referCseq = ((CSeqHeader) referTx.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (replaces == null) {
            settings.correlations().record(customer.remoteUri(), null, request.ticket());
        }
        progress(0, "REFER sent" + (replaces != null ? " with Replaces" : ""));
        acceptTimer = engine.schedule(customer.events(), settings.acceptTimeout(), () -> withMdc(() -> {
            if (phase == Phase.REFERRING) {
                // stop retransmitting first: a phone that only now receives the REFER would still carry out a
                // transfer we are about to report as TIMED_OUT
                stopReferRetransmissions();
                fail(Outcome.TIMED_OUT, null, "no answer to REFER within " + settings.acceptTimeout().toMillis() + " ms");
            }
        }));
        timers.add(acceptTimer);
    }

    /** Ends the REFER client transaction (and its retry with credentials) so no further copy is sent. */
    private void stopReferRetransmissions() {
        try {
            if (referTx != null) {
                referTx.terminate();
            }
        } catch (javax.sip.ObjectInUseException | RuntimeException e) {
            LOG.debug("REFER transaction not terminated: {}", e.toString());
        }
    }

    private void referAnswered(Response r) {
        int code = r.getStatusCode();
        if (phase != Phase.REFERRING || code < 200) {
            return;
        }
        if (code >= 300) {
            fail(SipCodec.outcomeFor(code), code, "REFER rejected: " + code + " " + r.getReasonPhrase());
            return;
        }
        var referSub = r.getHeader("Refer-Sub");
        referSubFalse = referSub != null && referSub.toString().toLowerCase(java.util.Locale.ROOT).contains("false");
        accepted(code, r.getReasonPhrase());
    }

    private void accepted(int code, String reason) {
        phase = Phase.ACCEPTED;
        if (acceptTimer != null) {
            acceptTimer.cancel(false);
        }
        progress(code, "REFER accepted: " + code + " " + reason);
        if (!sawNotify && !referSubFalse) {
            notifyTimer = engine.schedule(customer.events(), settings.notifyTimeout(), () -> withMdc(() -> {
                if (phase == Phase.ACCEPTED && !sawNotify) {
                    fail(Outcome.TIMED_OUT, null, "REFER accepted but no NOTIFY within " + settings.notifyTimeout().toMillis() + " ms");
                }
            }));
            timers.add(notifyTimer);
        }
    }

    @Override
    public void notified(Request notify) {
        withMdc(() -> handleNotify(notify));
    }

    private void handleNotify(Request notify) {
        if (phase != Phase.REFERRING && phase != Phase.ACCEPTED) {
            return;
        }
        EventHeader event = (EventHeader) notify.getHeader(EventHeader.NAME);
        if (event == null || !event.getEventType().equalsIgnoreCase("refer")) {
            return;
        }
        if (event.getEventId() != null && !event.getEventId().equals(Long.toString(referCseq))) {
            LOG.debug("NOTIFY for another REFER (id {}), ours is {}", event.getEventId(), referCseq);
            return;
        }
        SipCodec.Sipfrag frag;
        try {
            frag = SipCodec.parseSipfrag(notify.getRawContent());
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring NOTIFY: {}", e.getMessage());
            return;
        }
        sawNotify = true;
        if (notifyTimer != null) {
            notifyTimer.cancel(false);
        }
        if (phase == Phase.REFERRING) {
            accepted(202, "(implied by a NOTIFY that arrived before the 202)");
        }
        progress(frag.code(), frag.reason());
        SubscriptionStateHeader state = (SubscriptionStateHeader) notify.getHeader(SubscriptionStateHeader.NAME);
        boolean terminated = state != null && state.getState().equalsIgnoreCase(SubscriptionStateHeader.TERMINATED);
        if (frag.isFinal()) {
            if (frag.code() < 300) {
                succeed(frag.code());
            } else {
                fail(SipCodec.outcomeFor(frag.code()), frag.code(), "transfer target answered " + frag.code() + " " + frag.reason());
            }
        } else if (terminated) {
            fail(Outcome.TIMED_OUT, frag.code(), "transfer subscription ended without a final status (last: " + frag.code() + " " + frag.reason() + ")");
        }
    }

    @Override
    public void ended(boolean byRemote) {
        withMdc(() -> {
            if (phase == Phase.DONE) {
                return;
            }
            if (phase == Phase.ACCEPTED && referSubFalse) {
                succeed(202);
            } else {
                fail(Outcome.FAILED, null, "customer hung up during the transfer");
            }
        });
    }

    private void deadline() {
        if (phase != Phase.DONE) {
            fail(Outcome.TIMED_OUT, null, "no final transfer status within " + request.timeout().toMillis()
                    + " ms (last progress: " + lastProgress + ")");
        }
    }

    // ---------------------------------------------------------------------------------------------- outcome

    private void succeed(int code) {
        phase = Phase.DONE;
        cancelTimers();
        stopReferRetransmissions();
        detach();
        engine.hangUp(customer); // release the AI leg: only ever after a 2xx final status
        if (consult != null && consult.state() == CallLeg.State.CONFIRMED) {
            engine.hangUp(consult);
        }
        LOG.info("transfer to {} connected ({} {})", request.target().address(), code, modeUsed);
        complete(new TransferResult(Outcome.CONNECTED, request.target(), modeUsed, null, code,
                decision == null ? "connected" : "connected; " + decision, engine.clock().instant()));
    }

    private void fail(Outcome outcome, Integer code, String detail) {
        if (phase == Phase.DONE) {
            return;
        }
        phase = Phase.DONE;
        cancelTimers();
        stopReferRetransmissions();
        detach();
        if (consult != null) {
            engine.hangUp(consult);
            consult = null;
        }
        if (held && customer.state() == CallLeg.State.CONFIRMED) {
            try {
                engine.reinvite(customer, "sendrecv", new ResponseHandler() {
                    @Override
                    public void response(Response r, Dialog d) {
                    }

                    @Override
                    public void timeout() {
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("could not take the customer off hold: {}", e.getMessage());
            }
        }
        LOG.info("transfer to {} failed: {} ({})", request.target().address(), outcome, detail);
        complete(TransferResult.failed(outcome, request.target(), modeUsed, code,
                modeUsed == request.mode() || decision == null ? detail : detail + " (" + decision + ")", engine.clock().instant()));
    }

    private void finishWithoutCleanup(Outcome outcome, Integer code, String detail) {
        phase = Phase.DONE;
        complete(TransferResult.failed(outcome, request.target(), modeUsed, code, detail, engine.clock().instant()));
    }

    private void detach() {
        if (customer.transfer() == this) {
            customer.transfer(null);
            customer.listener(null);
        }
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> t : timers) {
            t.cancel(false);
        }
        timers.clear();
    }

    private void complete(TransferResult r) {
        engine.workers().execute(() -> result.complete(r));
    }

    private void progress(int code, String detail) {
        lastProgress = code == 0 ? detail : code + " " + detail;
        try {
            listener.progress(code, detail);
        } catch (RuntimeException e) {
            LOG.warn("transfer listener failed", e);
        }
    }

    /** For tests and logs. */
    @Override
    public String toString() {
        return "Transfer[" + request.sessionId() + " -> " + request.target().address() + ", " + phase + "]";
    }
}
