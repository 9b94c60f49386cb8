package dev.handoff.core.chat;

import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferListener;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link Offer} in memory: a compare-and-set state machine, so exactly one of accept or expiry decides it. */
final class InMemoryOffer implements Offer {

    private enum State { OPEN, RESERVED, ACCEPTED, EXPIRED }

    private final InMemoryAgentQueue queue;
    private final TransferRequest request;
    private final TransferListener listener;
    private final Clock clock;
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final CompletableFuture<TransferResult> result = new CompletableFuture<>();
    private volatile String reservedBy;

    InMemoryOffer(InMemoryAgentQueue queue, TransferRequest request, TransferListener listener, Clock clock) {
        this.queue = queue;
        this.request = request;
        this.listener = listener;
        this.clock = clock;
    }

    @Override
    public TransferRequest request() {
        return request;
    }

    boolean isOpen() {
        return state.get() == State.OPEN;
    }

    boolean reserve(String agentId) {
        if (state.compareAndSet(State.OPEN, State.RESERVED)) {
            reservedBy = agentId;
            listener.progress(180, "offered to agent " + agentId);
            return true;
        }
        return false;
    }

    /**
     * The agent takes the conversation.
     *
     * @return false when the offer expired before the agent accepted (the customer went elsewhere)
     */
    @Override
    public boolean accept() {
        if (state.compareAndSet(State.RESERVED, State.ACCEPTED)) {
            result.complete(TransferResult.connected(request.target(), request.mode(), reservedBy, 200, clock.instant()));
            return true;
        }
        return false;
    }

    /** A reservation that reached no agent (it stopped waiting that instant): open again, no progress reported. */
    void unreserve() {
        if (state.compareAndSet(State.RESERVED, State.OPEN)) {
            reservedBy = null;
            queue.requeue(this);
        }
    }

    /** The agent passes; the offer goes back to the front of the queue for the next agent. */
    @Override
    public void decline() {
        if (state.compareAndSet(State.RESERVED, State.OPEN)) {
            listener.progress(0, "declined by agent " + reservedBy);
            reservedBy = null;
            queue.requeue(this);
        }
    }

    void expire(String why) {
        State s = state.get();
        while (s == State.OPEN || s == State.RESERVED) {
            if (state.compareAndSet(s, State.EXPIRED)) {
                queue.remove(this);
                result.complete(TransferResult.failed(TransferResult.Outcome.TIMED_OUT, request.target(), request.mode(), 408,
                        why, clock.instant()));
                return;
            }
            s = state.get();
        }
    }

    CompletableFuture<TransferResult> result() {
        return result;
    }
}
