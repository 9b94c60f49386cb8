package dev.handoff.examples.cluster;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.Handoff;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.examples.cluster.ClusterTimeline.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An agent working the shared queue on one instance through core's agent-side API, as the desktop does for a person:
 * signs in, waits for the next offer (which may have been made on any instance), redeems its ticket on this
 * instance (signature, expiry and the context from the shared store checked; audited), reads the whisper first,
 * then accepts. Each step is a line on the timeline.
 *
 * <p>Runs on the queue's completion thread once the offer arrives; {@link #close} signs the agent out.
 */
final class ScriptedAgent implements AutoCloseable {

    private final Handoff handoff;
    private final String instance;
    private final String agentId;
    private final AgentQueue queue;
    private final ClusterTimeline timeline;
    private final Duration wait;
    private final CompletableFuture<HandoffContext> redeemed = new CompletableFuture<>();
    private volatile CompletableFuture<Optional<Offer>> next;
    private volatile String contextId;

    ScriptedAgent(Handoff handoff, String instance, String agentId, String queueName, ClusterTimeline timeline, Duration wait) {
        this.handoff = Objects.requireNonNull(handoff, "handoff");
        this.instance = Objects.requireNonNull(instance, "instance");
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.queue = handoff.chatQueues().orElseThrow(() -> new IllegalStateException("instance " + instance + " has no chat queues"))
                .queue(queueName);
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        this.wait = Objects.requireNonNull(wait, "wait");
    }

    /** Signs in to the queue on this instance and waits for one offer. */
    void start() {
        queue.signIn(agentId);
        timeline.note(instance, Step.OTHER, agentId + " signs in to the shared queue (a queue_agents row)");
        next = queue.next(agentId, wait);
        next.whenComplete((offer, error) -> {
            if (error != null) {
                redeemed.completeExceptionally(error);
            } else if (offer.isEmpty()) {
                redeemed.completeExceptionally(new TimeoutException(agentId + " got no offer within " + wait.toSeconds() + " s"));
            } else {
                work(offer.get());
            }
        });
    }

    private void work(Offer offer) {
        try {
            timeline.note(instance, Step.OFFER_SEEN, agentId + " claims the offer for " + offer.sessionId() + " from PostgreSQL");
            HandoffContext context = handoff.redeem(offer.ticket(), agentId);
            contextId = context.contextId();
            timeline.note(instance, Step.OTHER, agentId + " reads the whisper first: \"" + context.whisper().goal() + "\", "
                    + context.transcript().size() + " turns");
            Instant pressed = timeline.now();   // the line is the moment the agent accepts, before instance a can know it
            boolean accepted = offer.accept();
            timeline.note(pressed, instance, accepted ? Step.ACCEPTED : Step.OTHER, agentId + (accepted
                    ? " accepts: the offers row is ACCEPTED, NOTIFY tells instance a" : " was too late: the offer had expired"));
            redeemed.complete(context);
        } catch (RuntimeException e) {
            timeline.note(instance, Step.OTHER, agentId + " could not take the offer: " + e.getMessage());
            offer.decline();
            redeemed.completeExceptionally(e);
        }
    }

    /**
     * Writes to the customer from this instance, through core's agent-side handle: the handoff runs on the other
     * instance, so {@code agentActions} answers with the agent relay's, and the message travels through PostgreSQL to
     * the instance that owns the chat, which applies it. Call after the handoff connected.
     *
     * @throws IllegalStateException before this agent took a handoff
     */
    void write(String text) {
        String id = contextId;
        if (id == null) {
            throw new IllegalStateException(agentId + " has no conversation to write in");
        }
        Instant pressed = timeline.now();
        var turn = handoff.agentActions(id).orElseThrow(() -> new IllegalStateException("no instance runs context " + id))
                .send(agentId, text);
        timeline.note(pressed, instance, Step.AGENT_WROTE, agentId + " writes to the customer: an agent_actions row for the"
                + " instance that owns the chat (NOTIFY); answered with turn " + turn.index());
    }

    /** The context this agent redeemed, once it has; empty when it did not within the time. */
    Optional<HandoffContext> redeemed(long seconds) throws InterruptedException {
        try {
            return Optional.of(redeemed.get(seconds, TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        CompletableFuture<Optional<Offer>> n = next;
        if (n != null) {
            n.cancel(false);
        }
        queue.signOut(agentId);
    }
}
