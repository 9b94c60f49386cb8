package dev.handoff.examples.desktop;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.TransferResult;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.Handoff;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted colleague on one queue, so the wallboard has connected handoffs even when nobody clicks: takes each offer
 * ({@link AgentQueue#next}, no thread waits) and, once the handoff reports the chat connected, greets the customer
 * through {@link AgentActions#send}, confirms the AI's commitments and hands the chat back with a note. Everything goes
 * through core's agent-side handle, as the desktop's buttons do.
 */
final class RobotAgent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RobotAgent.class);

    private final Handoff handoff;
    private final AgentQueue queue;
    private final String agentId;
    private final ScheduledExecutorService timer;
    private final Duration pace;
    private volatile boolean open = true;
    /** Chats this agent accepted whose connection the handoff has not reported yet: session to context id. */
    private final java.util.Map<SessionId, String> accepted = new java.util.concurrent.ConcurrentHashMap<>();
    private final HandoffListener connected = this::connected;

    RobotAgent(Handoff handoff, String queueName, String agentId, ScheduledExecutorService timer, Duration pace) {
        this.handoff = handoff;
        this.queue = handoff.chatQueues().orElseThrow().queue(queueName);
        this.agentId = agentId;
        this.timer = timer;
        this.pace = pace;
        handoff.addListener(connected);
        queue.signIn(agentId);
        waitForWork();
    }

    private void waitForWork() {
        if (!open) {
            return;
        }
        queue.next(agentId, Duration.ofMinutes(1)).thenAccept(this::take);
    }

    private void take(Optional<Offer> offer) {
        if (offer.isEmpty()) {
            waitForWork();
            return;
        }
        Offer o = offer.get();
        accepted.put(o.sessionId(), o.contextId());   // before accept: the connection may be reported at once
        if (!o.accept()) {
            accepted.remove(o.sessionId());
            waitForWork();
        }
    }

    /** Writes only once the chat is the agent's: a message sent between accept and connection would be refused. */
    private void connected(HandoffEvent e) {
        if (!(e instanceof HandoffEvent.HandoffCompleted done)) {
            return;
        }
        String contextId = accepted.remove(done.sessionId());
        if (contextId == null) {
            return;
        }
        if (done.result().outcome() != TransferResult.Outcome.CONNECTED) {
            waitForWork();
            return;
        }
        later(() -> act(contextId, a -> a.send(agentId, "Hi, this is " + agentId + " from billing. I can see the double charge; I'm refunding it now.")), 1);
        later(() -> act(contextId, a -> a.commitments().stream().filter(c -> c.status() == Commitment.Status.PENDING_VERIFICATION)
                .forEach(c -> a.confirm(c.id(), agentId))), 2);
        later(() -> act(contextId, a -> a.handBack(agentId, "Refunded the duplicate charge; customer satisfied")), 4);
        later(this::waitForWork, 4);
    }

    private void act(String contextId, java.util.function.Consumer<AgentActions> action) {
        handoff.agentActions(contextId).ifPresent(a -> {
            try {
                action.accept(a);
            } catch (NonRetriableHandoffException e) {
                LOG.debug("Robot agent {}: {}", agentId, e.getMessage());
            }
        });
    }

    private void later(Runnable r, int paces) {
        try {
            timer.schedule(r, pace.toMillis() * paces, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Robot agent stopped");
        }
    }

    @Override
    public void close() {
        open = false;
        handoff.removeListener(connected);
        queue.signOut(agentId);
    }
}
