package dev.handoff.core;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.internal.EventBus;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The state machine of one handoff. Moves are checked against {@link HandoffPhase#next()}; repeating the move
 * into the current phase is ignored (so duplicated callbacks cannot emit duplicate events), an illegal move is a
 * bug and throws.
 */
final class HandoffRun {

    private final String id;
    private final SessionId sessionId;
    private final EventBus events;
    private final Clock clock;
    private HandoffPhase phase = HandoffPhase.REQUESTED;
    private long sequence;
    private volatile String contextId;
    final CompletableFuture<String> readBy = new CompletableFuture<>();

    HandoffRun(String id, SessionId sessionId, EventBus events, Clock clock) {
        this.id = id;
        this.sessionId = sessionId;
        this.events = events;
        this.clock = clock;
        events.publish(new HandoffEvent.PhaseChanged(sessionId, clock.instant(), id, phase, sequence));
    }

    SessionId sessionId() {
        return sessionId;
    }

    String id() {
        return id;
    }

    String contextId() {
        return contextId;
    }

    void contextId(String contextId) {
        this.contextId = contextId;
    }

    synchronized HandoffPhase phase() {
        return phase;
    }

    /**
     * @return true when the phase changed; false when already in {@code to}
     * @throws IllegalStateException for a move the state machine does not allow
     */
    boolean moveTo(HandoffPhase to) {
        HandoffEvent.PhaseChanged event;
        synchronized (this) {
            if (phase == to) {
                return false;
            }
            if (!phase.next().contains(to)) {
                throw new IllegalStateException("handoff " + id + " cannot move from " + phase + " to " + to);
            }
            phase = to;
            sequence++;
            event = new HandoffEvent.PhaseChanged(sessionId, clock.instant(), id, to, sequence);
        }
        events.publish(event);
        return true;
    }
}
