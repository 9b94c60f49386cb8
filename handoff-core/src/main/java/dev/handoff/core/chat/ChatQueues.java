package dev.handoff.core.chat;

import dev.handoff.api.PreflightResult;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.core.Scheduler;
import dev.handoff.core.context.Tickets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Human queues for chat handoffs, and the {@link TransferExecutor} that offers conversations to them
 * ({@link TransferMode#QUEUE}).
 *
 * <p>A transfer puts an {@link Offer} into the queue named by the target's address. Agents take work with
 * {@link AgentQueue#next} (a stage; no thread waits) or {@link AgentQueue#take} (blocking, for an agent's own
 * thread); the first agent to {@link Offer#accept()} gets the conversation and the transfer completes
 * {@code CONNECTED}. If nobody accepts within the request's timeout, or the orchestrator cancels the attempt, the
 * offer is withdrawn and the transfer completes {@code TIMED_OUT}, so the orchestrator can fall back to the next
 * queue. The preflight reports a queue that is closed or has nobody signed in.
 *
 * <p>{@link #inMemory} is the default, in this process; a shared implementation (PostgreSQL) lets an agent on one
 * instance take a conversation handed off on another. Implementations are thread-safe.
 */
public interface ChatQueues extends TransferExecutor {

    /**
     * The queue with this name, created empty (and open) on first use. Thread-safe.
     *
     * @param name the queue name, as in the target's address
     * @return the queue
     */
    AgentQueue queue(String name);

    /** Chat queues take a conversation into a queue and nothing else. */
    @Override
    default Set<TransferMode> modes() {
        return Set.of(TransferMode.QUEUE);
    }

    /**
     * Called once when the {@link dev.handoff.core.Handoff} is built, before any handoff runs, with the tickets it
     * issues. A shared implementation keeps an offer's ticket {@linkplain Tickets#unsigned without its MAC} and
     * {@linkplain Tickets#sign signs it again} on the instance that hands the offer to an agent, so its store never
     * holds a bearer credential. Default: nothing (the in-memory queues keep the ticket in this process).
     *
     * @param tickets the Handoff's ticket codec
     */
    default void attach(Tickets tickets) {
    }

    /**
     * For implementations: the preflight answer for a target that is not a queue (kind other than
     * {@link Target.Kind#QUEUE}), or empty when it is one.
     *
     * @param target the target asked about
     * @return a failed preflight naming the target's kind, or empty for a queue target
     */
    static Optional<PreflightResult> notAQueue(Target target) {
        if (target.kind() == Target.Kind.QUEUE) {
            return Optional.empty();
        }
        return Optional.of(new PreflightResult(true, false, false,
                "chat queues take targets of kind QUEUE, got " + target.kind() + " " + target.address()));
    }

    /**
     * Queues in this process's memory; timers on the given scheduler (Handoff's own when Handoff creates them).
     *
     * @param clock     offers expire on it
     * @param scheduler runs the offer timers
     * @return new, empty queues
     */
    static ChatQueues inMemory(Clock clock, Scheduler scheduler) {
        return new InMemoryChatQueues(clock, scheduler);
    }
}
