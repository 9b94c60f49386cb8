package dev.handoff.examples.phone;

import dev.handoff.api.context.HandoffContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A human agent's phone, scripted: it answers OPTIONS (the bot's availability probe) and INVITEs — the bot's
 * consult call of a warm transfer and the customer's call after a REFER. From each INVITE it takes the context
 * ticket (the {@code x-handoff} Request-URI parameter, else the hex {@code User-to-User} header, RFC 7433) and
 * redeems it for the full context <em>before</em> answering, as an agent's softphone integration would, so the
 * agent never asks the customer to repeat anything. An INVITE with {@code Replaces} (RFC 3891) takes over the
 * consult call, which the phone then ends with BYE. It can be told to refuse every call (486 Busy Here, 603 ...).
 *
 * <pre>{@code
 * AgentPhone frontDesk = AgentPhone.builder("frontdesk", SipPhone.freePort())
 *         .agentId("maria").redeemer(handoff::redeem).log(log).start();
 * }</pre>
 *
 * <p>Thread-safe; the script runs on the phone's own event thread.
 */
public final class AgentPhone extends SipPhone {

    /** Turns a ticket into the context (for example {@code handoff::redeem}); throws when the ticket is bad. */
    @FunctionalInterface
    public interface Redeemer {
        HandoffContext redeem(String ticket, String agentId);
    }

    /**
     * One INVITE that reached the phone.
     *
     * @param at           when it arrived
     * @param callId       its Call-ID
     * @param from         the caller's URI (the bot for a consult call, the customer after a REFER)
     * @param requestUri   the Request-URI, with its parameters
     * @param ticket       nullable; the ticket found
     * @param ticketSource where the ticket was found ({@code x-handoff parameter}, {@code User-to-User}), or "none"
     * @param replaces     nullable; the Replaces header value
     * @param answer       the status the phone answered with
     * @param context      nullable; the redeemed context
     * @param redeemError  nullable; why redeeming failed
     */
    public record Call(Instant at, String callId, String from, String requestUri, String ticket, String ticketSource,
                       String replaces, int answer, HandoffContext context, String redeemError) {
        public Call {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(callId, "callId");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(requestUri, "requestUri");
            Objects.requireNonNull(ticketSource, "ticketSource");
        }

        /** Whether the call came from the bot (a consult call) rather than from the customer. */
        public boolean fromBot(String botUser) {
            return from.startsWith("sip:" + botUser + "@");
        }
    }

    private final String agentId;
    private final int answerCode;
    private final int optionsCode;
    private final Redeemer redeemer;
    private final Clock clock;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Dialog> answered = new ConcurrentHashMap<>();

    private AgentPhone(Builder b) {
        super(b.name, b.port, b.log);
        this.agentId = b.agentId;
        this.answerCode = b.answerCode;
        this.optionsCode = b.optionsCode;
        this.redeemer = b.redeemer;
        this.clock = b.clock;
    }

    /**
     * @param name the user part of the phone's URI ({@code frontdesk})
     * @param port the UDP port ({@link SipPhone#freePort()})
     */
    public static Builder builder(String name, int port) {
        return new Builder(name, port);
    }

    /** The agent who owns the phone (the actor in the redeem audit record). */
    public String agentId() {
        return agentId;
    }

