package dev.handoff.core.chat;

import dev.handoff.api.TransferRequest;
import dev.handoff.api.spi.TransferListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * One named queue of chat conversations waiting for a human. Urgent and high-priority offers go to the front.
 */
public final class AgentQueue {

    private final String name;
    private final Clock clock;
    private final LinkedBlockingDeque<Offer> waiting = new LinkedBlockingDeque<>();
    private final Set<String> signedIn = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    AgentQueue(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** Marks an agent as available for this queue (counted by the preflight check). */
    public void signIn(String agentId) {
        signedIn.add(agentId);
    }

    public void signOut(String agentId) {
        signedIn.remove(agentId);
    }

    public int signedInAgents() {
        return signedIn.size();
    }

    /** Closes the queue: preflight reports it unable to accept (after hours, maintenance). */
    public void close() {
        closed = true;
    }

    public void open() {
        closed = false;
    }

    public boolean isClosed() {
        return closed;
    }

    /** How many offers wait for an agent. */
    public int size() {
        return (int) waiting.stream().filter(Offer::isOpen).count();
    }

    /**
     * Waits up to {@code maxWait} for the next open offer and reserves it for {@code agentId}; the agent then
     * accepts or declines it. Offers that expired while waiting are skipped.
     *
     * @return the offer, or empty when none arrived in time
     */
    public Optional<Offer> take(String agentId, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Offer offer = left <= 0 ? waiting.poll() : waiting.poll(left, TimeUnit.NANOSECONDS);
            if (offer == null) {
                return Optional.empty();
            }
            if (offer.reserve(agentId)) {
                return Optional.of(offer);
            }
        }
    }

    Offer enqueue(TransferRequest request, TransferListener listener) {
        Offer offer = new Offer(this, request, listener, clock);
        switch (request.priority()) {
            case URGENT, HIGH -> waiting.offerFirst(offer);
            default -> waiting.offerLast(offer);
        }
        return offer;
    }

    void requeue(Offer offer) {
        waiting.offerFirst(offer);
    }

    void remove(Offer offer) {
        waiting.remove(offer);
    }
}
