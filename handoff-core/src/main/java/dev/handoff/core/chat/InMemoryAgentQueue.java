package dev.handoff.core.chat;

import dev.handoff.api.TransferRequest;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link AgentQueue} in memory: urgent and high-priority offers go to the front; first come, first served. */
final class InMemoryAgentQueue implements AgentQueue {

    private final String name;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ArrayDeque<InMemoryOffer> waiting = new ArrayDeque<>();
    private final ArrayDeque<Taker> takers = new ArrayDeque<>();
    private final Set<String> signedIn = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private record Taker(String agentId, CompletableFuture<InMemoryOffer> next) {
    }

    InMemoryAgentQueue(String name, Clock clock, Scheduler scheduler) {
        this.name = name;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @Override
    public String name() {
        return name;
    }

    /** Marks an agent as available for this queue (counted by the preflight check). */
    @Override
    public void signIn(String agentId) {
        signedIn.add(Objects.requireNonNull(agentId, "agentId"));
    }

    @Override
    public void signOut(String agentId) {
        signedIn.remove(agentId);
    }

    @Override
    public int signedInAgents() {
        return signedIn.size();
    }

    /** Closes the queue: preflight reports it unable to accept (after hours, maintenance). */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public void open() {
        closed = false;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** How many offers wait for an agent. */
    @Override
    public synchronized int size() {
        return (int) waiting.stream().filter(InMemoryOffer::isOpen).count();
    }

    /**
     * The next open offer, reserved for {@code agentId}, as a stage that completes when one arrives; the agent then
     * accepts or declines it. Completes with empty when none arrives within {@code maxWait}. Cancelling the stage
     * stops waiting. No thread waits meanwhile.
     */
    @Override
    public CompletableFuture<Optional<Offer>> next(String agentId, Duration maxWait) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(maxWait, "maxWait");
        CompletableFuture<InMemoryOffer> next = new CompletableFuture<>();
        while (true) {
            InMemoryOffer o;
            synchronized (this) {
                o = waiting.pollFirst();
                if (o == null) {
                    takers.addLast(new Taker(agentId, next));
                    break;
                }
            }
            if (o.reserve(agentId)) {   // outside the lock: reserving reports progress to listeners
                return CompletableFuture.completedFuture(Optional.of(o));
            }
        }
        Scheduler.Cancellable timer = scheduler.schedule(maxWait, () -> next.complete(null));
        CompletableFuture<Optional<Offer>> out = next.handle((o, e) -> Optional.<Offer>ofNullable(o));
        next.whenComplete((o, e) -> {
            timer.cancel();
            if (o == null) {
                removeTaker(next);
            }
        });
        out.whenComplete((o, e) -> {
            if (out.isCancelled()) {
                next.cancel(false);
            }
        });
        return out;
    }

    InMemoryOffer enqueue(TransferRequest request, TransferListener listener) {
        InMemoryOffer offer = new InMemoryOffer(this, request, listener, clock);
        switch (request.priority()) {
            case URGENT, HIGH -> offer(offer, true);
            default -> offer(offer, false);
        }
        return offer;
    }

    void requeue(InMemoryOffer offer) {
        offer(offer, true);
    }

    /** Gives the offer to the first agent waiting, or puts it in line. */
    private void offer(InMemoryOffer offer, boolean front) {
        while (true) {
            Taker taker;
            synchronized (this) {
                taker = takers.pollFirst();
                if (taker == null) {
                    if (front) {
                        waiting.addFirst(offer);
                    } else {
                        waiting.addLast(offer);
                    }
                    return;
                }
            }
            if (taker.next().isDone()) {
                continue;   // timed out or cancelled meanwhile
            }
            if (!offer.reserve(taker.agentId())) {
                return;     // withdrawn meanwhile
            }
            if (taker.next().complete(offer)) {
                return;
            }
            offer.unreserve();   // the agent stopped waiting at this very moment: next agent
        }
    }

    synchronized void remove(InMemoryOffer offer) {
        waiting.remove(offer);
    }

    private synchronized void removeTaker(CompletableFuture<InMemoryOffer> next) {
        for (Iterator<Taker> it = takers.iterator(); it.hasNext(); ) {
            if (it.next().next() == next) {
                it.remove();
                return;
            }
        }
    }
}
