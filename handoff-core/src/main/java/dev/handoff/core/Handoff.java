package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.TransferMode;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.core.audit.Slf4jAuditSink;
import dev.handoff.core.metrics.HandoffMetrics;
import dev.handoff.core.metrics.InMemoryMetricsSink;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.Router;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.context.CommitmentVerification;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.DeadlineScheduler;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.Redeemer;
import dev.handoff.core.context.TicketRedeemer;
import dev.handoff.core.context.TicketScope;
import dev.handoff.core.context.Tickets;
import dev.handoff.core.internal.EventBus;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.internal.LoggingAgentNotifier;
import dev.handoff.core.internal.Providers;
import dev.handoff.core.routing.DefaultRouter;
import dev.handoff.core.store.InMemoryContextStore;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The entry point: wires the SPI implementations and opens {@link HandoffSession}s.
 *
 * <pre>{@code
 * Handoff handoff = Handoff.builder().build();          // every default, chat queues included
 * HandoffSession s = handoff.open(SessionId.of("chat-42"), Channel.CHAT, CustomerData.UNKNOWN);
 * HandoffDecision d = s.customer("I want to talk to a person");
 * if (d.isHandoff()) s.handOff(d).thenAccept(outcome -> ...);
 * }</pre>
 *
 * <p>Each SPI is resolved in this order: the instance set on the builder; else the single provider found by
 * {@link java.util.ServiceLoader} (two or more fail the build, naming both); else the core default. Thread-safe.
 * Close it to stop its worker threads.
 */
public final class Handoff implements AutoCloseable {

    /** Sessions idle this long end (the {@code idleSessionTimeout}). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** How long one transfer attempt may take before it counts as timed out. */
    public static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(30);
    /** How long packaging waits for the CRM profile lookup before going on without it. */
    public static final Duration DEFAULT_CRM_LOOKUP_TIMEOUT = Duration.ofSeconds(2);
    /** Worker threads for the handoff phases. */
    public static final int DEFAULT_WORKER_THREADS = 4;
    /** How long the three-party preflight may take per target. */
    public static final Duration DEFAULT_PREFLIGHT_TIMEOUT = Duration.ofSeconds(3);
    /** How long the observer may take before the deterministic summary is used instead. */
    public static final Duration DEFAULT_SUMMARIZE_TIMEOUT = Duration.ofSeconds(3);
    /** How long before a voice bridge the agent gets the whisper (ends early when they confirm reading). */
    public static final Duration DEFAULT_WHISPER_LEAD = Duration.ofSeconds(10);
    /** The whisper lead is capped at this for URGENT handoffs: an urgent caller is not held back for reading. */
    public static final Duration DEFAULT_URGENT_WHISPER_LEAD = Duration.ofSeconds(2);
    /** How often the bot gets a "still waiting" bridge message while a human is summoned. */
    public static final Duration DEFAULT_BRIDGE_INTERVAL = Duration.ofSeconds(15);
    /** The CRM gets a redacted copy (it is not a PHI destination) with no size limit. */
    public static final DestinationLimits DEFAULT_CRM_LIMITS = DestinationLimits.unlimited("crm", false);
    /** Voice handoffs use a cold (blind) transfer unless set otherwise. */
    public static final TransferMode DEFAULT_VOICE_MODE = TransferMode.COLD;

    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration transferTimeout;
    private final Duration crmLookupTimeout;
    private final Duration preflightTimeout;
    private final Duration summarizeTimeout;
    private final Duration whisperLead;
    private final Duration bridgeInterval;
    private final BridgeScript bridgeScript;
    private final AuditSink auditSink;
    private final MetricsSink metricsSink;
    private final DestinationPackager destinations;
    private final DestinationLimits crmLimits;
    private final TransferMode voiceMode;
    private final TriggerEvaluator triggerEvaluator;
    private final ContextPackager packager;
    private final CommitmentLedger commitmentLedger;
    private final Map<TransferMode, TransferExecutor> executors;
    private final CrmAdapter crmAdapter;
    private final AgentNotifier notifier;
    private final Summarizer summarizer;
    private final Summarizer fallbackSummarizer;
    private final SentimentAnalyzer sentimentAnalyzer;
    private final Router router;
    private final ContextStore contextStore;
    private final ContextSigner signer;
    private final Tickets tickets;
    private final TicketRedeemer redeemer;
    private final EventBus events;
    private final CommitmentVerification commitmentVerification;
    private final ExecutorService workers;
    private final boolean ownsWorkers;
    private final List<AutoCloseable> owned;
    private final Orchestrator orchestrator;
    private final ConcurrentMap<SessionId, HandoffSession> sessions = new ConcurrentHashMap<>();

