package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.internal.EventBus;
import dev.handoff.core.metrics.HandoffMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Handoff} runs on: the settings, the resolved components, the executors, the event bus, the
 * orchestrator and the open sessions. It is the {@link SessionHost} of every session; its background chores (the
 * idle-session sweep, and the retention purge when a data retention is set) are {@link Periodic}s on the scheduler.
 */
final class HandoffRuntime implements SessionHost {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffRuntime.class);

    final HandoffSettings settings;
    final Components c;
    final HandoffExecutors x;
    final Clock clock;
    final EventBus events;
    final Audit audit;
    final Orchestrator orchestrator;
    private final CommitmentDeadlines deadlines;
    private final boolean ownsExecutors;
    private final HandoffOwnership ownership;
    private final ConcurrentMap<SessionId, HandoffSession> sessions = new ConcurrentHashMap<>();
    /** AI turns the commitment ledger failed to take, per session, to give it again. */
    private final ConcurrentMap<SessionId, java.util.Deque<Turn>> unobserved = new ConcurrentHashMap<>();
    private final Periodic sweep;
    /** Null without a data retention or with the purge turned off. */
    private final Periodic purge;
    private volatile boolean closed;

    HandoffRuntime(HandoffSettings settings, Components c, HandoffExecutors x, boolean ownsExecutors, Clock clock,
                   List<dev.handoff.api.event.HandoffListener> listeners) {
        this(settings, c, x, ownsExecutors, clock, listeners, HandoffOwnership.local(), VerificationDeadlines.inMemory(),
                new Audit(c.auditSink(), c.metricsSink(), dev.handoff.core.audit.AuditBacklog.DEFAULT_LIMIT, clock, x.scheduler(), x.io(), null));
    }

    /**
     * @param ownership             told of every handoff's start, phases and outcome; attached here, closed with the runtime
     * @param verificationDeadlines keeps the commitment deadlines; attached here, closed with the runtime
     * @param audit                 writes the audit records (over {@code c}'s sink); closed with the runtime
     */
    HandoffRuntime(HandoffSettings settings, Components c, HandoffExecutors x, boolean ownsExecutors, Clock clock,
                   List<dev.handoff.api.event.HandoffListener> listeners, HandoffOwnership ownership,
                   VerificationDeadlines verificationDeadlines, Audit audit) {
        this.settings = settings;
        this.c = c;
        this.x = x;
        this.ownsExecutors = ownsExecutors;
        this.clock = clock;
        this.events = new EventBus(listeners);
        this.events.add(new HandoffMetrics(c.metricsSink()));
        this.audit = audit;
        this.deadlines = new CommitmentDeadlines(c.ledger(), clock, x.scheduler(), settings.commitmentDeadline(), events::publish,
                verificationDeadlines);
        this.ownership = ownership;
        this.orchestrator = new Orchestrator(settings, c, x, events, audit, deadlines, ownership, clock);
        this.sweep = Periodic.start("Idle-session sweep", settings.idleSweepInterval(), x.scheduler(), x.workers(),
                this::expireIdleSessions);
        this.purge = c.retention() == null || settings.retentionPurgeInterval().isZero() ? null
                : Periodic.start("Retention purge", settings.retentionPurgeInterval(), x.scheduler(), x.io(), c.retention()::purgeExpired);
        if (c.chatQueues() != null) {
            c.chatQueues().attach(c.tickets());
        }
        ownership.attach(new OwnershipHost());
    }

    HandoffSession open(SessionId id, dev.handoff.api.Channel channel, dev.handoff.api.CustomerData customer) {
        if (closed) {
            throw new IllegalStateException("Handoff is closed; open sessions on a new instance");
        }
        HandoffSession session = new HandoffSession(this, id, channel, customer, clock.instant());
        HandoffSession existing = sessions.putIfAbsent(id, session);
        if (existing != null) {
            if (!existing.isEnded()) {
                throw new IllegalStateException("session " + id + " is already open");
            }
            sessions.put(id, session);
        }
        link(id, customer);
        return session;
    }

    /** Ties the session to its customer in the store's retention, so erasing the customer finds it; never throws. */
    private void link(SessionId id, dev.handoff.api.CustomerData customer) {
        dev.handoff.api.spi.DataRetention retention = c.retention();
        if (retention == null || customer == null || customer.customerId() == null) {
            return;
        }
        try {
            retention.linkSession(id, customer.customerId());
        } catch (RuntimeException e) {
            // the conversation goes on; a context that names the customer links the session again when it is stored
            LOG.warn("Session {} could not be linked to its customer for erasure: {}", id, e.getClass().getSimpleName());
        }
    }

    HandoffSession session(SessionId id) {
        HandoffSession s = sessions.get(id);
        return s == null || s.isEnded() ? null : s;
    }

    int expireIdleSessions() {
        int n = 0;
        for (HandoffSession s : List.copyOf(sessions.values())) {
            if (s.idleExpired()) {
                s.end("idle for " + settings.idleTimeout());
                n++;
            }
        }
        return n;
    }

    /** Sessions open, handoffs tracked, deadlines running, mailboxes pending: all zero once everything ended. */
    int retained() {
        return sessions.size() + orchestrator.tracked() + deadlines.running() + events.pendingSessions() + unobserved.size();
    }

    /** What {@link #retained()} counts, by kind, for a failure message. */
    String retainedDetail() {
        return "sessions=" + sessions.size() + " handoffs=" + orchestrator.tracked() + " deadlines=" + deadlines.running()
                + " mailboxes=" + events.pendingSessions();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Duration idleTimeout() {
        return settings.idleTimeout();
    }

    @Override
    public void publish(HandoffEvent event) {
        events.publish(event);
    }

    @Override
    public HandoffDecision evaluate(HandoffSession session, Turn turn) {
        try {
            return c.triggerEvaluator().evaluate(session, turn);
        } catch (RuntimeException e) {
            LOG.error("Trigger evaluator {} threw on turn {} of session {}; continuing with the bot",
                    c.triggerEvaluator().getClass().getName(), turn.index(), session.id(), e);
            return HandoffDecision.proceed();
        }
    }

    @Override
    public void observeAiTurn(SessionId session, Turn turn) {
        if (turn.speaker() != Speaker.AI) {
            return;
        }
        retryObservations(session);
        observe(session, turn);
    }

    /**
     * Gives the ledger the AI turns it failed to take (a store outage), oldest first, so no promise is lost; stops at
     * the first that fails again.
     */
    void retryObservations(SessionId session) {
        java.util.Deque<Turn> pending = unobserved.get(session);
        if (pending == null) {
            return;
        }
        synchronized (pending) {
            while (!pending.isEmpty()) {
                try {
                    c.ledger().observe(session, pending.peekFirst());
                    pending.pollFirst();
                } catch (RuntimeException e) {
                    return;
                }
            }
            unobserved.remove(session, pending);
        }
    }

    private void observe(SessionId session, Turn turn) {
        java.util.Deque<Turn> pending = unobserved.get(session);
        if (pending != null) {   // an earlier turn is still waiting: keep the order
            synchronized (pending) {
                pending.addLast(turn);
            }
            return;
        }
        try {
            c.ledger().observe(session, turn);
        } catch (RuntimeException e) {
            LOG.warn("Commitment ledger failed on turn {} of session {} ({}); the turn is kept and given to it again with the "
                    + "next AI turn and before a handoff", turn.index(), session, e.toString());
            unobserved.computeIfAbsent(session, k -> new java.util.ArrayDeque<>()).addLast(turn);
        }
    }

    @Override
    public Commitment recordCommitment(SessionId session, Commitment commitment) {
        return c.ledger().record(session, commitment);
    }

    @Override
    public CompletableFuture<HandoffOutcome> handOff(HandoffSession session, HandoffDecision decision) {
        retryObservations(session.id());
        if (unobserved.containsKey(session.id())) {
            LOG.warn("Session {} hands off while the commitment ledger still refuses some AI turns; their promises are in the "
                    + "transcript but not in the ledger", session.id());
        }
        return orchestrator.start(session, decision);
    }

    @Override
    public void ended(HandoffSession session, String reason) {
        SessionId id = session.id();
        orchestrator.sessionEnded(id);
        sessions.remove(id, session);
        unobserved.remove(id);   // released before anyone hears SessionEnded
        events.publish(new HandoffEvent.SessionEnded(id, clock.instant(), reason));
    }

    /** What an ownership implementation may call: the scheduler, the workers and the two entry points. */
    private final class OwnershipHost implements HandoffOwnership.Host {

        @Override
        public Scheduler scheduler() {
            return x.scheduler();
        }

        @Override
        public java.util.concurrent.Executor workers() {
            return x.workers();
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public void lost(String handoffId) {
            orchestrator.lost(handoffId);
        }

        @Override
        public CompletableFuture<HandoffOutcome> adopt(HandoffOwnership.Adoption adoption) {
            SessionId id = adoption.sessionId();
            HandoffSession session = session(id);
            if (session == null) {
                java.util.Optional<dev.handoff.api.context.HandoffContext> context = adoption.contextId() == null
                        ? java.util.Optional.empty() : c.store().get(adoption.contextId());
                CustomerData customer = context.map(ctx -> ctx.customer()).orElse(CustomerData.UNKNOWN);
                session = new HandoffSession(HandoffRuntime.this, id, adoption.channel(), customer, clock.instant());
                if (context.isPresent()) {
                    session.restore(context.get().transcript());   // the conversation so far, as its owner packaged it
                }
                sessions.put(id, session);
            }
            session.ownerChanged(HandoffSession.Owner.HANDOFF_IN_PROGRESS);
            return orchestrator.adopt(session, adoption);
        }

        @Override
        public void publish(HandoffEvent event) {
            events.publish(event);
        }
    }

    void close() {
        closed = true;
        sweep.close();
        if (purge != null) {
            purge.close();
        }
        orchestrator.close();
        try {
            ownership.close();
        } catch (RuntimeException e) {
            LOG.warn("Handoff ownership {} failed to close", ownership.getClass().getName(), e);
        }
        deadlines.close();
        audit.close();   // what a failing sink has not taken yet: one last attempt
        if (ownsExecutors) {
            x.close();
        }
    }
}
