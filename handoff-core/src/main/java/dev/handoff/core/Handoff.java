package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.RedeemedTickets;
import dev.handoff.core.context.Redeemer;
import dev.handoff.core.context.TicketRedeemer;
import dev.handoff.core.context.Tickets;
import java.time.Clock;
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
    private final AgentRelay relay;

    private Handoff(Builder b) {
        HandoffSettings settings = b.settings.build();
        HandoffExecutors executors = b.executors != null ? b.executors : HandoffExecutors.builder().workerThreads(b.workerThreads).build();
        Components components = Components.resolve(b, b.clock, executors.scheduler());
        AuditSpool spool = b.auditSpool == null ? null : AuditSpool.open(b.auditSpool, b.auditSpoolKeys, b.clock);
        try {
            Audit audit = new Audit(components.auditSink(), components.metricsSink(), b.auditBacklogLimit, b.clock, executors.scheduler(),
                    executors.io(), spool);
            this.runtime = new HandoffRuntime(settings, components, executors, b.executors == null, b.clock, b.listeners, b.ownership,
                    b.verificationDeadlines != null ? b.verificationDeadlines : VerificationDeadlines.inMemory(), audit);
        } catch (RuntimeException e) {
            if (spool != null) {
                spool.close();   // another build in this process may open it
            }
            throw e;
        }
        // redemptions are audited on the runtime's path: kept and written again while the sink is unavailable
        this.redeemer = new TicketRedeemer(components.tickets(), components.store(), components.signer(), runtime.audit.sink(), b.clock,
                b.redeemedTickets != null ? b.redeemedTickets : RedeemedTickets.inMemory(b.clock));
        this.relay = b.agentRelay;
        relay.attach(new RelayHost(runtime, executors.scheduler()));
        // class loading, Jackson, Hibernate Validator and regexes now, not inside the first customer's handoff
        Warmup.run(components, executors, b.clock);
    }

    /**
     * A builder with every default; see {@link Builder}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a conversation.
     *
     * @param id       the conversation's id, unique among open sessions
     * @param channel  voice or chat
     * @param customer what the bot knows about the customer ({@link CustomerData#UNKNOWN} when nothing)
     * @return the open session; the bot records turns on it from its own thread
     * @throws NullPointerException when an argument is null
     * @throws IllegalStateException when a session with this id is already open, or this Handoff is closed
     */
    public HandoffSession open(SessionId id, Channel channel, CustomerData customer) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(customer, "customer");
        return runtime.open(id, channel, customer);
    }

    /**
     * Opens a conversation with a random id and no customer data.
     *
     * @param channel voice or chat
     * @return the open session; the bot records turns on it from its own thread
     * @throws NullPointerException  when {@code channel} is null
     * @throws IllegalStateException when this Handoff is closed
     */
    public HandoffSession open(Channel channel) {
        return open(SessionId.random(), channel, CustomerData.UNKNOWN);
    }

    /**
     * An open session by id.
     *
     * @param id the conversation
     * @return the open session, or empty when none is open with that id
     */
    public Optional<HandoffSession> session(SessionId id) {
        return Optional.ofNullable(runtime.session(id));
    }

    /**
     * Ends every session idle longer than the idle timeout now and returns how many ended. This also runs by itself
     * every {@link HandoffSettings#idleSweepInterval()}.
     *
     * @return how many sessions ended
     */
    public int expireIdleSessions() {
        return runtime.expireIdleSessions();
    }

    /**
     * Redeems a ticket (from a SIP header, a desktop link) for its context on behalf of {@code actor} (an agent id, a
     * CRM name), after checking the ticket, its binding and the context's signature and expiry; every attempt,
     * refused ones included, is audited with the actor ({@link TicketRedeemer}).
     *
     * @param ticket the ticket as received (attacker-supplied text; checked before use)
     * @param actor  who redeems it, for the audit record: an agent id or a CRM name
     * @return the verified context, as stored
     * @throws dev.handoff.core.context.TicketException when the ticket is forged, expired, bound to someone else or
     *                                                  used up, or the context is unknown, altered or expired
     */
    public HandoffContext redeem(String ticket, String actor) {
        return redeemer.redeem(ticket, Redeemer.of(actor));
    }

    /**
     * Redeems tickets with a tenant ({@link Redeemer#of(String, String)}); the same checks and audit as
     * {@link #redeem}.
     *
     * @return the redeemer this Handoff uses
     */
    public TicketRedeemer ticketRedeemer() {
        return redeemer;
    }

    /**
     * The agent-side handle of the handoff that packaged this context: the same one its {@code AgentNotification}
     * carried when this process runs it; otherwise, when an {@link AgentRelay} is set and another instance runs it,
     * a handle whose actions that instance applies ({@link AgentRelay#remote}). Called on the agent side's threads.
     *
     * @param contextId the context id from the ticket, the notification or the queue offer
     * @return the handle, or empty when no handoff has that context or its session has ended
     * @throws dev.handoff.api.RetriableHandoffException when the relay cannot read the shared state now
     */
    public Optional<AgentActions> agentActions(String contextId) {
        Objects.requireNonNull(contextId, "contextId");
        Optional<AgentActions> local = runtime.orchestrator.actions(contextId).map(a -> a);
        return local.isPresent() ? local : relay.remote(contextId);
    }

    /**
     * Events and actions of handoffs other instances run.
     *
     * @return the relay; {@link AgentRelay#none()} unless one was set
     */
    public AgentRelay agentRelay() {
        return relay;
    }

    /**
     * The phase of the session's latest handoff, while the session is open.
     *
     * @param sessionId the conversation
     * @return the latest handoff's phase, or empty when the session is not open or never handed off
     */
    public Optional<HandoffPhase> phase(SessionId sessionId) {
        return runtime.orchestrator.phase(sessionId);
    }

    /**
     * The timeouts, limits and modes in use.
     *
     * @return the settings given to the builder, with defaults filled in
     */
    public HandoffSettings settings() {
        return runtime.settings;
    }

    /**
     * Where audit records go, for modules that audit on Handoff's behalf, such as the agent desktop's sign-ins and
     * views, so one trail holds everything. It writes to the configured sink (the {@code handoff.audit} logger unless
     * one was configured) the way Handoff writes its own records: records the sink fails to take because it is
     * unavailable are kept, in order, and written again (and spooled, with {@link Builder#auditSpool}); it never
     * throws.
     *
     * @return the audit path in use, over the configured sink
     */
    public AuditSink auditSink() {
        return runtime.audit.sink();
    }

    /**
     * The audit records waiting because the audit sink is unavailable (its database down or not answering): how
     * many, how many were lost to a full queue, and whether they are all in the audit spool. Non-zero
     * {@code waiting} means the trail in the sink is behind; the same count is the gauge
     * {@value dev.handoff.core.audit.AuditBacklog#WAITING_GAUGE}.
     *
     * @return the backlog now
     */
    public dev.handoff.core.audit.AuditBacklog auditBacklog() {
        return runtime.audit.backlog();
    }

    /**
     * Where metrics go (the in-memory sink unless one was configured).
     *
     * @return the metrics sink in use
     */
    public MetricsSink metrics() {
        return runtime.c.metricsSink();
    }

    /**
     * Adds a listener after the build (the builder's {@code listener} adds one before). Thread-safe.
     *
     * @param listener called for every event of every session; quick and non-blocking
     */
    public void addListener(HandoffListener listener) {
        runtime.events.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener; events already being delivered to it may still arrive.
     *
     * @param listener a listener added before; unknown ones are ignored
     */
    public void removeListener(HandoffListener listener) {
        runtime.events.remove(listener);
    }

    /**
     * The context store in use (the one configured, a ServiceLoader provider, or the in-memory default).
     *
     * @return the context store
     */
    public ContextStore contexts() {
        return runtime.c.store();
    }

    /**
     * The commitment ledger, to read; humans verify commitments through {@link AgentActions}.
     *
     * @return the ledger in use
     */
    public CommitmentLedger commitments() {
        return runtime.c.ledger();
    }

    /**
     * The signer that signs and verifies contexts with the configured keys, for modules that sign on Handoff's behalf.
     *
     * @return the signer
     */
    public ContextSigner signer() {
        return runtime.c.signer();
    }

    /**
     * The ticket codec (issue and verify) with the configured keys, lifetime and scope.
     *
     * @return the tickets codec
     */
    public Tickets tickets() {
        return runtime.c.tickets();
    }

    /**
     * The chat queues agents take work from: the QUEUE executor when it is a {@link ChatQueues} (the in-memory
     * default).
     *
     * @return the chat queues, or empty when the QUEUE executor is not a {@link ChatQueues}
     */
    public Optional<ChatQueues> chatQueues() {
        return Optional.ofNullable(runtime.c.chatQueues());
    }

    /**
     * The clock every timestamp and timeout reads.
     *
     * @return the configured clock (default {@link Clock#systemUTC()})
     */
    public Clock clock() {
        return runtime.clock;
    }

    /**
     * Names of the SPI implementations in use, for logs and diagnostics.
     *
     * @return SPI name to implementation class name, in a stable order
     */
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
        try {
            relay.close();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Handoff.class).warn("Agent relay {} failed to close", relay.getClass().getName(), e);
        }
        runtime.close();
    }

    /**
     * Configures a {@link Handoff}. Every setting has a working default; nothing is required. The timeouts, limits
     * and modes land in a {@link HandoffSettings} (set it whole with {@link #settings}, or one value at a time here).
     */
    public static final class Builder extends HandoffBuilder {

        private Builder() {
        }

        /**
         * Resolves every SPI, creates the threads (unless {@link #executors} was set), and warms up class loading,
         * JSON and validation so the first customer's handoff does not pay for it. Call once, on the configuring
         * thread.
         *
         * @return a running Handoff; close it when done
         * @throws dev.handoff.api.ConfigurationException when SPI providers are ambiguous, two executors claim one
         *                                                mode, or a setting is out of range
         */
        public Handoff build() {
            return new Handoff(this);
        }
    }
}
