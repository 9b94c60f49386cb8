package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Route;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferResult;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.internal.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs handoffs as chains of asynchronous stages; no thread waits for an observer, a CRM, an agent or a transfer.
 *
 * <pre>
 * start ─► admission ─┬─ admitted ─────────────────────────────┐
 *                     ├─ waiting in line (HandoffQueued) ─ slot ┤   wait limit first ─► RESUMED (WAIT_LIMIT)
 *                     └─ line full ─► RESUMED (OVER_CAPACITY)   │
 *   summarise (io, timeout → deterministic) ═╗                  ▼
 *   CRM lookup (io, timeout → none)         ═╩► package, sign, store, ticket ─► PACKAGED ─► CRM push (io, {@link CrmPush})
 *                                               ─► bridge STARTED ─► route ─► ROUTED ─► {@link Attempts} (per target)
 * </pre>
 *
 * Continuations run on the worker executor; timeouts run on the one scheduler and cancel what they cut short.
 * The outcome is decided exactly once ({@link HandoffRun#finish}); every path decides one.
 */
final class Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

    final HandoffSettings settings;
    final Components c;
    final HandoffExecutors x;
    final EventBus events;
    final Audit audit;
    final CommitmentDeadlines deadlines;
    final HandoffOwnership ownership;
    final Clock clock;
    final CrmPush crm = new CrmPush(this);
    private final Admission admission;
    private final Attempts attempts;
    private final Takeover takeover;
    private final PackagingInputs inputs;
    private final ConcurrentMap<SessionId, HandoffRun> bySession = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RunActions> byContext = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Orchestrator(HandoffSettings settings, Components c, HandoffExecutors x, EventBus events, Audit audit,
                 CommitmentDeadlines deadlines, HandoffOwnership ownership, Clock clock) {
        this.ownership = ownership;
        this.settings = settings;
        this.c = c;
        this.x = x;
        this.events = events;
        this.audit = audit;
        this.deadlines = deadlines;
        this.clock = clock;
        this.admission = new Admission(settings.maxInFlight(), settings.maxQueued());
        this.attempts = new Attempts(this);
        this.takeover = new Takeover(this);
        this.inputs = new PackagingInputs(settings, c, x);
    }

    CompletableFuture<HandoffOutcome> start(HandoffSession session, HandoffDecision decision) {
        Instant now = clock.instant();
        HandoffRun run = new HandoffRun("h-" + UUID.randomUUID(), session, decision, now, now.plus(settings.maxWait()), null, events,
                clock, ownership);
        ownership.started(new HandoffOwnership.Started(run.id(), session.id(), session.channel(), now, run.waitUntil()));
        bySession.put(session.id(), run);
        // written with the run's next record (CONTEXT_PACKAGED, or RETURNED_TO_BOT): no write on the bot's thread
        run.records().requested(audit.entry("bot", AuditRecord.Action.HANDOFF_REQUESTED, session.id(), null, decision.action().name()));
        if (closed) {
            resume(run, HandoffOutcome.Cause.SHUT_DOWN, "Handoff is shut down");
            return run.outcome();
        }
        run.onDecided(() -> {
            if (run.admitted()) {
                HandoffRun next = admission.release();
                if (next != null) {
                    begin(next);
                }
            }
        });
        Admission.Entry entry = admission.enter(run);
        if (entry instanceof Admission.Admitted) {
            begin(run);
        } else if (entry instanceof Admission.Queued q) {
            run.records().flush(audit);   // a wait in line may be long: the request is recorded now
            run.emit(new HandoffEvent.HandoffQueued(session.id(), clock.instant(), q.position(), settings.maxWait()), true);
            bridge(run, BridgeScript.Stage.QUEUED, null, q.position());
            schedule(run, run.remainingWait(), () -> {
                if (admission.withdraw(run)) {
                    resume(run, HandoffOutcome.Cause.WAIT_LIMIT, "waited in line for " + settings.maxWait() + " without a free slot");
                }
            }, true);
        } else {
            resume(run, HandoffOutcome.Cause.OVER_CAPACITY, "this instance runs " + settings.maxInFlight()
                    + " handoffs and " + settings.maxQueued() + " wait in line");
        }
        return run.outcome();
    }

    /** Starts the stages of an admitted handoff on a worker. */
    private void begin(HandoffRun run) {
        if (!run.session().isEnded()) {
            step(run, () -> {
                CompletableFuture<Summary> summary = inputs.summarize(run);
                CompletableFuture<Optional<CrmProfile>> profile = inputs.lookup(run);
                if (summary.isDone() && profile.isDone()) {
                    packaged(run, summary.join(), profile.join().orElse(null));   // nothing to wait for: no extra hop
                } else {
                    run.records().flush(audit);   // an LLM or a CRM may take seconds: the request is recorded now
                    summary.thenAcceptBoth(profile, (s, p) -> step(run, () -> packaged(run, s, p.orElse(null))))
                            .exceptionally(e -> fail(run, e));
                }
            });
        } else {
            resume(run, HandoffOutcome.Cause.SESSION_ENDED, "the session ended before the handoff started");
        }
    }

    private void packaged(HandoffRun run, Summary summary, CrmProfile profile) {
        if (run.finished()) {
            return;
        }
        HandoffSession s = run.session();
        long mark = s.ledgerWrites.mark();
        List<Commitment> commitments = c.ledger().commitments(s.id());
        run.ledgerRead(mark, commitments.isEmpty());
        HandoffContext unsigned = c.packager().pack(new PackagingRequest(s, run.decision(), profile, commitments, summary, clock.instant()));
        dev.handoff.core.context.ContextSigner.Signed signed = c.signer().signMeasured(unsigned);
        HandoffContext context = signed.context();
        List<AuditRecord> records = run.records().then(audit.entry("system", AuditRecord.Action.CONTEXT_PACKAGED, s.id(),
                context.contextId(), "ok"));
        boolean audited;
        try {
            audited = c.store().putAudited(context, c.auditSink(), records);   // one write where the store can
        } catch (RuntimeException e) {
            if (records.size() > 1) {
                audit.recordAll(records.subList(0, 1));   // the request was made, though its packaging fails
            }
            throw e;
        }
        String ticket = c.tickets().issue(context.contextId());
        run.packaged(context, ticket);
        packagedAs(context.contextId(), run);
        run.moveTo(HandoffPhase.PACKAGED);
        run.emit(new HandoffEvent.ContextPackaged(s.id(), clock.instant(), context.contextId(), ticket, signed.bytes()), false);
        if (!audited) {
            audit.recordAll(records);
        }
        crm.context(s.id(), context);
        bridge(run, BridgeScript.Stage.STARTED, null, 0);
        scheduleStillWaiting(run);
        Route route = c.router().route(context, run.decision());
        run.moveTo(HandoffPhase.ROUTED);
        run.emit(new HandoffEvent.RouteSelected(s.id(), clock.instant(), route), false);
        attempts.next(run, route, 0);
    }

    private void scheduleStillWaiting(HandoffRun run) {
        schedule(run, settings.bridgeInterval(), () -> {
            if (!run.finished()) {
                bridge(run, BridgeScript.Stage.STILL_WAITING, null, 0);
                scheduleStillWaiting(run);
            }
        }, false);
    }

    /** Schedules a short task of this run; it is cancelled when the outcome is decided. */
    private void schedule(HandoffRun run, Duration delay, Runnable task, boolean waitLimit) {
        try {
            Scheduler.Cancellable t = x.scheduler().schedule(delay, () -> step(run, task));
            if (waitLimit) {
                run.waitTimer(t);
            } else {
                run.timer(t);
            }
        } catch (RejectedExecutionException e) {
            LOG.debug("Scheduler shut down; no timer for handoff {}", run.id());
        }
    }

    /** Publishes a bridge line while the handoff runs and the bot still holds the conversation. */
    void bridge(HandoffRun run, BridgeScript.Stage stage, dev.handoff.api.Target target, int position) {
        try {
            BridgeScript.Moment m = new BridgeScript.Moment(stage, run.decision(), run.context(), target, position, run.remainingWait(),
                    run.attempts().size());
            c.bridgeScript().message(m).ifPresent(text ->
                    run.emit(new HandoffEvent.BridgeMessage(run.session().id(), clock.instant(), text), true));
        } catch (RuntimeException e) {
            LOG.warn("Bridge script failed at {} for session {}", stage, run.session().id(), e);
        }
    }

    /** The line the bot says as it resumes; the standard one when the script says nothing or fails. */
    String resumeLine(HandoffRun run, BridgeScript.Stage stage) {
        BridgeScript.Moment m = new BridgeScript.Moment(stage, run.decision(), run.context(), null, 0, run.remainingWait(),
                run.attempts().size());
        try {
            Optional<String> line = c.bridgeScript().message(m);
            if (line.isPresent() && !line.get().isBlank()) {
                return line.get();
            }
        } catch (RuntimeException e) {
            LOG.warn("Bridge script failed at {} for session {}", stage, run.session().id(), e);
        }
        return BridgeScript.standard().message(m).orElseThrow();
    }

    /**
     * A human has it. {@code attempt}, the TRANSFER_ATTEMPTED record of the attempt that connected (null when already
     * written), is written with HANDOFF_CONNECTED in one write, still before the outcome is visible; alone when another
     * decision came first.
     */
    void connected(HandoffRun run, TransferResult r, AuditRecord attempt) {
        SessionId id = run.session().id();
        Duration elapsed = Duration.between(run.requestedAt(), clock.instant());
        HandoffOutcome outcome = new HandoffOutcome(id, HandoffOutcome.Status.CONNECTED, HandoffOutcome.Cause.CONNECTED,
                run.contextId(), run.ticket(), run.attempts(), elapsed, "");
        // with nothing to verify the handoff is VERIFIED as it connects, before the bot hears the outcome
        boolean pending;
        try {
            // one ledger read serves the phase and the deadline; none when packaging found the ledger empty and nothing
            // was written to it since (a verdict only changes a commitment that exists)
            pending = !run.ledgerStillEmpty() && deadlines.anyPending(id);
        } catch (RuntimeException e) {
            if (attempt != null) {
                audit.recordAll(List.of(attempt));   // a ledger that fails does not take the attempt's record with it
            }
            throw e;
        }
        HandoffPhase then = pending ? null : HandoffPhase.VERIFIED;
        // audited, and the verification deadline set, before the outcome is visible: whoever waits on it finds both
        if (run.finish(HandoffPhase.CONNECTED, HandoffSession.Owner.HUMAN,
                new HandoffEvent.HandoffCompleted(id, clock.instant(), r, elapsed), then, outcome,
                () -> {
                    AuditRecord done = audit.entry(r.agentId() != null ? r.agentId() : "system", AuditRecord.Action.HANDOFF_CONNECTED, id,
                            run.contextId(), "connected");
                    audit.recordAll(attempt == null ? List.of(done) : List.of(attempt, done));
                    if (pending) {
                        run.records().deadlineMayRun();
                    }
                    deadlines.agentConnected(id, clock.instant(), pending);
                })) {
            checkVerified(run);
        } else if (attempt != null) {
            audit.recordAll(List.of(attempt));
        }
    }

    /** The bot carries on: nobody could take it, or it could not even start. */
    void resume(HandoffRun run, HandoffOutcome.Cause cause, String why) {
        SessionId id = run.session().id();
        if (cause == HandoffOutcome.Cause.OWNER_LOST) {
            run.records().deadlineMayRun();   // the instance that took it over may have set one
        }
        String line = resumeLine(run, BridgeScript.Stage.RESUMED);
        HandoffPhase phase = cause == HandoffOutcome.Cause.INTERNAL_ERROR ? HandoffPhase.FAILED : HandoffPhase.RETURNED_TO_BOT;
        HandoffOutcome outcome = new HandoffOutcome(id, HandoffOutcome.Status.RETURNED_TO_BOT, cause, run.contextId(), run.ticket(),
                run.attempts(), Duration.between(run.requestedAt(), clock.instant()), line);
        if (run.finish(phase, HandoffSession.Owner.BOT, new HandoffEvent.ReturnedToBot(id, clock.instant(), cause + ": " + why, line),
                null, outcome, () -> audit.recordAll(run.records().then(audit.entry("system", AuditRecord.Action.RETURNED_TO_BOT, id,
                        run.contextId(), cause.name()))))) {
            admission.withdraw(run);
        }
    }

    /** Every target failed. */
    void allFailed(HandoffRun run) {
        resume(run, HandoffOutcome.Cause.NO_TARGET_AVAILABLE, "no specialist could take it (" + run.attempts().stream()
                .map(a -> a.target().id() + ": " + a.outcome()).collect(Collectors.joining(", ")) + ")");
    }

    /** Moves a connected handoff to VERIFIED once no commitment awaits verification. */
    void checkVerified(HandoffRun run) {
        if (run.phase() == HandoffPhase.CONNECTED && !deadlines.anyPending(run.session().id())) {
            run.moveTo(HandoffPhase.VERIFIED);
        }
    }

    /** Runs a step of a handoff on a worker with the session in the MDC; an unexpected failure decides the outcome. */
    void step(HandoffRun run, Runnable task) {
        try {
            x.workers().execute(() -> {
                MDC.put("handoff.session", run.session().id().value());
                try {
                    task.run();
                } catch (RuntimeException e) {
                    fail(run, e);
                } finally {
                    MDC.remove("handoff.session");
                }
            });
        } catch (RejectedExecutionException e) {
            resume(run, HandoffOutcome.Cause.SHUT_DOWN, "Handoff is shut down");
        }
    }

    Void fail(HandoffRun run, Throwable e) {
        if (run.finished()) {
            return null;
        }
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof dev.handoff.api.RetriableHandoffException) {
            LOG.warn("Handoff of session {} could not go on: {}; returning the conversation to the bot", run.session().id(),
                    cause.getMessage());
            resume(run, HandoffOutcome.Cause.UNAVAILABLE, "unavailable: " + cause.getClass().getSimpleName());
        } else {
            LOG.error("Handoff of session {} failed unexpectedly; returning the conversation to the bot", run.session().id(), cause);
            resume(run, HandoffOutcome.Cause.INTERNAL_ERROR, "internal error: " + cause.getClass().getSimpleName());
        }
        return null;
    }

    /** Another instance owns this handoff now: see {@link Takeover#lost}. */
    void lost(String handoffId) {
        takeover.lost(handoffId);
    }

    /** Continues a handoff whose owner died: see {@link Takeover#adopt}. */
    CompletableFuture<HandoffOutcome> adopt(HandoffSession session, HandoffOwnership.Adoption a) {
        return takeover.adopt(session, a);
    }

    /** The running handoff of a session, replaced by {@code run}; null when there was none. */
    HandoffRun track(SessionId id, HandoffRun run) {
        return bySession.put(id, run);
    }

    /** The handoffs this instance drives now. */
    List<HandoffRun> running() {
        return List.copyOf(bySession.values());
    }

    /** Lets the agent side act on a packaged handoff by its context id. */
    void packagedAs(String contextId, HandoffRun run) {
        byContext.put(contextId, new RunActions(this, run));
    }

    Optional<RunActions> actions(String contextId) {
        return Optional.ofNullable(byContext.get(contextId));
    }

    Optional<HandoffPhase> phase(SessionId id) {
        return Optional.ofNullable(bySession.get(id)).map(HandoffRun::phase);
    }

    /** The session ended: a running handoff returns to the bot, and its state is dropped. */
    void sessionEnded(SessionId id) {
        HandoffRun run = bySession.remove(id);
        if (run == null) {
            return;
        }
        resume(run, HandoffOutcome.Cause.SESSION_ENDED, "the session ended");
        String contextId = run.contextId();
        if (contextId != null) {
            byContext.remove(contextId);
        }
        if (run.records().mayHaveDeadline()) {   // else there is none to cancel: no round trip to a shared store
            deadlines.cancel(id);
        }
    }

    /** Handoffs with state held here (running or connected and not yet ended), and those waiting in line. */
    int tracked() {
        return bySession.size() + byContext.size();
    }

    int inFlight() {
        return admission.inFlight();
    }

    int waiting() {
        return admission.waiting();
    }

    /** Every running handoff returns to the bot with {@link HandoffOutcome.Cause#SHUT_DOWN}. */
    void close() {
        closed = true;
        for (HandoffRun run : List.copyOf(bySession.values())) {
            resume(run, HandoffOutcome.Cause.SHUT_DOWN, "Handoff is shut down");
        }
    }
}
