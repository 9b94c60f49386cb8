package dev.handoff.sip;

import dev.handoff.api.PreflightResult;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.sip.internal.Leg;
import dev.handoff.sip.internal.SipCodec;
import dev.handoff.sip.internal.SipEngine;
import dev.handoff.sip.internal.TransferProcess;
import dev.handoff.sip.internal.TransferSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link TransferExecutor} over SIP: cold transfer (in-dialog REFER with Refer-To and Referred-By) and warm
 * transfer (consult INVITE to the agent carrying the ticket, a whisper window, then REFER with Replaces; cold when
 * the customer's phone does not support Replaces), on the call legs of a {@link SipUserAgent}.
 *
 * <pre>{@code
 * TransferExecutor executor = SipTransferExecutor.builder(userAgent)
 *         .header("X-Handoff-Tenant", "acme")
 *         .lastResort(LastResort.backupQueue("sip:overflow@pbx.example.com"))
 *         .build();
 * }</pre>
 *
 * <p>The context ticket travels in every carrier of the {@link TicketCarriage} (RFC 7433 User-to-User, an X- header,
 * a parameter of the target URI, Referred-By); the agent's side reads it back with {@link TicketCarriage#read}, or
 * redeems it through {@link #correlations()} when every carrier was stripped on the way.
 *
 * <p>{@link #transfer} always runs {@link #preflight} first; the returned stage completes <em>normally</em> with
 * a non-connected result when anything fails (REJECTED for 4xx/6xx, BUSY for 486/600, TIMED_OUT for 408/480/487
 * and local timers, PREFLIGHT_FAILED, FAILED for 5xx and transport errors), with the SIP code that decided it.
 * The customer's leg is hung up (BYE) only after a 2xx final sipfrag; a failed transfer never hangs up on the
 * customer. Progress (202, each sipfrag status) goes to the {@link TransferListener} on a user-agent thread.
 */
public final class SipTransferExecutor implements TransferExecutor {

    private final SipUserAgent userAgent;
    private final TransferSettings settings;
    private final AgentAvailability availability;
    private final LastResort lastResort;
    private final boolean requireAllowRefer;
    private final int maxTicketBytes;
    private final TransferCorrelations correlations;
    private final AgentProbe agentProbe;

    private SipTransferExecutor(Builder b) {
        this.userAgent = b.userAgent;
        this.correlations = new TransferCorrelations(b.carriage, b.userAgent.engine().clock(), b.correlationWindow,
                TransferCorrelations.DEFAULT_CAPACITY);
        this.settings = new TransferSettings(b.acceptTimeout, b.notifyTimeout, b.carriage, correlations, b.headers,
                b.holdDuringConsult, b.whisper);
        this.agentProbe = b.agentProbe;
        this.availability = b.availability != null ? b.availability : this::probe;
        this.lastResort = b.lastResort;
        this.requireAllowRefer = b.requireAllowRefer;
        this.maxTicketBytes = b.maxTicketBytes;
    }

    /** A builder for an executor on {@code userAgent}, with the defaults stated on its setters. */
    public static Builder builder(SipUserAgent userAgent) {
        return new Builder(Objects.requireNonNull(userAgent, "userAgent"));
    }

    /**
     * The transfers this executor started, for the agent's side to redeem a ticket by caller or consult call when
     * the INVITE that reached the agent carries none (see {@link TransferCorrelations#redeem}). Thread-safe.
     */
    public TransferCorrelations correlations() {
        return correlations;
    }

    /** How this executor carries the ticket; the agent's side reads it back with {@link TicketCarriage#read}. */
    public TicketCarriage carriage() {
        return settings.carriage();
    }

    @Override
    public Set<TransferMode> modes() {
        return EnumSet.of(TransferMode.COLD, TransferMode.WARM);
    }

    /**
     * The three-party check. AI leg: the session has a confirmed call leg with no transaction pending and no
     * transfer in progress. Agent: the {@link AgentAvailability} (SIP OPTIONS answered 2xx by default). Connector:
     * a SIP target with a valid URI and a ticket that fits, a COLD or WARM mode, and a customer whose {@code Allow}
     * lists REFER (a missing Allow header counts as allowed unless {@link Builder#requireAllowRefer}).
     * Never throws; runs the agent check on the user agent's threads.
     */
    @Override
    public CompletionStage<PreflightResult> preflight(TransferRequest request) {
        return check(request).thenApply(Check::result);
    }

    /** The preflight with what the agent check learnt about Replaces, for the warm-transfer decision. */
    private record Check(PreflightResult result, AgentAvailability.Replaces agentReplaces, String agentDetail) {
    }

    private CompletionStage<Check> check(TransferRequest request) {
        Objects.requireNonNull(request, "request");
        SipEngine engine = userAgent.engine();
        Leg leg = engine.leg(request.sessionId());
        String aiLeg = aiLegProblem(leg);
        String connector = connectorProblem(request, leg);
        CompletionStage<AgentAvailability.Answer> agent;
        if (connector != null && connector.startsWith("target")) {
            agent = CompletableFuture.completedFuture(new AgentAvailability.Answer(false, "not checked: " + connector));
        } else {
            try {
                agent = availability.check(request);
            } catch (RuntimeException e) {
                agent = CompletableFuture.failedFuture(e);
            }
        }
        return agent.handle((answer, error) -> {
            AgentAvailability.Answer a = error != null
                    ? new AgentAvailability.Answer(false, "availability check failed: " + error)
                    : answer;
            List<String> parts = new ArrayList<>();
            parts.add("ai leg: " + (aiLeg == null ? "ok" : aiLeg));
            parts.add("agent: " + a.detail());
            parts.add("connector: " + (connector == null ? "ok" : connector));
            return new Check(new PreflightResult(aiLeg == null, a.available(), connector == null, String.join("; ", parts)),
                    a.replaces(), a.detail());
        });
    }

    private static String aiLegProblem(Leg leg) {
        if (leg == null) {
            return "no call leg for this session";
        }
        if (leg.state() != CallLeg.State.CONFIRMED) {
            return "call leg " + leg.callId() + " is " + leg.state() + ", not confirmed";
        }
        if (leg.pendingTransactions() > 0) {
            return "call leg " + leg.callId() + " has " + leg.pendingTransactions() + " transaction(s) pending";
        }
        if (leg.transfer() != null) {
            return "a transfer is already in progress";
        }
        return null;
    }

    private String connectorProblem(TransferRequest request, Leg leg) {
        if (request.target().kind() != Target.Kind.SIP) {
            return "target " + request.target().id() + " is a " + request.target().kind() + " target, expected SIP";
        }
        try {
            userAgent.engine().parseSipUri(request.target().address());
        } catch (IllegalArgumentException e) {
            return "target " + e.getMessage();
        }
        if (request.mode() != TransferMode.COLD && request.mode() != TransferMode.WARM) {
            return "mode " + request.mode() + " is not a SIP transfer mode, expected COLD or WARM";
        }
        int ticketBytes = request.ticket().getBytes(StandardCharsets.UTF_8).length;
        if (ticketBytes == 0 || ticketBytes > maxTicketBytes) {
            return "ticket must be 1 to " + maxTicketBytes + " bytes to fit User-to-User, was " + ticketBytes;
        }
        if (!request.ticket().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return "ticket must be visible ASCII without spaces (it travels in headers and URIs), was \""
                    + SipCodec.printable(request.ticket()) + "\"";
        }
        if (!SipCodec.isToken(request.ticket()) && settings.carriage().uses(TicketCarrier.USER_TO_USER)
                && settings.carriage().uuiEncoding() == TicketCarriage.UuiEncoding.NONE) {
            return "ticket must be a SIP token for User-to-User without encoding, was \"" + SipCodec.printable(request.ticket()) + "\"";
        }
        for (String name : request.headers().keySet()) {
            if (!SipCodec.isToken(name)) {
                return "header name \"" + name + "\" is not a SIP token";
            }
        }
        if (leg != null) {
            if (leg.allow().isEmpty() ? requireAllowRefer : !leg.allow().contains("REFER")) {
                return "customer's phone does not allow REFER (Allow: " + (leg.allow().isEmpty() ? "absent" : String.join(", ", leg.allow())) + ")";
            }
        }
        return null;
    }

    private CompletionStage<AgentAvailability.Answer> probe(TransferRequest request) {
        if (agentProbe == AgentProbe.NONE) {
            return CompletableFuture.completedFuture(new AgentAvailability.Answer(true, "not probed (agentProbe NONE), the INVITE decides"));
        }
        return userAgent.engine().probe(request.target().address()).thenApply(p -> {
            int code = p.code();
            if (code >= 200 && code < 300) {
                // no Supported header at all says nothing (many PBX extensions omit it); a list without replaces is a no
                if (p.supported().isEmpty()) {
                    return new AgentAvailability.Answer(true, "OPTIONS answered " + code + " without Supported");
                }
                return new AgentAvailability.Answer(true, "OPTIONS answered " + code + " with Supported: " + String.join(", ", p.supported()),
                        p.supported().contains("replaces") ? AgentAvailability.Replaces.SUPPORTED : AgentAvailability.Replaces.NOT_SUPPORTED);
            }
            if (code == 405 || code == 501) {
                return new AgentAvailability.Answer(true, "OPTIONS not supported (" + code + "), availability unknown, the INVITE decides");
            }
            return new AgentAvailability.Answer(false, code == 408 ? "no answer to OPTIONS (408)" : "OPTIONS answered " + code);
        });
    }

    /**
     * Runs the preflight, then one transfer attempt, then the {@link LastResort} when it failed. Returns at once.
     * The stage completes normally within the request's timeout (plus the OPTIONS probe), on a user-agent thread.
     */
    @Override
    public CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
        Objects.requireNonNull(request, "request");
        TransferListener progress = listener == null ? TransferListener.NONE : listener;
        long startedNanos = System.nanoTime();
        return attempt(request, progress, startedNanos).thenCompose(result -> {
            if (result.connected()) {
                return CompletableFuture.completedFuture(result);
            }
            Optional<Target> backup;
            try {
                backup = lastResort.after(request, result);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(result);
            }
            Duration left = request.timeout().minusNanos(System.nanoTime() - startedNanos);
            if (backup.isEmpty() || left.isNegative() || left.isZero()) {
                return CompletableFuture.completedFuture(result);
            }
            TransferRequest second = new TransferRequest(request.sessionId(), request.contextId(), request.ticket(), backup.get(),
                    TransferMode.COLD, request.priority(), request.headers(), left);
            progress.progress(0, "trying last resort " + backup.get().address() + " after: " + result.detail());
            return attempt(second, progress, System.nanoTime()).thenApply(r -> r.connected() ? r
                    : new TransferResult(result.outcome(), result.target(), result.mode(), null, result.protocolCode(),
                    result.detail() + "; last resort " + backup.get().address() + " also failed: " + r.detail(), r.completedAt()));
        });
    }

    private CompletionStage<TransferResult> attempt(TransferRequest request, TransferListener listener, long startedNanos) {
        SipEngine engine = userAgent.engine();
        return check(request).thenCompose(checked -> {
            PreflightResult check = checked.result();
            if (!check.ok()) {
                return CompletableFuture.completedFuture(TransferResult.failed(TransferResult.Outcome.PREFLIGHT_FAILED,
                        request.target(), request.mode(), null, "preflight failed: " + check.detail(), engine.clock().instant()));
            }
            Leg leg = engine.leg(request.sessionId());
            if (leg == null) {
                return CompletableFuture.completedFuture(TransferResult.failed(TransferResult.Outcome.PREFLIGHT_FAILED,
                        request.target(), request.mode(), null, "call leg ended after preflight", engine.clock().instant()));
            }
            Duration left = request.timeout().minusNanos(System.nanoTime() - startedNanos);
            TransferRequest timed = left.compareTo(Duration.ofMillis(1)) < 0 ? request
                    : new TransferRequest(request.sessionId(), request.contextId(), request.ticket(), request.target(),
                    request.mode(), request.priority(), request.headers(), left);
            return new TransferProcess(engine, settings, timed, listener, leg, checked.agentReplaces(), checked.agentDetail()).start();
        });
    }

    /** Configures a {@link SipTransferExecutor}; validates each value where it is set. Not thread-safe. */
    public static final class Builder {

        /** Default time the customer's phone has to answer the REFER (202): 4 s. */
        public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(4);
        /** Default time from the 202 to the first NOTIFY: 4 s. */
        public static final Duration DEFAULT_NOTIFY_TIMEOUT = Duration.ofSeconds(4);
        /** Default maximum ticket size: 128 bytes (ISDN UUI interworking limit). */
        public static final int DEFAULT_MAX_TICKET_BYTES = 128;

        private final SipUserAgent userAgent;
        private Duration acceptTimeout = DEFAULT_ACCEPT_TIMEOUT;
        private Duration notifyTimeout = DEFAULT_NOTIFY_TIMEOUT;
        private TicketCarriage carriage = TicketCarriage.defaults();
        private Duration correlationWindow = TransferCorrelations.DEFAULT_WINDOW;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean holdDuringConsult;
        private WhisperWindow whisper = WhisperWindow.none();
        private AgentAvailability availability;
        private AgentProbe agentProbe = AgentProbe.OPTIONS;
        private LastResort lastResort = LastResort.none();
        private boolean requireAllowRefer;
        private int maxTicketBytes = DEFAULT_MAX_TICKET_BYTES;

        private Builder(SipUserAgent userAgent) {
            this.userAgent = userAgent;
        }

        /** How long the customer's phone has to answer the REFER; positive; default 4 s. */
        public Builder acceptTimeout(Duration value) {
            this.acceptTimeout = SipUserAgent.Builder.positive(value, "acceptTimeout");
            return this;
        }

        /** How long after the 202 the first NOTIFY may take; positive; default 4 s. */
        public Builder notifyTimeout(Duration value) {
            this.notifyTimeout = SipUserAgent.Builder.positive(value, "notifyTimeout");
            return this;
        }

        /** Where the ticket travels and in which order the agent's side reads it; default {@link TicketCarriage#defaults()}. */
        public Builder ticketCarriage(TicketCarriage value) {
            this.carriage = Objects.requireNonNull(value, "ticketCarriage");
            return this;
        }

        /**
         * How long after a transfer started the agent's side can redeem its ticket by caller or consult call
         * ({@link SipTransferExecutor#correlations()}); positive; default 60 s.
         */
        public Builder correlationWindow(Duration value) {
            this.correlationWindow = SipUserAgent.Builder.positive(value, "correlationWindow");
            return this;
        }

        /** A header carried on every transfer (consult INVITE and Refer-To URI), beside the request's own. */
        public Builder header(String name, String value) {
            token(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (value.contains("\r") || value.contains("\n")) {
                throw new IllegalArgumentException("header " + name + " must be one line, was \"" + value.replace("\r", "\\r").replace("\n", "\\n") + "\"");
            }
            headers.put(name, value);
            return this;
        }

        /** Put the customer on hold (re-INVITE sendonly) during the consult call of a warm transfer; default false. */
        public Builder holdDuringConsult(boolean value) {
            this.holdDuringConsult = value;
            return this;
        }

        /** The whisper window of a warm transfer; default {@link WhisperWindow#none()}. */
        public Builder whisperWindow(WhisperWindow value) {
            this.whisper = Objects.requireNonNull(value, "whisperWindow");
            return this;
        }

        /** How the default availability check probes the agent; default {@link AgentProbe#OPTIONS}. */
        public Builder agentProbe(AgentProbe value) {
            this.agentProbe = Objects.requireNonNull(value, "agentProbe");
            return this;
        }

        /** The agent availability check; default the {@link #agentProbe} (SIP OPTIONS). */
        public Builder agentAvailability(AgentAvailability value) {
            this.availability = Objects.requireNonNull(value, "agentAvailability");
            return this;
        }

        /** What to do after a failed attempt; default {@link LastResort#none()}. */
        public Builder lastResort(LastResort value) {
            this.lastResort = Objects.requireNonNull(value, "lastResort");
            return this;
        }

        /** Treat a customer without an Allow header as not allowing REFER; default false (RFC 3261 lets it be absent). */
        public Builder requireAllowRefer(boolean value) {
            this.requireAllowRefer = value;
            return this;
        }

        /** The largest ticket accepted, 1 to 1024 bytes; default {@value #DEFAULT_MAX_TICKET_BYTES}. */
        public Builder maxTicketBytes(int value) {
            if (value < 1 || value > 1024) {
                throw new IllegalArgumentException("maxTicketBytes must be between 1 and 1024, was " + value);
            }
            this.maxTicketBytes = value;
            return this;
        }

        /**
         * Builds the executor.
         *
         * @throws IllegalArgumentException when a carried header would override User-to-User, Replaces, Referred-By
         *         or the ticket's X- header
         */
        public SipTransferExecutor build() {
            if (headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("User-to-User") || h.equalsIgnoreCase("Replaces")
                    || h.equalsIgnoreCase("Referred-By") || h.equalsIgnoreCase(carriage.headerName()))) {
                throw new IllegalArgumentException("headers must not set User-to-User, Replaces, Referred-By or "
                        + carriage.headerName() + "; the executor sets them");
            }
            return new SipTransferExecutor(this);
        }

        private static String token(String value, String name) {
            Objects.requireNonNull(value, name);
            if (!SipCodec.isToken(value)) {
                throw new IllegalArgumentException(name + " must be a SIP token (letters, digits, -.!%*_+`'~), was \"" + value + "\"");
            }
            return value;
        }
    }
}
