package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.CommitmentLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-minute rule: once a human has the conversation, every commitment the AI made must be confirmed,
 * corrected or revoked by that human before the deadline ({@link #DEFAULT_DEADLINE} after the agent connected).
 *
 * <p>Listens for {@link HandoffEvent.HandoffCompleted} and starts the session's timer on the
 * {@link DeadlineScheduler}; when it fires and commitments are still pending it publishes one
 * {@link HandoffEvent.CommitmentOverdue} listing them. Humans verify through {@link #verify}, which writes the
 * verdict to the ledger (and so to its audit trail) and publishes {@link HandoffEvent.CommitmentUpdated}; when
 * nothing is pending any more the timer is cancelled. Times come from the injected clock.
 *
 * <p>Thread-safe: events arrive on Handoff's worker threads, verifications on the desktop's threads, the timer on
 * the scheduler's thread.
 */
public final class CommitmentVerification implements HandoffListener {

    private static final Logger LOG = LoggerFactory.getLogger(CommitmentVerification.class);

    /** How long after the agent connects the commitments must be verified. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private final CommitmentLedger ledger;
    private final Clock clock;
    private final DeadlineScheduler scheduler;
    private final Duration deadline;
    private final Consumer<HandoffEvent> publish;
    private final Map<SessionId, Timer> timers = new ConcurrentHashMap<>();

    private record Timer(Instant due, DeadlineScheduler.Scheduled task) {
    }

    /**
     * @param deadline how long after the agent connects; positive
     * @param publish  where events go (Handoff's event bus)
     * @throws IllegalArgumentException when the deadline is not positive
     */
    public CommitmentVerification(CommitmentLedger ledger, Clock clock, DeadlineScheduler scheduler, Duration deadline,
                                  Consumer<HandoffEvent> publish) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.publish = Objects.requireNonNull(publish, "publish");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("commitment verification deadline must be positive, was " + deadline);
        }
    }

    @Override
    public void onEvent(HandoffEvent event) {
        if (event instanceof HandoffEvent.HandoffCompleted done) {
            agentConnected(done.sessionId(), done.at());
        } else if (event instanceof HandoffEvent.SessionEnded ended) {
            Timer t = timers.remove(ended.sessionId());
            if (t != null) {
                t.task().cancel();
            }
        }
    }

    /**
     * Starts the deadline for a session whose agent connected at {@code connectedAt}. Without pending commitments
     * nothing is scheduled. A second call for the same session restarts the deadline (a new agent took over).
     */
    public void agentConnected(SessionId session, Instant connectedAt) {
        Objects.requireNonNull(session, "session");
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
    public Optional<Instant> deadline(SessionId session) {
        Timer t = timers.get(session);
        return t == null ? Optional.empty() : Optional.of(t.due());
    }

    /**
     * A human's verdict on one commitment: written to the ledger, then published as
     * {@link HandoffEvent.CommitmentUpdated}.
     *
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist or was revoked
     */
    public Commitment verify(SessionId session, String commitmentId, CommitmentLedger.Verification verification) {
        Commitment updated = ledger.verify(session, commitmentId, verification);
        publish.accept(new HandoffEvent.CommitmentUpdated(session, clock.instant(), updated));
        if (pending(session).isEmpty()) {
            Timer t = timers.remove(session);
            if (t != null) {
                t.task().cancel();
            }
        }
        return updated;
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
