package dev.handoff.core;

import dev.handoff.api.TransferMode;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.HandoffPropagator;
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
import dev.handoff.core.context.RedeemedTickets;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketScope;
import dev.handoff.core.context.Tickets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings, SPI choices and listeners of a {@link Handoff} and their setters: the body of {@link Handoff.Builder},
 * its one subclass, kept in its own file so that {@code Handoff} reads as the façade it is. Every setter documented
 * here is public on {@link Handoff.Builder}; {@link Components#resolve} and {@code Handoff}'s constructor read the
 * fields. Not thread-safe: configured on one thread, then built.
 */
abstract sealed class HandoffBuilder permits Handoff.Builder {
    Clock clock = Clock.systemUTC();
    HandoffSettings.Builder settings = HandoffSettings.builder();
    HandoffExecutors executors;
    int workerThreads = HandoffExecutors.DEFAULT_WORKER_THREADS;
    Duration ticketTtl = Tickets.DEFAULT_TTL;
    TicketScope ticketScope = TicketScope.BEARER;
    RedeemedTickets redeemedTickets;
    dev.handoff.api.spi.DataRetention dataRetention;
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
    java.nio.file.Path auditSpool;
    int auditBacklogLimit = dev.handoff.core.audit.AuditBacklog.DEFAULT_LIMIT;
    dev.handoff.core.store.AtRestKeys auditSpoolKeys;
    MetricsSink metricsSink;
    HandoffPropagator propagator = HandoffPropagator.NONE;
    SigningKeys signingKeys;
    HandoffOwnership ownership = HandoffOwnership.local();
    AgentRelay agentRelay = AgentRelay.none();
    VerificationDeadlines verificationDeadlines;
    final List<HandoffListener> listeners = new ArrayList<>();

    HandoffBuilder() {
    }

    private Handoff.Builder self() {
        return (Handoff.Builder) this;
    }

    /**
     * Default {@link Clock#systemUTC()}. Every timestamp, timeout and expiry reads this clock.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException when {@code clock} is null
     */
    public Handoff.Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Replaces every timeout, limit and mode at once; default {@link HandoffSettings#ofDefaults()}.
     *
     * @param s every setting at once; copied
     * @return this builder
     */
    public Handoff.Builder settings(HandoffSettings s) {
        this.settings = HandoffSettings.from(Objects.requireNonNull(s, "settings"));
        return self();
    }

    /**
     * The threads Handoff runs on; default {@link HandoffExecutors#ofDefaults()}, shut down by {@link Handoff#close()}.
     *
     * @param executors the threads; Handoff does not create its own
     * @return this builder
     */
    public Handoff.Builder executors(HandoffExecutors executors) {
        this.executors = Objects.requireNonNull(executors, "executors");
        return self();
    }

    /**
     * Worker threads of the executors Handoff creates (ignored when {@link #executors} is set); default
     * {@link HandoffExecutors#DEFAULT_WORKER_THREADS}, one per core. Stores that make each step wait for a database
     * round trip want more: handoff-postgres' {@code applyTo} sets 16 (set it again after {@code applyTo} to change it).
     *
     * @param n at least 1
     * @return this builder
     * @throws IllegalArgumentException when {@code n} is not positive
     */
    public Handoff.Builder workerThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("workerThreads must be at least 1, was " + n);
        }
        this.workerThreads = n;
        return self();
    }

    /**
     * {@link HandoffSettings#idleTimeout()}.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder idleTimeout(Duration d) {
        settings.idleTimeout(d);
        return self();
    }

    /**
     * {@link HandoffSettings#idleSweepInterval()}.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder idleSweepInterval(Duration d) {
        settings.idleSweepInterval(d);
        return self();
    }

    /**
     * {@link HandoffSettings#retentionPurgeInterval()}: how often the {@link #dataRetention data retention} purges.
     *
     * @param d zero (off) or 1 second to 24 hours
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder retentionPurgeInterval(Duration d) {
        settings.retentionPurgeInterval(d);
        return self();
    }

    /**
     * {@link HandoffSettings#urgentWhisperLead()}.
     *
     * @param d zero or positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder urgentWhisperLead(Duration d) {
        settings.urgentWhisperLead(d);
        return self();
    }

    /**
     * {@link HandoffSettings#maxWait()}: the customer's total wait across every fallback target.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder maxWait(Duration d) {
        settings.maxWait(d);
        return self();
    }

    /**
     * {@link HandoffSettings#maxInFlight()}.
     *
     * @param n at least 1
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder maxInFlight(int n) {
        settings.maxInFlight(n);
        return self();
    }

    /**
     * {@link HandoffSettings#maxQueued()}.
     *
     * @param n zero or more
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder maxQueued(int n) {
        settings.maxQueued(n);
        return self();
    }

    /**
     * {@link HandoffSettings#transferTimeout()}, per attempt.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder transferTimeout(Duration d) {
        settings.transferTimeout(d);
        return self();
    }

    /**
     * {@link HandoffSettings#crmLookupTimeout()}.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder crmLookupTimeout(Duration d) {
        settings.crmLookupTimeout(d);
        return self();
    }

    /**
     * {@link HandoffSettings#preflightTimeout()}, per target.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder preflightTimeout(Duration d) {
        settings.preflightTimeout(d);
        return self();
    }

    /**
     * {@link HandoffSettings#summarizeTimeout()}; after it the deterministic summarizer is used.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder summarizeTimeout(Duration d) {
        settings.summarizeTimeout(d);
        return self();
    }

    /**
     * {@link HandoffSettings#whisperLead()}: how long before a voice bridge the agent gets the whisper; ends as
     * soon as the agent confirms reading ({@link AgentActions#confirmRead}); capped by
     * {@link HandoffSettings#urgentWhisperLead()} for URGENT handoffs; {@link Duration#ZERO} disables it. Chat
     * queue offers carry the whisper themselves and are not delayed.
     *
     * @param d zero (no lead) or positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder whisperLead(Duration d) {
        settings.whisperLead(d);
        return self();
    }

    /**
     * {@link HandoffSettings#bridgeInterval()}.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder bridgeInterval(Duration d) {
        settings.bridgeInterval(d);
        return self();
    }

    /**
     * {@link HandoffSettings#commitmentDeadline()}.
     *
     * @param d positive
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder commitmentDeadline(Duration d) {
        settings.commitmentDeadline(d);
        return self();
    }

    /**
     * {@link HandoffSettings#voiceMode()}: COLD or WARM for voice handoffs to SIP targets.
     *
     * @param mode COLD or WARM
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when the value is out of range, naming the setting and the value
     */
    public Handoff.Builder voiceMode(TransferMode mode) {
        settings.voiceMode(mode);
        return self();
    }

    /**
     * {@link HandoffSettings#crmLimits()}: what the CRM may receive. With a byte limit the CRM gets the summary,
     * the latest turns and a ticket to page the rest, never a silently cut transcript.
     *
     * @param limits the CRM's limits
     * @return this builder
     */
    public Handoff.Builder crmDestination(DestinationLimits limits) {
        settings.crmLimits(limits);
        return self();
    }

    /**
     * Default {@link BridgeScript#standard()}: every sentence Handoff gives the bot to say.
     *
     * @param script the script
     * @return this builder
     */
    public Handoff.Builder bridgeScript(BridgeScript script) {
        this.bridgeScript = Objects.requireNonNull(script, "bridgeScript");
        return self();
    }

    /**
     * What is redacted from copies bound for non-PHI destinations (the CRM by default); default
     * {@link ComplianceProfile#DEFAULT}. The ContextStore always keeps the full document.
     *
     * @param profile the profile
     * @return this builder
     */
    public Handoff.Builder complianceProfile(ComplianceProfile profile) {
        this.complianceProfile = Objects.requireNonNull(profile, "complianceProfile");
        return self();
    }

    /**
     * Default: the {@code handoff.audit} SLF4J logger ({@link dev.handoff.core.audit.Slf4jAuditSink}).
     *
     * @param sink the sink
     * @return this builder
     */
    public Handoff.Builder auditSink(AuditSink sink) {
        this.auditSink = Objects.requireNonNull(sink, "auditSink");
        return self();
    }

    /**
     * Keeps the audit records the sink fails to take (it is unavailable: a database down or not answering) in this
     * file as well as in memory, until the sink takes them, so that a Handoff stopped or killed during the outage
     * loses none: the next one built with the same file writes them first. Default: none (kept in memory only, lost
     * with the process). The file is created if missing, owner-only ({@code 0600} in a {@code 0700} directory),
     * forced to the device on every write, and read back with the one recovery rule of Handoff's journals
     * ({@link dev.handoff.core.store.Recovery}); one Handoff may have it open at a time. A record the sink took just
     * before a crash may be written again.
     *
     * @param file the spool file, one per Handoff instance (not shared between hosts)
     * @return this builder
     * @see #auditSpool(java.nio.file.Path, dev.handoff.core.store.AtRestKeys)
     */
    public Handoff.Builder auditSpool(java.nio.file.Path file) {
        this.auditSpool = Objects.requireNonNull(file, "auditSpool");
        this.auditSpoolKeys = null;
        return self();
    }

    /**
     * The most audit records kept while the audit sink is unavailable (in memory, and in the spool when one is set);
     * past it records are logged and lost. Default {@value dev.handoff.core.audit.AuditBacklog#DEFAULT_LIMIT}: about 20
     * seconds of a 250-handoffs-a-second contact centre whose database is down, some 2.8 MB of heap (about 280 bytes
     * a record). Raise it to ride out longer outages of the audit store.
     *
     * @param records {@value dev.handoff.core.audit.AuditBacklog#MIN_LIMIT} to
     *                {@value dev.handoff.core.audit.AuditBacklog#MAX_LIMIT}
     * @return this builder
     * @throws dev.handoff.api.ConfigurationException when out of range, naming the setting and the value
     */
    public Handoff.Builder auditBacklogLimit(int records) {
        if (records < dev.handoff.core.audit.AuditBacklog.MIN_LIMIT || records > dev.handoff.core.audit.AuditBacklog.MAX_LIMIT) {
            throw new dev.handoff.api.ConfigurationException("auditBacklogLimit must be " + dev.handoff.core.audit.AuditBacklog.MIN_LIMIT
                    + " to " + dev.handoff.core.audit.AuditBacklog.MAX_LIMIT + " records, was " + records);
        }
        this.auditBacklogLimit = records;
        return self();
    }

    /**
     * {@link #auditSpool(java.nio.file.Path)}, with the records sealed at rest (AES-256-GCM) under these keys.
     *
     * @param file the spool file, one per Handoff instance
     * @param keys the keys that seal the records
     * @return this builder
     */
    public Handoff.Builder auditSpool(java.nio.file.Path file, dev.handoff.core.store.AtRestKeys keys) {
        this.auditSpool = Objects.requireNonNull(file, "auditSpool");
        this.auditSpoolKeys = Objects.requireNonNull(keys, "keys");
        return self();
    }

    /**
     * Default: {@link dev.handoff.core.metrics.InMemoryMetricsSink} (bounded: each timer's latest
     * {@value dev.handoff.core.metrics.InMemoryMetricsSink#DEFAULT_SAMPLES_PER_TIMER} samples);
     * {@link dev.handoff.core.metrics.MicrometerMetricsSink} for Micrometer.
     *
     * @param sink the sink
     * @return this builder
     */
    public Handoff.Builder metricsSink(MetricsSink sink) {
        this.metricsSink = Objects.requireNonNull(sink, "metricsSink");
        return self();
    }

    /**
     * Default {@link Tickets#DEFAULT_TTL}.
     *
     * @param ttl positive
     * @return this builder
     * @throws IllegalArgumentException when {@code ttl} is zero or negative
     */
    public Handoff.Builder ticketTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "ticketTtl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ticketTtl must be positive, was " + ttl);
        }
        this.ticketTtl = ttl;
        return self();
    }

    /**
     * How every ticket is bound (a tenant, single use); default {@link TicketScope#BEARER}.
     *
     * @param scope the scope
     * @return this builder
     */
    public Handoff.Builder ticketScope(TicketScope scope) {
        this.ticketScope = Objects.requireNonNull(scope, "ticketScope");
        return self();
    }

    /**
     * Where single-use tickets ({@link TicketScope#once()}) are recorded as redeemed. Default: this process's memory
     * ({@link RedeemedTickets#inMemory}), so single use holds per process; instances sharing one contact centre set one
     * shared record (handoff-postgres' {@code PostgresHandoffStores.applyTo} sets its PostgreSQL one).
     *
     * @param redeemed the shared record
     * @return this builder
     */
    public Handoff.Builder redeemedTickets(RedeemedTickets redeemed) {
        this.redeemedTickets = Objects.requireNonNull(redeemed, "redeemedTickets");
        return self();
    }

    /**
     * The store's retention and erasure ({@link dev.handoff.api.spi.DataRetention}): when set, a session opened for a
     * known customer ({@link dev.handoff.api.CustomerData#customerId()}) is linked to that customer at once, so erasing
     * the customer also removes what the session stored before any context named them (commitments the AI made, say).
     * Default: none (the in-memory stores keep no such link); core's file stores have {@code FileDataRetention},
     * handoff-postgres' {@code applyTo} sets its own. Once the Handoff is built it also runs the retention's
     * {@code purgeExpired} every {@link #retentionPurgeInterval} (10 minutes unless set), so expired data leaves the
     * store even while no handoff writes to it.
     *
     * @param retention the store's retention
     * @return this builder
     */
    public Handoff.Builder dataRetention(dev.handoff.api.spi.DataRetention retention) {
        this.dataRetention = Objects.requireNonNull(retention, "dataRetention");
        return self();
    }

    /**
     * How long a signed context verifies; default {@link ContextSigner#DEFAULT_CONTEXT_TTL}.
     *
     * @param ttl positive
     * @return this builder
     * @throws IllegalArgumentException when {@code ttl} is zero or negative
     */
    public Handoff.Builder contextTtl(Duration ttl) {
        Objects.requireNonNull(ttl, "contextTtl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("contextTtl must be positive, was " + ttl);
        }
        this.contextTtl = ttl;
        return self();
    }

    /**
     * Default true: look for SPI providers with {@link java.util.ServiceLoader} when none is set here.
     *
     * @param enabled false to use only what is set here and the built-in defaults
     * @return this builder
     */
    public Handoff.Builder serviceLoader(boolean enabled) {
        this.serviceLoader = enabled;
        return self();
    }

    /**
     * The class loader for {@link java.util.ServiceLoader}; default Handoff's own.
     *
     * @param classLoader the loader
     * @return this builder
     */
    public Handoff.Builder classLoader(ClassLoader classLoader) {
        this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
        return self();
    }

    /**
     * The evaluator asked on every turn whether to hand off. Default: the one {@link java.util.ServiceLoader}
     * provider of {@link dev.handoff.api.spi.TriggerEvaluator} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else
     * {@link dev.handoff.core.trigger.RuleTriggerEvaluator} over the default policy. Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the evaluator
     * @return this builder
     */
    public Handoff.Builder triggerEvaluator(TriggerEvaluator v) {
        this.triggerEvaluator = Objects.requireNonNull(v, "triggerEvaluator");
        return self();
    }

    /**
     * The packager that builds the {@code handoff.context/v1} document. Default: the one
     * {@link java.util.ServiceLoader} provider of {@link ContextPackager} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else
     * {@link dev.handoff.core.context.DefaultContextPackager}. Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the packager
     * @return this builder
     */
    public Handoff.Builder contextPackager(ContextPackager v) {
        this.packager = Objects.requireNonNull(v, "contextPackager");
        return self();
    }

    /**
     * The ledger of the AI's promises. Default: the one {@link java.util.ServiceLoader} provider of
     * {@link CommitmentLedger} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else an in-memory ledger ({@link
     * dev.handoff.core.context.InMemoryCommitmentLedger}, which forgets a session's commitments the context TTL plus
     * one hour after their last change; {@link dev.handoff.core.store.FileCommitmentLedger} is the durable one). Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the ledger
     * @return this builder
     */
    public Handoff.Builder commitmentLedger(CommitmentLedger v) {
        this.commitmentLedger = Objects.requireNonNull(v, "commitmentLedger");
        return self();
    }

    /**
     * Adds an executor; each {@link TransferMode} must be served by one executor. Without one for QUEUE,
     * in-process {@link ChatQueues} are created.
     *
     * @param v the executor
     * @return this builder
     */
    public Handoff.Builder transferExecutor(TransferExecutor v) {
        this.transferExecutors.add(Objects.requireNonNull(v, "transferExecutor"));
        return self();
    }

    /**
     * The CRM the customer is looked up in and the context is delivered to (through the durable outbox). Default: the
     * one {@link java.util.ServiceLoader} provider of {@link CrmAdapter} when exactly one is listed, else none (no CRM
     * lookup or push).
     *
     * @param v the adapter
     * @return this builder
     */
    public Handoff.Builder crmAdapter(CrmAdapter v) {
        this.crmAdapter = Objects.requireNonNull(v, "crmAdapter");
        return self();
    }

    /**
     * The notifier that pushes each handoff to the human side. Default: the one {@link java.util.ServiceLoader}
     * provider of {@link AgentNotifier} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else a notifier that only logs that a handoff is
     * coming. Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the notifier
     * @return this builder
     */
    public Handoff.Builder agentNotifier(AgentNotifier v) {
        this.notifier = Objects.requireNonNull(v, "agentNotifier");
        return self();
    }

    /**
     * The observer that writes the whisper, BANT and tone. Default: the one {@link java.util.ServiceLoader} provider
     * of {@link Summarizer} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else
     * {@link dev.handoff.core.context.DeterministicSummarizer}, which is also the fallback when this one fails or times
     * out. Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the observer
     * @return this builder
     */
    public Handoff.Builder summarizer(Summarizer v) {
        this.summarizer = Objects.requireNonNull(v, "summarizer");
        return self();
    }

    /**
     * The analyzer that scores customer turns without a sentiment signal. Default: the one
     * {@link java.util.ServiceLoader} provider of {@link SentimentAnalyzer} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else
     * {@link dev.handoff.core.context.LexiconSentimentAnalyzer}. Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the analyzer
     * @return this builder
     */
    public Handoff.Builder sentimentAnalyzer(SentimentAnalyzer v) {
        this.sentimentAnalyzer = Objects.requireNonNull(v, "sentimentAnalyzer");
        return self();
    }

    /**
     * The router that chooses each handoff's targets. Default: the one {@link java.util.ServiceLoader} provider of
     * {@link Router} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else {@link dev.handoff.core.routing.DefaultRouter}.
     * Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the router
     * @return this builder
     */
    public Handoff.Builder router(Router v) {
        this.router = Objects.requireNonNull(v, "router");
        return self();
    }

    /**
     * The store that keeps packaged contexts for ticket redemption. Default: the one {@link java.util.ServiceLoader}
     * provider of {@link ContextStore} when exactly one
     * is listed (and {@link #serviceLoader(boolean)} is on), else
     * {@link dev.handoff.core.store.InMemoryContextStore} (lost on restart; each context kept for the
     * {@link #contextTtl(Duration) context TTL} plus one hour, then forgotten; {@link dev.handoff.core.store.FileContextStore}
     * is durable). Two listed providers fail
     * {@code build()} with a {@link dev.handoff.api.ConfigurationException} naming both.
     *
     * @param v the store
     * @return this builder
     */
    public Handoff.Builder contextStore(ContextStore v) {
        this.contextStore = Objects.requireNonNull(v, "contextStore");
        return self();
    }

    /**
     * Keys that sign contexts and tickets. Default: a random key per process ({@link SigningKeys#ephemeral()}),
     * which cannot verify anything issued before a restart; set real keys in production.
     *
     * @param keys the keys
     * @return this builder
     */
    public Handoff.Builder signingKeys(SigningKeys keys) {
        this.signingKeys = Objects.requireNonNull(keys, "signingKeys");
        return self();
    }

    /**
     * Who owns each running handoff when several instances share the work (the PostgreSQL implementation in
     * handoff-postgres sets it). Default {@link HandoffOwnership#local()}: handoffs live and die with this process.
     *
     * @param ownership the ownership
     * @return this builder
     */
    public Handoff.Builder ownership(HandoffOwnership ownership) {
        this.ownership = Objects.requireNonNull(ownership, "ownership");
        return self();
    }

    /**
     * Lets agents served by this instance act on handoffs other instances run (the PostgreSQL implementation in
     * handoff-postgres sets it). Default {@link AgentRelay#none()}: a handoff is acted on only where it runs.
     *
     * @param relay the relay
     * @return this builder
     */
    public Handoff.Builder agentRelay(AgentRelay relay) {
        this.agentRelay = Objects.requireNonNull(relay, "agentRelay");
        return self();
    }

    /**
     * Where the commitment verification deadlines are kept and who fires them (the PostgreSQL implementation in
     * handoff-postgres sets it, so each deadline fires once across instances). Default: a new
     * {@link VerificationDeadlines#inMemory()} per Handoff, timers that live and die with this process.
     *
     * @param deadlines the deadlines
     * @return this builder
     */
    public Handoff.Builder verificationDeadlines(VerificationDeadlines deadlines) {
        this.verificationDeadlines = Objects.requireNonNull(deadlines, "verificationDeadlines");
        return self();
    }

    /**
     * What carries each running handoff's trace context onto its outbound calls (SIP headers, the CRM's and the LLM
     * observer's HTTP calls); set on the builder only, never discovered. Default {@link HandoffPropagator#NONE}. The
     * OpenTelemetry one is {@code HandoffTracing} in handoff-opentelemetry, which is also the listener that makes the
     * spans.
     *
     * @param propagator the propagator
     * @return this builder
     */
    public Handoff.Builder propagator(HandoffPropagator propagator) {
        this.propagator = Objects.requireNonNull(propagator, "propagator");
        return self();
    }

    /**
     * Adds a listener; listeners must be quick and must not block (see {@link dev.handoff.api.event.HandoffEvent}).
     *
     * @param listener the listener; called for every event of every session
     * @return this builder
     */
    public Handoff.Builder listener(HandoffListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return self();
    }
}