    private Handoff(Builder b) {
        ClassLoader loader = b.classLoader != null ? b.classLoader : Handoff.class.getClassLoader();
        this.clock = b.clock;
        this.idleTimeout = b.idleTimeout;
        this.transferTimeout = b.transferTimeout;
        this.crmLookupTimeout = b.crmLookupTimeout;
        this.preflightTimeout = b.preflightTimeout;
        this.summarizeTimeout = b.summarizeTimeout;
        this.whisperLead = b.whisperLead;
        this.bridgeInterval = b.bridgeInterval;
        this.bridgeScript = b.bridgeScript;
        this.auditSink = resolve(b.auditSink, AuditSink.class, loader, b.serviceLoader, Slf4jAuditSink::new);
        this.metricsSink = resolve(b.metricsSink, MetricsSink.class, loader, b.serviceLoader, InMemoryMetricsSink::new);
        this.voiceMode = b.voiceMode;
        this.owned = new ArrayList<>();
        this.sentimentAnalyzer = resolve(b.sentimentAnalyzer, SentimentAnalyzer.class, loader, b.serviceLoader, LexiconSentimentAnalyzer::new);
        this.triggerEvaluator = resolve(b.triggerEvaluator, TriggerEvaluator.class, loader, b.serviceLoader, RuleTriggerEvaluator::new);
        this.fallbackSummarizer = new DeterministicSummarizer(sentimentAnalyzer);
        this.summarizer = resolve(b.summarizer, Summarizer.class, loader, b.serviceLoader, () -> fallbackSummarizer);
        this.packager = resolve(b.packager, ContextPackager.class, loader, b.serviceLoader, () -> new DefaultContextPackager(sentimentAnalyzer));
        this.commitmentLedger = resolve(b.commitmentLedger, CommitmentLedger.class, loader, b.serviceLoader, () -> new InMemoryCommitmentLedger(clock));
        this.router = resolve(b.router, Router.class, loader, b.serviceLoader, DefaultRouter::new);
        this.contextStore = resolve(b.contextStore, ContextStore.class, loader, b.serviceLoader, InMemoryContextStore::new);
        this.notifier = resolve(b.notifier, AgentNotifier.class, loader, b.serviceLoader, LoggingAgentNotifier::new);
        this.crmAdapter = b.crmAdapter != null ? b.crmAdapter
                : b.serviceLoader ? Providers.single(CrmAdapter.class, loader).orElse(null) : null;
        Map<TransferMode, TransferExecutor> ex = new EnumMap<>(TransferMode.class);
        List<TransferExecutor> configured = new ArrayList<>(b.executors);
        if (configured.isEmpty() && b.serviceLoader) {
            Providers.single(TransferExecutor.class, loader).ifPresent(configured::add);
        }
        for (TransferExecutor e : configured) {
            for (TransferMode m : e.modes()) {
                TransferExecutor previous = ex.putIfAbsent(m, e);
                if (previous != null && previous != e) {
                    throw new ConfigurationException("Two transfer executors handle " + m + ": " + previous.getClass().getName()
                            + " and " + e.getClass().getName() + "; configure one per mode");
                }
            }
        }
        if (!ex.containsKey(TransferMode.QUEUE)) {
            ChatQueues queues = new ChatQueues(clock);
            owned.add(queues);
            ex.put(TransferMode.QUEUE, queues);
        }
        this.executors = ex;
        SigningKeys keys = b.signingKeys != null ? b.signingKeys : SigningKeys.ephemeral();
        this.signer = new ContextSigner(keys, clock, b.contextTtl);
        this.tickets = new Tickets(keys, clock, b.ticketTtl, b.ticketScope);
        this.redeemer = new TicketRedeemer(tickets, contextStore, signer, auditSink, clock);
        this.destinations = new DestinationPackager(signer, tickets, b.complianceProfile);
        this.crmLimits = b.crmLimits;
        this.events = new EventBus(b.listeners);
        this.events.add(new HandoffMetrics(metricsSink));
        DeadlineScheduler deadlines = b.deadlineScheduler;
        if (deadlines == null) {
            DeadlineScheduler.Daemon daemon = DeadlineScheduler.daemon();
            owned.add(daemon);
            deadlines = daemon;
        }
        this.commitmentVerification = new CommitmentVerification(commitmentLedger, clock, deadlines, b.commitmentDeadline, events::publish);
        events.add(commitmentVerification);
        if (b.workers != null) {
            this.workers = b.workers;
            this.ownsWorkers = false;
        } else {
            AtomicInteger n = new AtomicInteger();
            this.workers = Executors.newFixedThreadPool(b.workerThreads, r -> {
                Thread t = new Thread(r, "handoff-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.ownsWorkers = true;
        }
        this.orchestrator = new Orchestrator(this);
        // bootstrap Jackson and Hibernate Validator now, not inside the first customer's handoff
        ContextJson.get().warmUp();
    }

    private static <T> T resolve(T explicit, Class<T> spi, ClassLoader loader, boolean useServiceLoader, Supplier<? extends T> fallback) {
        if (explicit != null) {
            return explicit;
        }
        if (useServiceLoader) {
            Optional<T> found = Providers.single(spi, loader);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return fallback.get();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a conversation.
     *
     * @throws IllegalStateException when a session with this id is already open
     */
    public HandoffSession open(SessionId id, Channel channel, CustomerData customer) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(customer, "customer");
        HandoffSession session = new HandoffSession(this, id, channel, customer, clock.instant());
        HandoffSession existing = sessions.putIfAbsent(id, session);
        if (existing != null) {
            if (!existing.isEnded()) {
                throw new IllegalStateException("session " + id + " is already open");
            }
            sessions.put(id, session);
        }
        return session;
    }

    /** Opens a conversation with a random id and no customer data. */
    public HandoffSession open(Channel channel) {
        return open(SessionId.random(), channel, CustomerData.UNKNOWN);
    }

    /** An open session by id. */
    public Optional<HandoffSession> session(SessionId id) {
        HandoffSession s = sessions.get(id);
        return s == null || s.isEnded() ? Optional.empty() : Optional.of(s);
    }

    /** Ends every session idle longer than the idle timeout; returns how many ended. Call it periodically. */
    public int expireIdleSessions() {
        int n = 0;
        for (HandoffSession s : List.copyOf(sessions.values())) {
            if (s.idleExpired()) {
                s.end("idle for " + idleTimeout);
                n++;
            }
        }
        return n;
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
     * The agent confirmed reading the whisper and history (the desktop's "read" button). Ends the whisper lead
     * early so the voice bridge happens at once, and writes an audit record.
     *
     * @return false when no handoff in this process has that context id
     */
    public boolean confirmRead(String contextId, String agentId) {
        return orchestrator.confirmRead(Objects.requireNonNull(contextId, "contextId"), Objects.requireNonNull(agentId, "agentId"));
    }

    /**
     * A human confirmed, corrected or revoked one of the AI's commitments: updates the ledger, publishes
     * {@link dev.handoff.api.event.HandoffEvent.CommitmentUpdated}, writes an audit record, and moves the handoff to
     * VERIFIED when nothing is left to verify.
     */
    public Commitment verifyCommitment(SessionId sessionId, String commitmentId, CommitmentLedger.Verification verification) {
        // ledger write, CommitmentUpdated event and the overdue timer live in CommitmentVerification
        Commitment updated = commitmentVerification.verify(sessionId, commitmentId, verification);
        AuditRecord.Action action = switch (updated.status()) {
            case CONFIRMED -> AuditRecord.Action.COMMITMENT_CONFIRMED;
            case CORRECTED -> AuditRecord.Action.COMMITMENT_CORRECTED;
            default -> AuditRecord.Action.COMMITMENT_REVOKED;
        };
        orchestrator.audit(verification.by(), action, sessionId, null, updated.id() + ":" + updated.status());
        orchestrator.checkVerified(sessionId);
        return updated;
    }

    /** The phase of the session's latest handoff, if it had one. */
    public Optional<HandoffPhase> phase(SessionId sessionId) {
        return orchestrator.phase(sessionId);
    }

    /** Where metrics go (the in-memory sink unless one was configured). */
    public MetricsSink metrics() {
        return metricsSink;
    }

    public void addListener(HandoffListener listener) {
        events.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(HandoffListener listener) {
        events.remove(listener);
    }

    public ContextStore contexts() {
        return contextStore;
    }

    public CommitmentLedger commitments() {
        return commitmentLedger;
    }

    /** Where humans confirm, correct or revoke the AI's commitments; it also runs the verification deadline. */
    public CommitmentVerification commitmentVerification() {
        return commitmentVerification;
    }

    public ContextSigner signer() {
        return signer;
    }

    public Tickets tickets() {
        return tickets;
    }

    /** The chat queues, when the QUEUE executor is the built-in one. */
    public Optional<ChatQueues> chatQueues() {
        return executors.get(TransferMode.QUEUE) instanceof ChatQueues q ? Optional.of(q) : Optional.empty();
    }

    public Clock clock() {
        return clock;
    }

    Duration idleTimeout() {
        return idleTimeout;
    }

    Duration transferTimeout() {
        return transferTimeout;
    }

    Duration crmLookupTimeout() {
        return crmLookupTimeout;
    }

    Duration preflightTimeout() {
        return preflightTimeout;
    }

    Duration summarizeTimeout() {
        return summarizeTimeout;
    }

    Duration whisperLead() {
        return whisperLead;
    }

    Duration bridgeInterval() {
        return bridgeInterval;
    }

    BridgeScript bridgeScript() {
        return bridgeScript;
    }

    AuditSink auditSink() {
        return auditSink;
    }

    DestinationPackager destinations() {
        return destinations;
    }

    DestinationLimits crmLimits() {
        return crmLimits;
    }

    TransferMode voiceMode() {
        return voiceMode;
    }

    TriggerEvaluator triggerEvaluator() {
        return triggerEvaluator;
    }

    ContextPackager packager() {
        return packager;
    }

    CommitmentLedger commitmentLedger() {
        return commitmentLedger;
    }

    Optional<TransferExecutor> executor(TransferMode mode) {
        return Optional.ofNullable(executors.get(mode));
    }

    Optional<CrmAdapter> crmAdapter() {
        return Optional.ofNullable(crmAdapter);
    }

    AgentNotifier notifier() {
        return notifier;
    }

    Summarizer summarizer() {
        return summarizer;
    }

    Summarizer fallbackSummarizer() {
        return fallbackSummarizer;
    }

    Router router() {
        return router;
    }

    EventBus events() {
        return events;
    }

    ExecutorService workers() {
        return workers;
    }

    Orchestrator orchestrator() {
        return orchestrator;
    }

    void forget(SessionId id) {
        sessions.remove(id);
        orchestrator.forget(id);
    }

    /** Names of the SPI implementations in use, for logs and diagnostics. */
    public Map<String, String> wiring() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("TriggerEvaluator", triggerEvaluator.getClass().getName());
        m.put("ContextPackager", packager.getClass().getName());
        m.put("CommitmentLedger", commitmentLedger.getClass().getName());
        executors.forEach((mode, e) -> m.put("TransferExecutor[" + mode + "]", e.getClass().getName()));
        m.put("CrmAdapter", crmAdapter == null ? "none" : crmAdapter.getClass().getName());
        m.put("AgentNotifier", notifier.getClass().getName());
        m.put("Summarizer", summarizer.getClass().getName());
        m.put("SentimentAnalyzer", sentimentAnalyzer.getClass().getName());
        m.put("Router", router.getClass().getName());
        m.put("ContextStore", contextStore.getClass().getName());
        m.put("AuditSink", auditSink.getClass().getName());
        m.put("MetricsSink", metricsSink.getClass().getName());
        return m;
    }

    @Override
    public void close() {
        orchestrator.close();
        if (ownsWorkers) {
            workers.shutdown();
            try {
                if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                    workers.shutdownNow();
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing our own timers cannot meaningfully fail
            }
        }
    }

    /**
     * Configures a {@link Handoff}. Every setting has a working default; nothing is required.
     */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration transferTimeout = DEFAULT_TRANSFER_TIMEOUT;
        private Duration crmLookupTimeout = DEFAULT_CRM_LOOKUP_TIMEOUT;
        private Duration ticketTtl = Tickets.DEFAULT_TTL;
        private TicketScope ticketScope = TicketScope.BEARER;
        private Duration contextTtl = ContextSigner.DEFAULT_CONTEXT_TTL;
        private Duration preflightTimeout = DEFAULT_PREFLIGHT_TIMEOUT;
        private Duration summarizeTimeout = DEFAULT_SUMMARIZE_TIMEOUT;
        private Duration whisperLead = DEFAULT_WHISPER_LEAD;
        private Duration bridgeInterval = DEFAULT_BRIDGE_INTERVAL;
        private BridgeScript bridgeScript = BridgeScript.standard();
        private AuditSink auditSink;
        private ComplianceProfile complianceProfile = ComplianceProfile.DEFAULT;
        private DestinationLimits crmLimits = DEFAULT_CRM_LIMITS;
        private MetricsSink metricsSink;
        private TransferMode voiceMode = DEFAULT_VOICE_MODE;
        private int workerThreads = DEFAULT_WORKER_THREADS;
        private ExecutorService workers;
        private boolean serviceLoader = true;
        private ClassLoader classLoader;
        private TriggerEvaluator triggerEvaluator;
        private ContextPackager packager;
        private CommitmentLedger commitmentLedger;
        private final List<TransferExecutor> executors = new ArrayList<>();
        private CrmAdapter crmAdapter;
        private AgentNotifier notifier;
        private Summarizer summarizer;
        private SentimentAnalyzer sentimentAnalyzer;
        private Router router;
        private ContextStore contextStore;
        private SigningKeys signingKeys;
        private Duration commitmentDeadline = CommitmentVerification.DEFAULT_DEADLINE;
        private DeadlineScheduler deadlineScheduler;
        private final List<HandoffListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** Default {@link Clock#systemUTC()}. Every timestamp, timeout and expiry reads this clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Default {@link #DEFAULT_IDLE_TIMEOUT}. */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive("idleTimeout", idleTimeout);
            return this;
        }

        /** Default {@link #DEFAULT_TRANSFER_TIMEOUT}, per attempt. */
        public Builder transferTimeout(Duration transferTimeout) {
            this.transferTimeout = positive("transferTimeout", transferTimeout);
            return this;
        }

        /** Default {@link #DEFAULT_CRM_LOOKUP_TIMEOUT}. */
        public Builder crmLookupTimeout(Duration crmLookupTimeout) {
            this.crmLookupTimeout = positive("crmLookupTimeout", crmLookupTimeout);
            return this;
        }

        /** Default {@link #DEFAULT_PREFLIGHT_TIMEOUT}, per target. */
        public Builder preflightTimeout(Duration d) {
            this.preflightTimeout = positive("preflightTimeout", d);
            return this;
        }

        /** Default {@link #DEFAULT_SUMMARIZE_TIMEOUT}; after it the deterministic summarizer is used. */
        public Builder summarizeTimeout(Duration d) {
            this.summarizeTimeout = positive("summarizeTimeout", d);
            return this;
        }

        /**
         * Default {@link #DEFAULT_WHISPER_LEAD}: how long before a voice bridge the agent gets the whisper; the wait
         * ends as soon as the agent confirms reading ({@link Handoff#confirmRead}); capped at
         * {@link #DEFAULT_URGENT_WHISPER_LEAD} for URGENT handoffs; {@link Duration#ZERO} disables it. Chat queue
         * offers carry the whisper themselves and are not delayed.
         */
        public Builder whisperLead(Duration d) {
            Objects.requireNonNull(d, "whisperLead");
            if (d.isNegative()) {
                throw new IllegalArgumentException("whisperLead must not be negative, was " + d);
            }
            this.whisperLead = d;
            return this;
        }

        /** Default {@link #DEFAULT_BRIDGE_INTERVAL}. */
        public Builder bridgeInterval(Duration d) {
            this.bridgeInterval = positive("bridgeInterval", d);
            return this;
        }

        /** Default {@link BridgeScript#standard()}. */
        public Builder bridgeScript(BridgeScript script) {
            this.bridgeScript = Objects.requireNonNull(script, "bridgeScript");
            return this;
        }

        /**
         * What is redacted from copies bound for non-PHI destinations (the CRM by default); default
         * {@link ComplianceProfile#DEFAULT} (Luhn-checked card numbers, SSNs). The ContextStore always keeps the full
         * document.
         */
        public Builder complianceProfile(ComplianceProfile profile) {
            this.complianceProfile = Objects.requireNonNull(profile, "complianceProfile");
            return this;
        }

        /**
         * What the CRM may receive: default {@link #DEFAULT_CRM_LIMITS} (no size limit, not a PHI destination, so the
         * copy is redacted). With a byte limit the CRM gets the summary, the latest turns and a ticket to page the
         * rest, never a silently cut transcript.
         */
        public Builder crmDestination(DestinationLimits limits) {
            this.crmLimits = Objects.requireNonNull(limits, "crmDestination");
            return this;
        }

        /** Default: the {@code handoff.audit} SLF4J logger ({@link Slf4jAuditSink}). */
        public Builder auditSink(AuditSink sink) {
            this.auditSink = Objects.requireNonNull(sink, "auditSink");
            return this;
        }

        /** Default: {@link InMemoryMetricsSink}; {@link dev.handoff.core.metrics.MicrometerMetricsSink} for Micrometer. */
        public Builder metricsSink(MetricsSink sink) {
            this.metricsSink = Objects.requireNonNull(sink, "metricsSink");
            return this;
        }

        /** Default {@link Tickets#DEFAULT_TTL}. */
        public Builder ticketTtl(Duration ticketTtl) {
            this.ticketTtl = positive("ticketTtl", ticketTtl);
            return this;
        }

        /** How every ticket is bound (a tenant, single use); default {@link TicketScope#BEARER}. */
        public Builder ticketScope(TicketScope scope) {
            this.ticketScope = Objects.requireNonNull(scope, "ticketScope");
            return this;
        }

        /** How long a signed context verifies; default {@link ContextSigner#DEFAULT_CONTEXT_TTL}. */
        public Builder contextTtl(Duration ttl) {
            this.contextTtl = positive("contextTtl", ttl);
            return this;
        }

        /** COLD or WARM for voice handoffs to SIP targets; default {@link #DEFAULT_VOICE_MODE}. */
        public Builder voiceMode(TransferMode voiceMode) {
            if (voiceMode == TransferMode.QUEUE) {
                throw new IllegalArgumentException("voiceMode must be COLD or WARM, was QUEUE");
            }
            this.voiceMode = Objects.requireNonNull(voiceMode, "voiceMode");
            return this;
        }

        /** Default {@link #DEFAULT_WORKER_THREADS}; ignored when {@link #workers} is set. */
        public Builder workerThreads(int workerThreads) {
            if (workerThreads < 1) {
                throw new IllegalArgumentException("workerThreads must be at least 1, was " + workerThreads);
            }
            this.workerThreads = workerThreads;
            return this;
        }

        /** Runs the handoff phases on your executor (not shut down by {@link Handoff#close()}). */
        public Builder workers(ExecutorService workers) {
            this.workers = Objects.requireNonNull(workers, "workers");
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
            this.executors.add(Objects.requireNonNull(v, "transferExecutor"));
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
         * How long after the agent connects the AI's commitments must be verified before a
         * {@link dev.handoff.api.event.HandoffEvent.CommitmentOverdue} is published; default
         * {@link CommitmentVerification#DEFAULT_DEADLINE}.
         */
        public Builder commitmentDeadline(Duration deadline) {
            this.commitmentDeadline = positive("commitmentDeadline", deadline);
            return this;
        }

        /** Runs the verification deadline's timer; default one daemon thread, stopped by {@link Handoff#close()}. */
        public Builder deadlineScheduler(DeadlineScheduler scheduler) {
            this.deadlineScheduler = Objects.requireNonNull(scheduler, "deadlineScheduler");
            return this;
        }

        public Builder listener(HandoffListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @throws ConfigurationException when SPI providers are ambiguous or two executors claim one mode
         */
        public Handoff build() {
            return new Handoff(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
