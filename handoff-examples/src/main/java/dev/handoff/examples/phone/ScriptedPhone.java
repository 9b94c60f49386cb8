package dev.handoff.examples.phone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.Header;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The customer's phone, scripted: it dials the bot and then only reacts, like a SIP phone whose user stays on
 * the line. It answers a REFER with 202, reports progress with NOTIFY {@code message/sipfrag} ({@code 100 Trying},
 * then the target's final status, RFC 3515), and INVITEs the Refer-To target with the URI's parameters kept (the
 * {@code x-handoff} ticket) and its escaped headers turned into real headers ({@code User-to-User},
 * {@code X-Handoff-Priority}, {@code Replaces} for a warm transfer, RFC 3891). It answers re-INVITEs (hold) and
 * BYEs with 200 and never hangs up unless {@link #hangUp()} is called.
 *
 * <pre>{@code
 * try (ScriptedPhone customer = ScriptedPhone.start("customer", SipPhone.freePort(), log)) {
 *     customer.dial(bot.localUri(), Map.of()).get(5, SECONDS);
 *     ...                                                  // the bot talks, then transfers
 *     customer.botHungUp().get(5, SECONDS);                // after a successful transfer
 * }
 * }</pre>
 *
 * <p>Thread-safe; the script runs on the phone's own event thread.
 */
public final class ScriptedPhone extends SipPhone {

    /** One REFER the phone followed. */
    public record Referral(String referTo, String target, Map<String, String> carriedHeaders, int finalStatus) {
        public Referral {
            Objects.requireNonNull(referTo, "referTo");
            Objects.requireNonNull(target, "target");
            java.util.TreeMap<String, String> copy = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            copy.putAll(carriedHeaders);
            carriedHeaders = Collections.unmodifiableMap(copy);
        }

        /** The ticket in the target URI's {@code x-handoff} parameter, or null. */
        public String ticketParameter() {
            int at = target.indexOf(";x-handoff=");
            if (at < 0) {
                return null;
            }
            String rest = target.substring(at + ";x-handoff=".length());
            int end = rest.indexOf(';');
            return unescape(end < 0 ? rest : rest.substring(0, end));
        }
    }

    private final boolean supportsReplaces;
    private final List<Referral> referrals = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> botHungUp = new CompletableFuture<>();
    private final CompletableFuture<String> transferred = new CompletableFuture<>();
    private final List<Dialog> calls = new CopyOnWriteArrayList<>();
    private volatile Dialog botCall;

    private ScriptedPhone(String name, int port, PhoneLog log, boolean supportsReplaces) {
        super(name, port, log);
        this.supportsReplaces = supportsReplaces;
    }

    /** Starts a customer phone that supports Replaces (so the bot can do a warm transfer). */
    public static ScriptedPhone start(String name, int port, PhoneLog log) {
        return new ScriptedPhone(name, port, log, true);
    }

    /** Starts a customer phone; without Replaces support the bot falls back to a cold transfer. */
    public static ScriptedPhone start(String name, int port, PhoneLog log, boolean supportsReplaces) {
        return new ScriptedPhone(name, port, log, supportsReplaces);
    }

    /**
     * Calls {@code sipUri} (the bot) with the given extra headers.
     *
     * @return completes when the call is answered and acknowledged; exceptionally with the status when refused
     */
    public CompletionStage<Void> dial(String sipUri, Map<String, String> extraHeaders) {
        Objects.requireNonNull(sipUri, "sipUri");
        CompletableFuture<Void> answered = new CompletableFuture<>();
        later(() -> {
            try {
                SipURI target = (SipURI) addresses.createURI(sipUri);
                Request invite = newInvite(target, extraHeaders == null ? Map.of() : extraHeaders);
                say("dials " + sipUri);
                send(invite, null).whenComplete((answer, error) -> {
                    if (error != null) {
                        say("call to " + sipUri + " failed: " + error.getMessage());
                        answered.completeExceptionally(error);
                        return;
                    }
                    Response r = answer.getResponse();
                    if (r.getStatusCode() >= 300) {
                        say("call to " + sipUri + " refused: " + r.getStatusCode() + " " + r.getReasonPhrase());
                        answered.completeExceptionally(new IllegalStateException("call refused: " + r.getStatusCode()));
                        return;
                    }
                    try {
                        ack(answer);
                        botCall = answer.getDialog();
                        calls.add(botCall);
                        say("the bot answered (200 OK, ACK sent); call " + answer.getDialog().getCallId().getCallId());
                        answered.complete(null);
                    } catch (Exception e) {
                        answered.completeExceptionally(e);
                    }
                });
            } catch (Exception e) {
                answered.completeExceptionally(e);
            }
        });
        return answered;
    }

    /** Completes when the bot hangs up (BYE) on the original call. A failed transfer must never complete it. */
    public CompletionStage<Void> botHungUp() {
        return botHungUp;
    }

    /** Whether the bot sent BYE on the original call. */
    public boolean wasHungUpOnByBot() {
        return botHungUp.isDone();
    }

    /** Whether the original call with the bot is still up (answered, no BYE either way). */
    public boolean botCallUp() {
        Dialog d = botCall;
        return d != null && d.getState() == DialogState.CONFIRMED && !botHungUp.isDone();
    }

    /** Completes with the target's URI when a REFER target answered 2xx. */
    public CompletionStage<String> transferred() {
        return transferred;
    }

    /** Every REFER followed, in order. */
    public List<Referral> referrals() {
        return List.copyOf(referrals);
    }

    /** Hangs up every call this phone is on (BYE). */
    public void hangUp() {
        later(() -> {
            for (Dialog d : calls) {
                if (d.getState() == DialogState.CONFIRMED) {
                    try {
                        send(d.createRequest(Request.BYE), d);
                        say("hangs up call " + d.getCallId().getCallId());
                    } catch (Exception e) {
                        say("could not hang up: " + e.getMessage());
                    }
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------ script

    @Override
    protected void request(Request request, ServerTransaction tx, Dialog dialog) {
        switch (request.getMethod()) {
            case Request.ACK -> { }
            case Request.REFER -> refer(request, tx, dialog);
            case Request.INVITE -> reinvite(request, tx, dialog);
            case Request.BYE -> {
                respond(tx, request, Response.OK);
                calls.remove(dialog);
                if (dialog != null && dialog == botCall) {
                    say("the bot hung up its leg (BYE, answered 200 OK)");
                    botHungUp.complete(null);
                } else {
                    say("the other side hung up (BYE)");
                }
            }
            case Request.NOTIFY, Request.OPTIONS, Request.CANCEL -> respond(tx, request, Response.OK);
            default -> respond(tx, request, Response.METHOD_NOT_ALLOWED);
        }
    }

    private void reinvite(Request request, ServerTransaction tx, Dialog dialog) {
        if (dialog == null || dialog.getState() != DialogState.CONFIRMED) {
            respond(tx, request, Response.BUSY_HERE);
            say("refused a new call while scripted (486)");
            return;
        }
        String body = request.getRawContent() == null ? "" : new String(request.getRawContent(), java.nio.charset.StandardCharsets.US_ASCII);
        boolean hold = body.contains("a=sendonly") || body.contains("a=inactive");
        try {
            tx.sendResponse(answerInvite(request, Response.OK, hold ? "recvonly" : "sendrecv"));
            say(hold ? "put on hold by the bot (re-INVITE sendonly, 200 OK)" : "taken off hold (re-INVITE, 200 OK)");
        } catch (Exception e) {
            say("could not answer the re-INVITE: " + e.getMessage());
        }
    }

    private void refer(Request refer, ServerTransaction tx, Dialog dialog) {
        ReferToHeader referTo = (ReferToHeader) refer.getHeader(ReferToHeader.NAME);
        if (dialog == null || referTo == null || !(referTo.getAddress().getURI() instanceof SipURI target)) {
            respond(tx, refer, dialog == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.BAD_REQUEST);
            return;
        }
        try {
            Response accepted = messages.createResponse(Response.ACCEPTED, refer);
            accepted.addHeader(contact());
            tx.sendResponse(accepted);
        } catch (Exception e) {
            say("could not accept the REFER: " + e.getMessage());
            return;
        }
        long referCseq = ((CSeqHeader) refer.getHeader(CSeqHeader.NAME)).getSeqNumber();
        Map<String, String> carried = new LinkedHashMap<>();
        target.getHeaderNames().forEachRemaining(n -> {
            String headerName = (String) n;
            if (!headerName.equalsIgnoreCase("body")) {
                carried.put(canonical(headerName), unescape(target.getHeader(headerName)));
            }
        });
        SipURI plain;
        try {
            plain = withoutHeaders(target);
        } catch (Exception e) {
            notifyFinal(dialog, referCseq, "400 Bad Refer-To", null);
            return;
        }
        say("REFER received (202 Accepted): transfer to " + plain + " carrying " + String.join(", ", carried.keySet()));
        Header referredBy = refer.getHeader("Referred-By");
        sendNotify(dialog, referCseq, "SIP/2.0 100 Trying", false).whenComplete((ok, error) -> {
            try {
                Request invite = newInvite(plain, Map.of());
                for (Map.Entry<String, String> h : carried.entrySet()) {
                    if (h.getKey().equalsIgnoreCase("Replaces") && !supportsReplaces) {
                        continue;
                    }
                    invite.addHeader(headers.createHeader(h.getKey(), h.getValue()));
                }
                if (referredBy != null) {
                    invite.addHeader(referredBy);
                }
                say("INVITE " + plain + (carried.containsKey("Replaces") ? " with Replaces (the consult call)" : "")
                        + "; NOTIFY 100 Trying sent to the bot");
                send(invite, null).whenComplete((answer, failed) -> {
                    int code;
                    String reason;
                    if (failed != null) {
                        code = 408;
                        reason = "Request Timeout";
                    } else {
                        code = answer.getResponse().getStatusCode();
                        reason = answer.getResponse().getReasonPhrase();
                    }
                    referrals.add(new Referral(target.toString(), plain.toString(), carried, code));
                    if (code >= 200 && code < 300) {
                        try {
                            ack(answer);
                            calls.add(answer.getDialog());
                        } catch (Exception e) {
                            say("could not ACK the target: " + e.getMessage());
                        }
                        say("the target answered " + code + " " + reason + "; now talking to " + plain.getUser());
                        notifyFinal(dialog, referCseq, code + " " + reason, plain.toString());
                    } else {
                        say("the target answered " + code + " " + reason + "; still on the line with the bot");
                        notifyFinal(dialog, referCseq, code + " " + reason, null);
                    }
                });
            } catch (Exception e) {
                say("could not INVITE the target: " + e.getMessage());
                notifyFinal(dialog, referCseq, "500 Server Internal Error", null);
            }
        });
    }

    /** The usual spelling of a header name (the RI lower-cases URI header names): User-to-User, X-Handoff-Priority. */
    static String canonical(String headerName) {
        if (headerName.equalsIgnoreCase("User-to-User")) {
            return "User-to-User";
        }
        StringBuilder b = new StringBuilder(headerName.length());
        boolean start = true;
        for (char c : headerName.toCharArray()) {
            b.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = c == '-';
        }
        return b.toString();
    }

    private void notifyFinal(Dialog dialog, long referCseq, String status, String connectedTo) {
        sendNotify(dialog, referCseq, "SIP/2.0 " + status, true).whenComplete((r, e) -> {
            if (connectedTo != null) {
                transferred.complete(connectedTo);
            }
        });
        say("NOTIFY sipfrag \"SIP/2.0 " + status + "\" sent to the bot (subscription terminated)");
    }

    private CompletableFuture<ResponseEvent> sendNotify(Dialog dialog, long referCseq, String sipfrag, boolean terminated) {
        try {
            Request notify = dialog.createRequest(Request.NOTIFY);
            EventHeader event = headers.createEventHeader("refer");
            event.setEventId(Long.toString(referCseq));
            notify.setHeader(event);
            SubscriptionStateHeader state = headers.createSubscriptionStateHeader(
                    terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (terminated) {
                state.setReasonCode("noresource");
            } else {
                state.setExpires(60);
            }
            notify.setHeader(state);
            notify.setHeader(contact());
            ContentTypeHeader type = headers.createContentTypeHeader("message", "sipfrag");
            type.setParameter("version", "2.0");
            notify.setContent(sipfrag, type);
            return send(notify, dialog);
        } catch (Exception e) {
            say("could not send NOTIFY: " + e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
    }

    private Request newInvite(SipURI target, Map<String, String> extraHeaders) throws Exception {
        SipURI toUri = addresses.createSipURI(target.getUser(), target.getHost());
        if (target.getPort() > 0) {
            toUri.setPort(target.getPort());
        }
        CallIdHeader callId = provider.getNewCallId();
        Request invite = messages.createRequest(target, Request.INVITE, callId, headers.createCSeqHeader(1L, Request.INVITE),
                headers.createFromHeader(self(), newTag()), headers.createToHeader(addresses.createAddress(toUri), null),
                new ArrayList<>(List.of(via())), headers.createMaxForwardsHeader(70));
        invite.addHeader(contact());
        addAllow(invite);
        if (supportsReplaces) {
            invite.addHeader(headers.createHeader("Supported", "replaces"));
        }
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            invite.addHeader(headers.createHeader(h.getKey(), h.getValue()));
        }
        invite.setContent(sdp("sendrecv"), headers.createContentTypeHeader("application", "sdp"));
        return invite;
    }

    @Override
    public String toString() {
        return "ScriptedPhone[" + uri() + ", " + referrals.size() + " referral(s)" + (botHungUp.isDone() ? ", bot hung up" : "")
                + "]";
    }
}
