package dev.handoff.examples.desktop;

import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.AgentNotification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One handoff as the desktop holds it: the notification, the turns streamed since, and the verification deadline. */
final class DeskHandoff {

    private final long sequence;
    private final Instant receivedAt;
    private final List<Turn> liveTurns = new ArrayList<>();
    private volatile AgentNotification notification;
    private Instant verifyBy;

    DeskHandoff(long sequence, AgentNotification notification, Instant receivedAt) {
        this.sequence = sequence;
        this.notification = notification;
        this.receivedAt = receivedAt;
    }

    /** The same context notified again (re-sent, new target or ticket): keeps the live turns and the deadline. */
    DeskHandoff update(AgentNotification newer) {
        this.notification = newer;
        return this;
    }

    long sequence() {
        return sequence;
    }

    AgentNotification notification() {
        return notification;
    }

    String contextId() {
        return notification.context().contextId();
    }

    SessionId sessionId() {
        return notification.context().sessionId();
    }

    Instant receivedAt() {
        return receivedAt;
    }

    /** An {@link Target.Kind#AGENT} target is for that agent only; queues, SIP targets and callbacks are for every agent. */
    boolean visibleTo(String agentId) {
        Target target = notification.target();
        return target.kind() != Target.Kind.AGENT || target.address().equals(agentId);
    }

    /** The verification deadline, fixed the first time it is asked for (the first delivery to an agent). */
    synchronized Instant verifyBy(Instant now, Duration window) {
        if (verifyBy == null) {
            verifyBy = now.plus(window);
        }
        return verifyBy;
    }

    /** Adds a streamed turn, replacing one with the same index (an in-flight turn that was completed). */
    synchronized void addTurn(Turn turn) {
        for (int i = 0; i < liveTurns.size(); i++) {
            if (liveTurns.get(i).index() == turn.index()) {
                liveTurns.set(i, turn);
                return;
            }
        }
        liveTurns.add(turn);
    }

    synchronized List<Turn> liveTurns() {
        return List.copyOf(liveTurns);
    }
}