    /** Every INVITE that reached the phone, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    protected void request(Request request, ServerTransaction tx, Dialog dialog) {
        switch (request.getMethod()) {
            case Request.ACK -> { }
            case Request.OPTIONS -> {
                respond(tx, request, optionsCode);
            }
            case Request.INVITE -> {
                if (dialog != null && dialog.getState() == DialogState.CONFIRMED) {
                    try {
                        tx.sendResponse(answerInvite(request, Response.OK, "sendrecv"));
                    } catch (Exception e) {
                        say("could not answer a re-INVITE: " + e.getMessage());
                    }
                } else {
                    ring(request, tx);
                }
            }
            case Request.BYE -> {
                respond(tx, request, Response.OK);
                String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
                answered.remove(callId);
                say("call " + shortId(callId) + " ended by the other side (BYE)");
            }
            case Request.CANCEL, Request.NOTIFY -> respond(tx, request, Response.OK);
            default -> respond(tx, request, Response.METHOD_NOT_ALLOWED);
        }
    }

    private void ring(Request invite, ServerTransaction tx) {
        String callId = ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId();
        String from = ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
        String requestUri = invite.getRequestURI().toString();
        String paramTicket = invite.getRequestURI() instanceof SipURI uri && uri.getParameter("x-handoff") != null
                ? unescape(uri.getParameter("x-handoff")) : null;
        String uuiTicket = uui(invite.getHeader("User-to-User"));
        String ticket = paramTicket != null ? paramTicket : uuiTicket;
        String source = paramTicket != null && uuiTicket != null
                ? (paramTicket.equals(uuiTicket) ? "x-handoff parameter and User-to-User" : "x-handoff parameter (User-to-User differs)")
                : paramTicket != null ? "x-handoff parameter" : uuiTicket != null ? "User-to-User" : "none";
        Header replacesHeader = invite.getHeader("Replaces");
        String replaces = replacesHeader == null ? null : headerValue(replacesHeader);
        say("rings: call from " + from + (replaces != null ? " replacing call " + shortId(replaces.split(";")[0]) : "")
                + "; ticket in " + source);
        if (answerCode >= 300) {
            // recorded before the response leaves, so whoever sees the answer also sees the call
            calls.add(new Call(clock.instant(), callId, from, requestUri, ticket, source, replaces, answerCode, null, null));
            respond(tx, invite, answerCode);
            say("refuses the call: " + answerCode);
            return;
        }
        HandoffContext context = null;
        String redeemError = null;
        if (ticket == null) {
            redeemError = "no ticket on the INVITE";
        } else if (redeemer != null) {
            try {
                context = redeemer.redeem(ticket, agentId);
                say("redeemed the ticket: context " + context.contextId() + " (" + context.transcript().size()
                        + " turns, priority " + context.metadata().priority() + ") on screen before answering");
            } catch (RuntimeException e) {
                redeemError = e.getMessage();
                say("could not redeem the ticket: " + e.getMessage());
            }
        }
        Dialog replaced = null;
        if (replaces != null) {
            replaced = answered.get(replaces.split(";")[0].trim());
            if (replaced == null) {
                calls.add(new Call(clock.instant(), callId, from, requestUri, ticket, source, replaces, 481, context, redeemError));
                respond(tx, invite, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                say("no call to replace: 481");
                return;
            }
        }
        // recorded before the 200 OK leaves, so a caller that sees the answer also sees the call here
        Call call = new Call(clock.instant(), callId, from, requestUri, ticket, source, replaces, Response.OK, context, redeemError);
        calls.add(call);
        try {
            tx.sendResponse(answerInvite(invite, Response.OK, "sendrecv"));
            answered.put(callId, tx.getDialog());
        } catch (Exception e) {
            calls.remove(call);
            say("could not answer: " + e.getMessage());
            return;
        }
        say("answers (200 OK) as " + agentId);
        if (replaced != null && replaced.getState() == DialogState.CONFIRMED) {
            try {
                answered.remove(replaced.getCallId().getCallId());
                send(replaced.createRequest(Request.BYE), replaced);
                say("ends the replaced consult call with the bot (BYE)");
            } catch (Exception e) {
                say("could not end the replaced call: " + e.getMessage());
            }
        }
    }

    private static String uui(Header header) {
        if (header == null) {
            return null;
        }
        String[] parts = headerValue(header).split(";");
        boolean hex = false;
        for (int i = 1; i < parts.length; i++) {
            hex |= parts[i].trim().equalsIgnoreCase("encoding=hex");
        }
        if (!hex) {
            return parts[0].trim();
        }
        try {
            return new String(HexFormat.of().parseHex(parts[0].trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String headerValue(Header header) {
        String s = header.toString().trim();
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(colon + 1).trim();
    }

    private static String shortId(String callId) {
        return callId.length() > 12 ? callId.substring(0, 12) + "…" : callId;
    }

    /** Configures an {@link AgentPhone}. */
    public static final class Builder {

        /** Default answer to INVITEs: 200 OK. */
        public static final int DEFAULT_ANSWER = 200;
        /** Default answer to OPTIONS (the bot's availability probe): 200 OK. */
        public static final int DEFAULT_OPTIONS_ANSWER = 200;

        private final String name;
        private final int port;
        private String agentId;
        private int answerCode = DEFAULT_ANSWER;
        private int optionsCode = DEFAULT_OPTIONS_ANSWER;
        private Redeemer redeemer;
        private PhoneLog log = PhoneLog.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(String name, int port) {
            this.name = Objects.requireNonNull(name, "name");
            this.port = port;
            this.agentId = name;
        }

        /** The agent's id, used when redeeming tickets; default the phone's name. */
        public Builder agentId(String value) {
            this.agentId = Objects.requireNonNull(value, "agentId");
            return this;
        }

        /** How to answer INVITEs: 200, or a refusal of 400 to 699 (486 busy, 603 decline); default 200. */
        public Builder answerWith(int code) {
            if (code != 200 && (code < 400 || code > 699)) {
                throw new IllegalArgumentException("answerWith must be 200 or a refusal between 400 and 699, was " + code);
            }
            this.answerCode = code;
            return this;
        }

        /** How to answer OPTIONS: 200 (available) or 400 to 699; default 200. */
        public Builder optionsAnswer(int code) {
            if (code != 200 && (code < 400 || code > 699)) {
                throw new IllegalArgumentException("optionsAnswer must be 200 or a refusal between 400 and 699, was " + code);
            }
            this.optionsCode = code;
            return this;
        }

        /** What turns a ticket into the context; default none (the ticket is only recorded). */
        public Builder redeemer(Redeemer value) {
            this.redeemer = Objects.requireNonNull(value, "redeemer");
            return this;
        }

        /** Where the phone reports what it does; default nowhere. */
        public Builder log(PhoneLog value) {
            this.log = Objects.requireNonNull(value, "log");
            return this;
        }

        /** The clock for {@link Call#at()}; default the system UTC clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Starts the phone's stack.
         *
         * @throws IllegalStateException when it cannot listen on the port
         */
        public AgentPhone start() {
            return new AgentPhone(this);
        }
    }
}
