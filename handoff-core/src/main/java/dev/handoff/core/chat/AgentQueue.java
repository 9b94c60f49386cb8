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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One named queue of chat conversations waiting for a human. Urgent and high-priority offers go to the front.
 * Agents wait for work without holding a thread ({@link #next}) or on their own thread ({@link #take}); each open
 * offer goes to exactly one waiting agent, first come first served.
 */
public final class AgentQueue {

    private final String name;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ArrayDeque<Offer> waiting = new ArrayDeque<>();
    private final ArrayDeque<Taker> takers = new ArrayDeque<>();
    private final Set<String> signedIn = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private record Taker(String agentId, CompletableFuture<Offer> next) {
    }

    AgentQueue(String name, Clock clock, Scheduler scheduler) {
        this.name = name;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    public String name() {
        return name;
    }

    /** Marks an agent as available for this queue (counted by the preflight check). */
    public void signIn(String agentId) {
        signedIn.add(Objects.requireNonNull(agentId, "agentId"));
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
    public synchronized int size() {
        return (int) waiting.stream().filter(Offer::isOpen).count();
    }

    /**
     * The next open offer, reserved for {@code agentId}, as a stage that completes when one arrives; the agent then
     * accepts or declines it. Completes with empty when none arrives within {@code maxWait}. Cancelling the stage
     * stops waiting. No thread waits meanwhile.
     */
    public CompletableFuture<Optional<Offer>> next(String agentId, Duration maxWait) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(maxWait, "maxWait");
        CompletableFuture<Offer> next = new CompletableFuture<>();
        while (true) {
            Offer o;
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
        CompletableFuture<Optional<Offer>> out = next.handle((o, e) -> Optional.ofNullable(o));
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

    /**
     * Waits on the calling thread up to {@code maxWait} for the next open offer and reserves it for {@code agentId}.
     *
     * @return the offer, or empty when none arrived in time
     */
    public Optional<Offer> take(String agentId, Duration maxWait) throws InterruptedException {
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

    Offer enqueue(TransferRequest request, TransferListener listener) {
        Offer offer = new Offer(this, request, listener, clock);
        switch (request.priority()) {
            case URGENT, HIGH -> offer(offer, true);
            default -> offer(offer, false);
        }
        return offer;
    }

    void requeue(Offer offer) {
        offer(offer, true);
    }

    /** Gives the offer to the first agent waiting, or puts it in line. */
    private void offer(Offer offer, boolean front) {
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

    synchronized void remove(Offer offer) {
        waiting.remove(offer);
    }

    private synchronized void removeTaker(CompletableFuture<Offer> next) {
        for (Iterator<Taker> it = takers.iterator(); it.hasNext(); ) {
            if (it.next().next() == next) {
                it.remove();
                return;
            }
        }
    }
}
