package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.CommitmentLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first-minute rule: once a human has the conversation, every commitment the AI made must be confirmed,
 * corrected or revoked before the deadline ({@link HandoffSettings#commitmentDeadline()} after the agent connected);
 * when it passes with commitments still pending, one {@link HandoffEvent.CommitmentOverdue} lists them.
 *
 * <p>The orchestrator starts the deadline when a handoff connects; verdicts arrive through the handoff's
 * {@link dev.handoff.api.spi.AgentActions}, which call {@link #verify}; the session's end cancels it. Where the due
 * times are kept and who notices that one passed is the {@link VerificationDeadlines} in use (timers in this
 * process by default; a table every instance polls with handoff-postgres); this class is its {@link
 * VerificationDeadlines.Host}. Thread-safe.
 */
final class CommitmentDeadlines implements VerificationDeadlines.Host {

    private static final Logger LOG = LoggerFactory.getLogger(CommitmentDeadlines.class);

    private final CommitmentLedger ledger;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Duration deadline;
    private final Consumer<HandoffEvent> publish;
    private final VerificationDeadlines store;

    /** With the in-memory deadlines ({@link VerificationDeadlines#inMemory()}). */
    CommitmentDeadlines(CommitmentLedger ledger, Clock clock, Scheduler scheduler, Duration deadline, Consumer<HandoffEvent> publish) {
        this(ledger, clock, scheduler, deadline, publish, VerificationDeadlines.inMemory());
    }

    /** @param store keeps the due times; attached here */
    CommitmentDeadlines(CommitmentLedger ledger, Clock clock, Scheduler scheduler, Duration deadline, Consumer<HandoffEvent> publish,
                        VerificationDeadlines store) {
        this.ledger = ledger;
        this.clock = clock;
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.publish = publish;
        this.store = store;
        store.attach(this);
    }

    /**
     * Starts the deadline for a session whose agent connected at {@code connectedAt}. Without pending commitments
     * nothing is scheduled. A second call restarts it (a new agent took over). A store that refuses the deadline
     * is logged, not thrown: the handoff is connected either way.
     */
    void agentConnected(SessionId session, Instant connectedAt) {
        agentConnected(session, connectedAt, anyPending(session));
    }

    /**
     * As {@link #agentConnected(SessionId, Instant)}, with the ledger already read by the caller ({@code pending}: a
     * commitment awaited a verdict then), so a connection reads the ledger once. A verdict that lands between that
     * read and this call leaves at worst a deadline that finds nothing pending when it comes due and publishes nothing.
     */
    void agentConnected(SessionId session, Instant connectedAt, boolean pending) {
        if (!pending) {
            return;
        }
        Instant due = connectedAt.plus(deadline);
        try {
            store.schedule(session, due);
        } catch (RuntimeException e) {
            LOG.warn("Session {}: the commitment verification deadline {} could not be scheduled ({}); no overdue event will be "
                    + "published for it", session, due, e.toString());
        }
    }

    /** When the session's commitments are due, while a deadline is running. */
    Optional<Instant> deadline(SessionId session) {
        return store.deadline(session);
    }

    /**
     * A human's verdict on one commitment: written to the ledger, then published as
     * {@link HandoffEvent.CommitmentUpdated}; the deadline stops once nothing is pending.
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

    /**
     * The session ended, or nothing is pending any more: its deadline goes. A store that cannot be reached is logged:
     * a deadline left behind finds nothing pending when it comes due, and publishes nothing.
     */
    void cancel(SessionId session) {
        try {
            store.cancel(session);
        } catch (RuntimeException e) {
            LOG.warn("Session {}: the commitment verification deadline could not be cancelled ({}); when it comes due it finds "
                    + "nothing pending and publishes nothing", session, e.toString());
        }
    }

    /** Sessions with a deadline held in this process (for the leak check and tests). */
    int running() {
        return store.running();
    }

    /** The Handoff closes. */
    void close() {
        try {
            store.close();
        } catch (RuntimeException e) {
            LOG.warn("Verification deadlines {} failed to close", store.getClass().getName(), e);
        }
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public boolean overdue(SessionId session, Instant due) {
        List<Commitment> pending = pending(session);
        if (pending.isEmpty()) {
            return false;
        }
        LOG.warn("Session {}: {} commitment(s) not verified by {}", session, pending.size(), due);
        publish.accept(new HandoffEvent.CommitmentOverdue(session, clock.instant(), pending, due));
        return true;
    }

    private List<Commitment> pending(SessionId session) {
        return ledger.commitments(session).stream().filter(c -> c.status() == Commitment.Status.PENDING_VERIFICATION).toList();
    }
}
