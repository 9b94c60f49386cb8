package dev.handoff.core.chat;

import dev.handoff.api.PreflightResult;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.Scheduler;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@link ChatQueues} in this process's memory: the default when no other executor serves {@link TransferMode#QUEUE}.
 *
 * <p>A transfer puts an {@link Offer} into the queue named by the target's address. Agents take work with
 * {@link AgentQueue#next} (a stage; no thread waits) or {@link AgentQueue#take} (blocking, for an agent's own
 * thread); the first agent to {@link Offer#accept()} gets the conversation and the transfer completes
 * {@code CONNECTED}. If nobody accepts within the request's timeout, or the orchestrator cancels the attempt, the
 * offer is withdrawn and the transfer completes {@code TIMED_OUT}, so the orchestrator can fall back to the next
 * queue.
 *
 * <p>Thread-safe. Its timers run on the given {@link Scheduler} (Handoff's own when Handoff creates the queues).
 */
final class InMemoryChatQueues implements ChatQueues {

    private final Clock clock;
    private final Scheduler scheduler;
    private final ConcurrentMap<String, InMemoryAgentQueue> queues = new ConcurrentHashMap<>();

    InMemoryChatQueues(Clock clock, Scheduler scheduler) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public InMemoryAgentQueue queue(String name) {
        Objects.requireNonNull(name, "name");
        return queues.computeIfAbsent(name, n -> new InMemoryAgentQueue(n, clock, scheduler));
    }

    /** Ready when the target is a queue that is open; an agent is available when one is signed in to it. */
    @Override
    public CompletionStage<PreflightResult> preflight(TransferRequest request) {
        Target target = request.target();
        Optional<PreflightResult> notAQueue = ChatQueues.notAQueue(target);
        if (notAQueue.isPresent()) {
            return CompletableFuture.completedFuture(notAQueue.get());
        }
        InMemoryAgentQueue queue = queue(target.address());
        boolean open = !queue.isClosed();
        boolean staffed = queue.signedInAgents() > 0;
        return CompletableFuture.completedFuture(new PreflightResult(true, staffed, open,
                "queue " + queue.name() + (open ? " open" : " closed") + ", " + queue.signedInAgents() + " agents signed in"));
    }

    /** Offers the conversation; cancelling the returned stage withdraws the offer. */
    @Override
    public CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
        InMemoryAgentQueue queue = queue(request.target().address());
        listener.progress(0, "offered to queue " + queue.name());
        InMemoryOffer offer = queue.enqueue(request, listener);
        Scheduler.Cancellable expiry = scheduler.schedule(request.timeout(),
                () -> offer.expire("no agent accepted within " + request.timeout().toMillis() + " ms"));
        CompletableFuture<TransferResult> result = offer.result();
        result.whenComplete((r, e) -> {
            expiry.cancel();
            if (e != null) {
                offer.expire("the handoff withdrew the offer");
            }
        });
        return result;
    }
}
