package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.CommitmentLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-minute rule: once a human has the conversation, every commitment the AI made must be confirmed,
 * corrected or revoked before the deadline ({@link HandoffSettings#commitmentDeadline()} after the agent connected);
 * when it passes with commitments still pending, one {@link HandoffEvent.CommitmentOverdue} lists them.
 *
 * <p>The orchestrator starts the timer when a handoff connects; verdicts arrive through the handoff's
 * {@link dev.handoff.api.spi.AgentActions}, which call {@link #verify}; the session's end cancels it. Thread-safe.
 */
final class CommitmentDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(CommitmentDeadlines.class);

    private final CommitmentLedger ledger;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Duration deadline;
    private final Consumer<HandoffEvent> publish;
    private final Map<SessionId, Timer> timers = new ConcurrentHashMap<>();

    private record Timer(Instant due, Scheduler.Cancellable task) {
    }

    CommitmentDeadlines(CommitmentLedger ledger, Clock clock, Scheduler scheduler, Duration deadline, Consumer<HandoffEvent> publish) {
        this.ledger = ledger;
        this.clock = clock;
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.publish = publish;
    }

    /**
     * Starts the deadline for a session whose agent connected at {@code connectedAt}. Without pending commitments
     * nothing is scheduled. A second call restarts it (a new agent took over).
     */
    void agentConnected(SessionId session, Instant connectedAt) {
        if (pending(session).isEmpty()) {
            return;
        }
        Instant due = connectedAt.plus(deadline);
        Duration delay = Duration.between(clock.instant(), due);
        Timer previous = timers.put(session, new Timer(due, scheduler.schedule(delay, () -> fire(session, due))));
        if (previous != null) {
            previous.task().cancel();
        }
    }

    /** When the session's commitments are due, while a deadline is running. */
    Optional<Instant> deadline(SessionId session) {
        Timer t = timers.get(session);
        return t == null ? Optional.empty() : Optional.of(t.due());
    }

    /**
     * A human's verdict on one commitment: written to the ledger, then published as
     * {@link HandoffEvent.CommitmentUpdated}; the timer stops once nothing is pending.
     *
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist or was revoked
     */
    Commitment verify(SessionId session, String commitmentId, CommitmentLedger.Verification verification) {
        Commitment updated = ledger.verify(session, commitmentId, verification);
        publish.accept(new HandoffEvent.CommitmentUpdated(session, clock.instant(), updated));
        if (pending(session).isEmpty()) {
            cancel(session);
        }
        return updated;
    }

    /** True while a commitment of the session awaits a human's verdict. */
    boolean anyPending(SessionId session) {
        return !pending(session).isEmpty();
    }

    /** The session ended: its timer goes. */
    void cancel(SessionId session) {
        Timer t = timers.remove(session);
        if (t != null) {
            t.task().cancel();
        }
    }

    /** Sessions with a running deadline (for tests). */
    int running() {
        return timers.size();
    }

    private void fire(SessionId session, Instant due) {
        Timer t = timers.get(session);
        if (t == null || !t.due().equals(due)) {
            return;
        }
        timers.remove(session, t);
        List<Commitment> pending = pending(session);
        if (!pending.isEmpty()) {
            LOG.warn("Session {}: {} commitment(s) not verified by {}", session, pending.size(), due);
            publish.accept(new HandoffEvent.CommitmentOverdue(session, clock.instant(), pending, due));
        }
    }

    private List<Commitment> pending(SessionId session) {
        return ledger.commitments(session).stream().filter(c -> c.status() == Commitment.Status.PENDING_VERIFICATION).toList();
    }
}
