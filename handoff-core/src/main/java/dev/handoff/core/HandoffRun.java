package dev.handoff.core;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.TransferResult;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.internal.EventBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The state of one handoff: its phase (checked against {@link HandoffPhase#next()}), the context it packaged, the
 * attempts so far, the outcome once decided, and the timers and stage it may have to cancel.
 *
 * <p>Everything that publishes an event of this handoff does so while holding this object's lock, so the event
 * order is the order of the state changes (phase n+1 never reaches a listener before phase n); delivery happens
 * after the lock is released ({@link EventBus#append} / {@link EventBus#flush}). Once the outcome is decided
 * ({@link #finish}) the stage chain stops at its next step and no bridge line is published any more.
 */
final class HandoffRun {

    private final String id;
    private final HandoffSession session;
    private final HandoffDecision decision;
    private final Instant requestedAt;
    private final Instant waitUntil;
    private final EventBus events;
    private final Clock clock;
    private final HandoffOwnership ownership;
    /** Another instance owns this handoff now: its outcome here is not reported to {@link HandoffOwnership#finished}. */
    private boolean ownedElsewhere;
    private final CompletableFuture<HandoffOutcome> outcome = new CompletableFuture<>();
    /** Completed with the agent's id when they confirm reading. */
    final CompletableFuture<String> readBy = new CompletableFuture<>();

    private HandoffPhase phase = HandoffPhase.REQUESTED;
    private boolean decided;
    private String reader;
    private Runnable onDecided = () -> { };
    private long sequence;
    private boolean admitted;
    private HandoffContext context;
    private String ticket;
    private final List<TransferResult> attempts = new ArrayList<>();
    private final RunRecords records = new RunRecords();
    /** The session's {@link LedgerWrites#mark} when packaging read its ledger and found it empty, else -1. */
    private long emptyLedgerMark = -1;
    private CompletableFuture<?> current;
    private Thread starter;
    private Scheduler.Cancellable timer;
    private Scheduler.Cancellable waitTimer;

    HandoffRun(String id, HandoffSession session, HandoffDecision decision, Instant requestedAt, Duration maxWait,
               EventBus events, Clock clock) {
        this(id, session, decision, requestedAt, requestedAt.plus(maxWait), null, events, clock, HandoffOwnership.local());
    }

    /**
     * @param adoptedIn null for a handoff that starts here (HandoffRequested, then REQUESTED); otherwise the phase a
     *                  handoff taken over from a lost instance had reached (one PhaseChanged to it, sequence 0)
     * @param ownership told of every phase change (returns at once)
     */
    HandoffRun(String id, HandoffSession session, HandoffDecision decision, Instant requestedAt, Instant waitUntil,
               HandoffPhase adoptedIn, EventBus events, Clock clock, HandoffOwnership ownership) {
        this.id = id;
        this.session = session;
        this.decision = decision;
        this.requestedAt = requestedAt;
        this.waitUntil = waitUntil;
        this.events = events;
        this.clock = clock;
        this.ownership = ownership;
        synchronized (this) {
            if (adoptedIn == null) {
                events.append(new HandoffEvent.HandoffRequested(session.id(), requestedAt, decision));
            } else {
                phase = adoptedIn;
            }
            events.append(new HandoffEvent.PhaseChanged(session.id(), adoptedIn == null ? requestedAt : clock.instant(), id, phase,
                    sequence));
        }
        events.flush(session.id());
    }

    String id() {
        return id;
    }

    HandoffSession session() {
        return session;
    }

    HandoffDecision decision() {
        return decision;
    }

    Instant requestedAt() {
        return requestedAt;
    }

    /** Another instance took this handoff over: the outcome decided here from now on is local only. */
    synchronized void ownedElsewhere() {
        ownedElsewhere = true;
    }

    /** When the customer's wait limit ends. */
    Instant waitUntil() {
        return waitUntil;
    }

    /** What is left of the customer's wait limit; zero once it has passed. */
    Duration remainingWait() {
        Duration left = Duration.between(clock.instant(), waitUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    synchronized HandoffPhase phase() {
        return phase;
    }

    synchronized HandoffContext context() {
        return context;
    }

    synchronized String contextId() {
        return context == null ? null : context.contextId();
    }

    /** Packaging read the session's ledger: {@code mark} if it found no commitment, else -1. */
    synchronized void ledgerRead(long mark, boolean empty) {
        emptyLedgerMark = empty ? mark : -1;
    }

    /**
     * True when packaging found the session's ledger empty and no write to it has begun since: nothing can be pending
     * verification, without reading it again.
     */
    synchronized boolean ledgerStillEmpty() {
        return session.ledgerWrites.unchangedSince(emptyLedgerMark);
    }

    synchronized String ticket() {
        return ticket;
    }

    synchronized List<TransferResult> attempts() {
        return List.copyOf(attempts);
    }

    synchronized void attempted(TransferResult r) {
        attempts.add(r);
    }

    synchronized boolean admitted() {
        return admitted;
    }

    synchronized void admit() {
        admitted = true;
    }

    /** What the run keeps aside: its unwritten request record, whether a deadline may be running. */
    RunRecords records() {
        return records;
    }

    /** Runs once the outcome is decided, after its events and before the outcome completes (frees the slot). */
    synchronized void onDecided(Runnable action) {
        this.onDecided = action;
    }

    /** True once the outcome is decided: CONNECTED or returned to the bot. */
    synchronized boolean finished() {
        return decided;
    }

    /** Completes after the events that decided it have reached every listener. */
    CompletableFuture<HandoffOutcome> outcome() {
        return outcome;
    }

    synchronized void packaged(HandoffContext signed, String ticketValue) {
        this.context = signed;
        this.ticket = ticketValue;
    }

    /** The stage to cancel if the handoff ends while it runs; cancelled at once when it has already ended. */
    void current(CompletableFuture<?> stage) {
        synchronized (this) {
            if (!decided) {
                this.current = stage;
                return;
            }
        }
        stage.cancel(true);
    }

    /**
     * A transfer attempt is about to start on this thread: until {@link #started} the outcome cannot complete, so once
     * the bot sees the outcome no offer of this handoff is left anywhere.
     *
     * @return false when the outcome is already decided (do not start it)
     */
    synchronized boolean starting() {
        if (decided) {
            return false;
        }
        starter = Thread.currentThread();
        return true;
    }

    /** The attempt {@link #starting} announced has its stage; cancelled at once when the handoff ended meanwhile. */
    void started(CompletableFuture<?> stage) {
        synchronized (this) {
            if (!decided) {
                current = stage;
                starter = null;
                notifyAll();
                return;
            }
        }
        try {
            stage.cancel(true);   // outside the lock (the executor reacts to it), but before finish() may go on
        } finally {
            synchronized (this) {
                starter = null;
                notifyAll();
            }
        }
    }

    /** The "still waiting" timer; cancelled when the outcome is decided. */
    synchronized void timer(Scheduler.Cancellable t) {
        if (decided) {
            t.cancel();
        } else {
            this.timer = t;
        }
    }

    /** The wait-limit timer while waiting in line. */
    synchronized void waitTimer(Scheduler.Cancellable t) {
        if (decided) {
            t.cancel();
        } else {
            this.waitTimer = t;
        }
    }

    /**
     * Publishes an event of this handoff in order.
     *
     * @param whileRunning when true, nothing is published once the outcome is decided (bridge lines)
     * @return whether it was published
     */
    boolean emit(HandoffEvent event, boolean whileRunning) {
        synchronized (this) {
            if (whileRunning && decided) {
                return false;
            }
            events.append(event);
        }
        events.flush(session.id());
        return true;
    }

    /**
     * Moves to {@code to} and publishes {@link HandoffEvent.PhaseChanged}. Repeating the current phase is ignored, as
     * is any move once the phase is final (a late step of a handoff that already ended).
     *
     * @return true when the phase changed
     * @throws IllegalStateException for a move the state machine does not allow (a bug)
     */
    boolean moveTo(HandoffPhase to) {
        synchronized (this) {
            if (!moved(to)) {
                return false;
            }
        }
        events.flush(session.id());
        return true;
    }

    /** Under the lock: the move and its event. */
    private boolean moved(HandoffPhase to) {
        if (phase == to || phase.isFinal()) {
            return false;
        }
        if (!phase.next().contains(to)) {
            throw new IllegalStateException("handoff " + id + " cannot move from " + phase + " to " + to);
        }
        phase = to;
        sequence++;
        events.append(new HandoffEvent.PhaseChanged(session.id(), clock.instant(), id, to, sequence));
        ownership.moved(id, to, context == null ? null : context.contextId());
        return true;
    }

    /**
     * Decides the outcome once: moves to {@code phase}, sets the session's owner, publishes {@code last} and cancels
     * the timers and the running stage, all in one step; the outcome completes after those events are delivered and
     * after any attempt being started has been withdrawn. A second call does nothing.
     *
     * @return false when the outcome was already decided
     */
    boolean finish(HandoffPhase to, HandoffSession.Owner owner, HandoffEvent last, HandoffOutcome result) {
        return finish(to, owner, last, null, result);
    }

    /** {@link #finish(HandoffPhase, HandoffSession.Owner, HandoffEvent, HandoffOutcome)}, then at once {@code then}. */
    boolean finish(HandoffPhase to, HandoffSession.Owner owner, HandoffEvent last, HandoffPhase then, HandoffOutcome result) {
        return finish(to, owner, last, then, result, () -> { });
    }

    /**
     * @param beforeOutcome runs once when this call decided the outcome, after the running attempt is cancelled and
     *                      before anyone sees the outcome (the audit record of the decision), outside the run's lock
     */
    boolean finish(HandoffPhase to, HandoffSession.Owner owner, HandoffEvent last, HandoffPhase then, HandoffOutcome result,
                   Runnable beforeOutcome) {
        CompletableFuture<?> running;
        synchronized (this) {
            if (decided) {
                return false;
            }
            decided = true;
            moved(to);
            session.ownerChanged(owner);
            events.append(last);
            if (then != null) {
                moved(then);
            }
            cancelTimers();
            boolean interrupted = false;
            while (starter != null && starter != Thread.currentThread()) {
                try {
                    wait();   // an attempt is being started: started() cancels it before the outcome is appended
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            running = current;
            current = null;
        }
        if (running != null && !running.isDone()) {
            running.cancel(true);   // withdraws the offer, stops the ringing: before anyone sees the outcome
        }
        beforeOutcome.run();
        synchronized (this) {
            if (!ownedElsewhere) {
                ownership.finished(id, result);   // recorded before anyone sees the outcome
            }
            events.appendAction(session.id(), onDecided);
            events.appendAction(session.id(), () -> outcome.complete(result));
        }
        events.flush(session.id());
        return true;
    }

    /**
     * The agent read the context: publishes {@code read} (before anything the read lets happen, such as the transfer
     * that waited for it), then completes {@link #readBy}.
     *
     * @return true for the first confirmation, false for a repeat
     */
    boolean read(String agentId, HandoffEvent read) {
        synchronized (this) {
            if (reader != null) {
                return false;
            }
            reader = agentId;
            events.append(read);
        }
        events.flush(session.id());
        readBy.complete(agentId);
        return true;
    }

    /** A step after the outcome (VERIFIED, a hand-back): the move and its event together. */
    boolean after(HandoffPhase to, HandoffEvent event) {
        synchronized (this) {
            if (!moved(to)) {
                return false;
            }
            if (event != null) {
                events.append(event);
            }
        }
        events.flush(session.id());
        return true;
    }

    private void cancelTimers() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (waitTimer != null) {
            waitTimer.cancel();
            waitTimer = null;
        }
    }
}
