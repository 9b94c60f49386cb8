package dev.handoff.core.chat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One named queue of chat conversations waiting for a human. Agents wait for work without holding a thread
 * ({@link #next}) or on their own thread ({@link #take}); each offer goes to exactly one agent at a time, and to the
 * next one if that agent declines. Thread-safe.
 */
public interface AgentQueue {

    /**
     * The queue's name, the address of {@link dev.handoff.api.Target.Kind#QUEUE} targets that route here.
     *
     * @return the name
     */
    String name();

    /**
     * Marks an agent as available for this queue (counted by the preflight check).
     *
     * @param agentId the agent
     */
    void signIn(String agentId);

    /**
     * Marks an agent as no longer available for this queue.
     *
     * @param agentId the agent
     */
    void signOut(String agentId);

    /**
     * Agents signed in now; the preflight check refuses a queue with none.
     *
     * @return the count
     */
    int signedInAgents();

    /** Closes the queue: preflight reports it unable to accept (after hours, maintenance). */
    void close();

    /** Opens a closed queue again; a new queue is open. */
    void open();

    /**
     * Whether {@link #close()} was called without a later {@link #open()}.
     *
     * @return true when closed
     */
    boolean isClosed();

    /**
     * How many offers wait for an agent.
     *
     * @return the count now
     */
    int size();

    /**
     * The next open offer, reserved for {@code agentId}, as a stage that completes when one arrives; the agent then
     * accepts or declines it. Completes with empty when none arrives within {@code maxWait}. Cancelling the stage
     * stops waiting. No thread waits meanwhile.
     *
     * @param agentId the agent who will accept or decline the offer
     * @param maxWait how long to wait for one
     * @return a stage completing with the offer, or with empty when none arrived in time
     */
    CompletableFuture<Optional<Offer>> next(String agentId, Duration maxWait);

    /**
     * Waits on the calling thread up to {@code maxWait} for the next open offer and reserves it for {@code agentId}.
     *
     * @param agentId the agent who will accept or decline the offer
     * @param maxWait how long to wait
     * @return the offer, or empty when none arrived in time
     * @throws InterruptedException when the calling thread is interrupted while waiting (the wait is cancelled)
     */
    default Optional<Offer> take(String agentId, Duration maxWait) throws InterruptedException {
        CompletableFuture<Optional<Offer>> next = next(agentId, maxWait);
        try {
            return next.get(maxWait.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            next.cancel(false);
            throw e;
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            next.cancel(false);
            return Optional.empty();
        }
    }
}
