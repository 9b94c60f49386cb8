package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferMode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.api.spi.Router;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.Redeemer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketRedeemer;
import dev.handoff.core.context.TicketScope;
import dev.handoff.core.context.Tickets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The entry point: opens {@link HandoffSession}s and answers the agent side. A façade: the settings are a
 * {@link HandoffSettings} record, the SPI implementations are resolved once at {@link Builder#build()}, the threads
 * are a {@link HandoffExecutors}, and the handoffs run in an internal orchestrator.
 *
 * <pre>{@code
 * try (Handoff handoff = Handoff.builder().build()) {         // every default, chat queues included
 *     HandoffSession s = handoff.open(SessionId.of("chat-42"), Channel.CHAT, CustomerData.UNKNOWN);
 *     HandoffDecision d = s.customer("I want to talk to a person");
 *     if (d.isHandoff()) s.handOff(d).thenAccept(outcome -> ...);
 * }
 * }</pre>
 *
 * <p>Each SPI is resolved in this order: the instance set on the builder; else the single provider found by
 * {@link java.util.ServiceLoader} (two or more fail the build, naming both); else the core default. Thread-safe.
 * Close it to end running handoffs (they return to the bot) and stop the threads it created.
 */
public final class Handoff implements AutoCloseable {

    private final HandoffRuntime runtime;
    private final TicketRedeemer redeemer;

    private Handoff(Builder b) {
        HandoffSettings settings = b.settings.build();
        HandoffExecutors executors = b.executors != null ? b.executors : HandoffExecutors.ofDefaults();
        Components components = Components.resolve(b, b.clock, executors.scheduler());
        this.runtime = new HandoffRuntime(settings, components, executors, b.executors == null, b.clock, b.listeners, b.ownership);
        this.redeemer = new TicketRedeemer(components.tickets(), components.store(), components.signer(), components.auditSink(), b.clock);
        // class loading, Jackson, Hibernate Validator and regexes now, not inside the first customer's handoff
        Warmup.run(components, executors, b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a conversation.
     *
     * @throws IllegalStateException when a session with this id is already open, or this Handoff is closed
     */
    public HandoffSession open(SessionId id, Channel channel, CustomerData customer) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(customer, "customer");
        return runtime.open(id, channel, customer);
    }

    /** Opens a conversation with a random id and no customer data. */
    public HandoffSession open(Channel channel) {
        return open(SessionId.random(), channel, CustomerData.UNKNOWN);
    }

    /** An open session by id. */
    public Optional<HandoffSession> session(SessionId id) {
        return Optional.ofNullable(runtime.session(id));
    }

    /**
     * Ends every session idle longer than the idle timeout now and returns how many ended. This also runs by itself
     * every {@link HandoffSettings#idleSweepInterval()}.
     */
    public int expireIdleSessions() {
        return runtime.expireIdleSessions();
    }

    /**
     * Redeems a ticket (from a SIP header, a desktop link) for its context on behalf of {@code actor} (an agent id, a
     * CRM name), after checking the ticket, its binding and the context's signature and expiry; every attempt,
     * refused ones included, is audited with the actor ({@link TicketRedeemer}).
     *
     * @throws dev.handoff.core.context.TicketException when the ticket is forged, expired, bound to someone else or
     *                                                  used up, or the context is unknown, altered or expired
     */
    public HandoffContext redeem(String ticket, String actor) {
        return redeemer.redeem(ticket, Redeemer.of(actor));
    }

    /** Redeems tickets with a tenant ({@link Redeemer#of(String, String)}); the same checks and audit as {@link #redeem}. */
    public TicketRedeemer ticketRedeemer() {
        return redeemer;
    }

    /**
     * The agent-side handle of the handoff that packaged this context: the same one its {@code AgentNotification}
     * carried. Empty when no handoff in this process has that context, or its session has ended.
     */
    public Optional<AgentActions> agentActions(String contextId) {
        return runtime.orchestrator.actions(Objects.requireNonNull(contextId, "contextId")).map(a -> a);
    }

    /** The phase of the session's latest handoff, while the session is open. */
    public Optional<HandoffPhase> phase(SessionId sessionId) {
        return runtime.orchestrator.phase(sessionId);
    }

    /** The timeouts, limits and modes in use. */
    public HandoffSettings settings() {
        return runtime.settings;
    }

    /**
     * Where audit records go (the {@code handoff.audit} logger unless one was configured). For modules that audit on
     * Handoff's behalf, such as the agent desktop's sign-ins and views, so one trail holds everything.
     */
    public AuditSink auditSink() {
        return runtime.c.auditSink();
    }

    /** Where metrics go (the in-memory sink unless one was configured). */
    public MetricsSink metrics() {
        return runtime.c.metricsSink();
    }

    public void addListener(HandoffListener listener) {
        runtime.events.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(HandoffListener listener) {
        runtime.events.remove(listener);
    }

    public ContextStore contexts() {
        return runtime.c.store();
    }

    /** The commitment ledger, to read; humans verify commitments through {@link AgentActions}. */
    public CommitmentLedger commitments() {
        return runtime.c.ledger();
    }

    public ContextSigner signer() {
        return runtime.c.signer();
    }

    public Tickets tickets() {
        return runtime.c.tickets();
    }

    /** The chat queues agents take work from: the QUEUE executor when it is a {@link ChatQueues} (the in-memory default). */
    public Optional<ChatQueues> chatQueues() {
        return Optional.ofNullable(runtime.c.chatQueues());
    }

    public Clock clock() {
        return runtime.clock;
    }

    /** Names of the SPI implementations in use, for logs and diagnostics. */
    public Map<String, String> wiring() {
        return runtime.c.names();
    }

    /**
     * For tests in this package: what the runtime still holds (sessions, handoffs, deadlines, mailboxes), once the
     * events already published have reached every listener.
     */
    int retained() {
        try {
            runtime.events.awaitDelivered(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return runtime.retained();
    }

    /** For tests in this package: {@link #retained()} by kind. */
    String retainedDetail() {
        return runtime.retainedDetail();
    }

    /** For tests in this package: handoffs running and waiting for a slot. */
    int inFlight() {
        return runtime.orchestrator.inFlight() + runtime.orchestrator.waiting();
    }

    /** Running handoffs return to the bot ({@link HandoffOutcome.Cause#SHUT_DOWN}); threads Handoff created stop. */
    @Override
    public void close() {
        runtime.close();
    }

    /**
     * Configures a {@link Handoff}. Every setting has a working default; nothing is required. The timeouts, limits
     * and modes land in a {@link HandoffSettings} (set it whole with {@link #settings}, or one value at a time here).
     */
    public static final class Builder {
        Clock clock = Clock.systemUTC();
        HandoffSettings.Builder settings = HandoffSettings.builder();
        HandoffExecutors executors;
        Duration ticketTtl = Tickets.DEFAULT_TTL;
        TicketScope ticketScope = TicketScope.BEARER;
        Duration contextTtl = ContextSigner.DEFAULT_CONTEXT_TTL;
        BridgeScript bridgeScript = BridgeScript.standard();
        ComplianceProfile complianceProfile = ComplianceProfile.DEFAULT;
        boolean serviceLoader = true;
        ClassLoader classLoader;
        TriggerEvaluator triggerEvaluator;
        ContextPackager packager;
        CommitmentLedger commitmentLedger;
        final List<TransferExecutor> transferExecutors = new ArrayList<>();
        CrmAdapter crmAdapter;
        AgentNotifier notifier;
        Summarizer summarizer;
        SentimentAnalyzer sentimentAnalyzer;
        Router router;
        ContextStore contextStore;
        AuditSink auditSink;
        MetricsSink metricsSink;
        SigningKeys signingKeys;
        HandoffOwnership ownership = HandoffOwnership.local();
        final List<HandoffListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Default {@link Clock#systemUTC()}. Every timestamp, timeout and expiry reads this clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Replaces every timeout, limit and mode at once; default {@link HandoffSettings#ofDefaults()}. */
        public Builder settings(HandoffSettings s) {
            this.settings = HandoffSettings.from(Objects.requireNonNull(s, "settings"));
            return this;
        }

        /** The threads Handoff runs on; default {@link HandoffExecutors#ofDefaults()}, shut down by {@link Handoff#close()}. */
        public Builder executors(HandoffExecutors executors) {
            this.executors = Objects.requireNonNull(executors, "executors");
            return this;
        }

        /** {@link HandoffSettings#idleTimeout()}. */
        public Builder idleTimeout(Duration d) {
            settings.idleTimeout(d);
            return this;
        }

        /** {@link HandoffSettings#idleSweepInterval()}. */
        public Builder idleSweepInterval(Duration d) {
            settings.idleSweepInterval(d);
            return this;
        }

        /** {@link HandoffSettings#urgentWhisperLead()}. */
        public Builder urgentWhisperLead(Duration d) {
            settings.urgentWhisperLead(d);
            return this;
        }

        /** {@link HandoffSettings#maxWait()}: the customer's total wait across every fallback target. */
        public Builder maxWait(Duration d) {
            settings.maxWait(d);
            return this;
        }

        /** {@link HandoffSettings#maxInFlight()}. */
        public Builder maxInFlight(int n) {
            settings.maxInFlight(n);
            return this;
        }

        /** {@link HandoffSettings#maxQueued()}. */
        public Builder maxQueued(int n) {
            settings.maxQueued(n);
            return this;
        }

        /** {@link HandoffSettings#transferTimeout()}, per attempt. */
        public Builder transferTimeout(Duration d) {
            settings.transferTimeout(d);
            return this;
        }

        /** {@link HandoffSettings#crmLookupTimeout()}. */
        public Builder crmLookupTimeout(Duration d) {
            settings.crmLookupTimeout(d);
            return this;
        }

        /** {@link HandoffSettings#preflightTimeout()}, per target. */
        public Builder preflightTimeout(Duration d) {
            settings.preflightTimeout(d);
            return this;
        }

        /** {@link HandoffSettings#summarizeTimeout()}; after it the deterministic summarizer is used. */
        public Builder summarizeTimeout(Duration d) {
            settings.summarizeTimeout(d);
            return this;
        }

        /**
         * {@link HandoffSettings#whisperLead()}: how long before a voice bridge the agent gets the whisper; ends as
         * soon as the agent confirms reading ({@link AgentActions#confirmRead}); capped by
         * {@link HandoffSettings#urgentWhisperLead()} for URGENT handoffs; {@link Duration#ZERO} disables it. Chat
         * queue offers carry the whisper themselves and are not delayed.
         */
        public Builder whisperLead(Duration d) {
            settings.whisperLead(d);
            return this;
        }

        /** {@link HandoffSettings#bridgeInterval()}. */
        public Builder bridgeInterval(Duration d) {
            settings.bridgeInterval(d);
            return this;
        }

        /** {@link HandoffSettings#commitmentDeadline()}. */
        public Builder commitmentDeadline(Duration d) {
            settings.commitmentDeadline(d);
            return this;
        }

        /** {@link HandoffSettings#voiceMode()}: COLD or WARM for voice handoffs to SIP targets. */
        public Builder voiceMode(TransferMode mode) {
            settings.voiceMode(mode);
            return this;
        }

        /**
         * {@link HandoffSettings#crmLimits()}: what the CRM may receive. With a byte limit the CRM gets the summary,
         * the latest turns and a ticket to page the rest, never a silently cut transcript.
         */
        public Builder crmDestination(DestinationLimits limits) {
            settings.crmLimits(limits);
            return this;
        }

        /** Default {@link BridgeScript#standard()}: every sentence Handoff gives the bot to say. */
        public Builder bridgeScript(BridgeScript script) {
            this.bridgeScript = Objects.requireNonNull(script, "bridgeScript");
            return this;
        }

        /**
         * What is redacted from copies bound for non-PHI destinations (the CRM by default); default
         * {@link ComplianceProfile#DEFAULT}. The ContextStore always keeps the full document.
         */
        public Builder complianceProfile(ComplianceProfile profile) {
            this.complianceProfile = Objects.requireNonNull(profile, "complianceProfile");
            return this;
        }

        /** Default: the {@code handoff.audit} SLF4J logger ({@link dev.handoff.core.audit.Slf4jAuditSink}). */
        public Builder auditSink(AuditSink sink) {
            this.auditSink = Objects.requireNonNull(sink, "auditSink");
            return this;
        }

        /** Default: {@link dev.handoff.core.metrics.InMemoryMetricsSink}; {@link dev.handoff.core.metrics.MicrometerMetricsSink} for Micrometer. */
        public Builder metricsSink(MetricsSink sink) {
            this.metricsSink = Objects.requireNonNull(sink, "metricsSink");
            return this;
        }

        /** Default {@link Tickets#DEFAULT_TTL}. */
        public Builder ticketTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ticketTtl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ticketTtl must be positive, was " + ttl);
            }
            this.ticketTtl = ttl;
            return this;
        }

        /** How every ticket is bound (a tenant, single use); default {@link TicketScope#BEARER}. */
        public Builder ticketScope(TicketScope scope) {
            this.ticketScope = Objects.requireNonNull(scope, "ticketScope");
            return this;
        }

        /** How long a signed context verifies; default {@link ContextSigner#DEFAULT_CONTEXT_TTL}. */
        public Builder contextTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "contextTtl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("contextTtl must be positive, was " + ttl);
            }
            this.contextTtl = ttl;
            return this;
        }

        /** Default true: look for SPI providers with {@link java.util.ServiceLoader} when none is set here. */
        public Builder serviceLoader(boolean enabled) {
            this.serviceLoader = enabled;
            return this;
        }

        /** The class loader for {@link java.util.ServiceLoader}; default Handoff's own. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        public Builder triggerEvaluator(TriggerEvaluator v) {
            this.triggerEvaluator = Objects.requireNonNull(v, "triggerEvaluator");
            return this;
        }

        public Builder contextPackager(ContextPackager v) {
            this.packager = Objects.requireNonNull(v, "contextPackager");
            return this;
        }

        public Builder commitmentLedger(CommitmentLedger v) {
            this.commitmentLedger = Objects.requireNonNull(v, "commitmentLedger");
            return this;
        }

        /**
         * Adds an executor; each {@link TransferMode} must be served by one executor. Without one for QUEUE,
         * in-process {@link ChatQueues} are created.
         */
        public Builder transferExecutor(TransferExecutor v) {
            this.transferExecutors.add(Objects.requireNonNull(v, "transferExecutor"));
            return this;
        }

        /** Default none: no CRM lookup or push. */
        public Builder crmAdapter(CrmAdapter v) {
            this.crmAdapter = Objects.requireNonNull(v, "crmAdapter");
            return this;
        }

        public Builder agentNotifier(AgentNotifier v) {
            this.notifier = Objects.requireNonNull(v, "agentNotifier");
            return this;
        }

        public Builder summarizer(Summarizer v) {
            this.summarizer = Objects.requireNonNull(v, "summarizer");
            return this;
        }

        public Builder sentimentAnalyzer(SentimentAnalyzer v) {
            this.sentimentAnalyzer = Objects.requireNonNull(v, "sentimentAnalyzer");
            return this;
        }

        public Builder router(Router v) {
            this.router = Objects.requireNonNull(v, "router");
            return this;
        }

        public Builder contextStore(ContextStore v) {
            this.contextStore = Objects.requireNonNull(v, "contextStore");
            return this;
        }

        /**
         * Keys that sign contexts and tickets. Default: a random key per process ({@link SigningKeys#ephemeral()}),
         * which cannot verify anything issued before a restart; set real keys in production.
         */
        public Builder signingKeys(SigningKeys keys) {
            this.signingKeys = Objects.requireNonNull(keys, "signingKeys");
            return this;
        }

        /**
         * Who owns each running handoff when several instances share the work (the PostgreSQL implementation in
         * handoff-postgres sets it). Default {@link HandoffOwnership#local()}: handoffs live and die with this process.
         */
        public Builder ownership(HandoffOwnership ownership) {
            this.ownership = Objects.requireNonNull(ownership, "ownership");
            return this;
        }

        /** Adds a listener; listeners must be quick and must not block (see {@link dev.handoff.api.event.HandoffEvent}). */
        public Builder listener(HandoffListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @throws dev.handoff.api.ConfigurationException when SPI providers are ambiguous, two executors claim one
         *                                                mode, or a setting is out of range
         */
        public Handoff build() {
            return new Handoff(this);
        }
    }
}
