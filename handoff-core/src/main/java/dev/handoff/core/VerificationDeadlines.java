package dev.handoff.core;

import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the first-minute verification deadlines are kept and who fires them: once an agent connects, the AI's
 * pending commitments must be verified within {@link HandoffSettings#commitmentDeadline()}; when that passes with
 * commitments still pending, one {@link HandoffEvent.CommitmentOverdue} is published. The rule itself (what is
 * pending, when a deadline starts and stops, what the event says) stays in the runtime; an implementation only keeps
 * the due times and says when one has passed ({@link Host#overdue}).
 *
 * <p>The default, {@link #inMemory()}, keeps a timer per session on the Handoff's scheduler: a deadline lives and
 * dies with its process. handoff-postgres's {@code PostgresCommitmentDeadlines} (set by
 * {@code PostgresHandoffStores.applyTo}) keeps them in a table that every instance polls, so each deadline fires
 * once across instances, also when the instance where the agent connected died.
 *
 * <p>Threading: {@link #schedule} and {@link #cancel} are called on the runtime's worker threads, and {@link #cancel}
 * also on the thread of an agent's verification or of a session's end; they may block briefly on a store, as the
 * {@link dev.handoff.api.spi.CommitmentLedger} calls next to them do, and may throw a
 * {@link dev.handoff.api.HandoffException} (the runtime logs it: a deadline not scheduled is a warning, not a failed
 * handoff). {@link #attach} is called once when the {@link Handoff} is built, {@link #close} once when it closes.
 * Implementations are thread-safe.
 */
public interface VerificationDeadlines {

    /** What the runtime offers an implementation. */
    interface Host {

        /**
         * The Handoff's one scheduler (tasks on it must be short and never block).
         *
         * @return the scheduler
         */
        Scheduler scheduler();

        /**
         * The Handoff's clock; deadlines are instants on it.
         *
         * @return the clock
         */
        Clock clock();

        /**
         * The session's deadline {@code due} has passed: reads the ledger and, when commitments are still pending,
         * publishes one {@link HandoffEvent.CommitmentOverdue} listing them to this instance's listeners. Reads the
         * ledger, so call it where blocking is allowed.
         *
         * @param session the conversation
         * @param due     the deadline that passed
         * @return whether the event was published (false: everything was verified in time)
         */
        boolean overdue(SessionId session, Instant due);
    }

    /**
     * Called once when the Handoff is built, before any other method: start timers or polls on the host.
     *
     * @param host what the runtime offers
     */
    void attach(Host host);

    /**
     * Starts (or restarts, when a new agent took over) the session's deadline. Called by the runtime when an agent
     * connects.
     *
     * @param session the conversation
     * @param due     when the commitments must be verified
     */
    void schedule(SessionId session, Instant due);

    /**
     * Stops the session's deadline: everything was verified, or the session ended.
     *
     * @param session the conversation
     * @return whether a running deadline was stopped
     */
    boolean cancel(SessionId session);

    /**
     * When the session's commitments are due, while its deadline has neither fired nor been cancelled.
     *
     * @param session the conversation
     * @return the deadline, or empty when none is running
     */
    Optional<Instant> deadline(SessionId session);

    /**
     * Deadlines this instance holds in memory (the runtime's leak check).
     *
     * @return the count; the default 0 is for implementations that keep them in a shared store
     */
    default int running() {
        return 0;
    }

    /** Called once when the Handoff closes: stop timers or polls. */
    default void close() {
    }

    /**
     * A timer per session on the Handoff's scheduler, lost with the process: the default.
     *
     * @return a new instance; use one per Handoff
     */
    static VerificationDeadlines inMemory() {
        return new InMemoryVerificationDeadlines();
    }
}
