package dev.handoff.desktop.internal;

import dev.handoff.api.SessionId;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.chat.Offer;
import dev.handoff.desktop.Agent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat offers from core's {@link ChatQueues} to the agents signed in here. While an agent has a session, they are
 * signed in to each of their queues (and to the queue named after them, where {@code AGENT} targets go) and wait for
 * the next offer of each with {@link AgentQueue#next} (a stage: no thread waits). An offer core reserves for them is
 * shown on their desktop until they accept or decline it, or core withdraws it (the customer went elsewhere).
 * A declined offer goes back to the queue, and the agent gets no offer from that queue for the cooldown.
 */
final class Offers {

    /** How long one wait for an offer lasts before it is renewed. */
    static final Duration POLL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(Offers.class);

    /**
     * An offer shown to one agent.
     *
     * @param id an unguessable id the page uses to answer it
     */
    record DeskOffer(String id, String agentId, String queue, Offer offer, String contextId, SessionId sessionId, Instant offeredAt) {
    }

    private final class Presence {
        final Agent agent;
        final Set<String> queues;
        final Map<String, CompletableFuture<Optional<Offer>>> waiting = new ConcurrentHashMap<>();
        volatile boolean here = true;

        Presence(Agent agent) {
            this.agent = agent;
            Set<String> q = new LinkedHashSet<>(agent.queues());
            q.add(agent.id());
            this.queues = Set.copyOf(q);
        }
    }

    private final Desk desk;
    private final Clock clock;
    private final Duration cooldown;
    private final ScheduledExecutorService timer;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Presence> present = new ConcurrentHashMap<>();
    private final Map<String, DeskOffer> byId = new ConcurrentHashMap<>();
    private volatile ChatQueues queues;

    Offers(Desk desk, Clock clock, Duration cooldown, ScheduledExecutorService timer) {
        this.desk = desk;
        this.clock = clock;
        this.cooldown = cooldown;
        this.timer = timer;
    }

    /** The Handoff's chat queues, or null when its QUEUE executor is not the built-in one (then there are no offers). */
    void queues(ChatQueues q) {
        this.queues = q;
    }

    /** The agent's first session started. Supervisors take no offers. */
    void arrived(Agent agent) {
        ChatQueues q = queues;
        if (q == null || agent.isSupervisor()) {
            return;
        }
        Presence p = new Presence(agent);
        if (present.putIfAbsent(agent.id(), p) != null) {
            return;
        }
        for (String name : p.queues) {
            q.queue(name).signIn(agent.id());
            arm(p, name);
        }
    }

    /** The agent's last session ended: stop waiting, give back unanswered offers, sign out of the queues. */
    void left(String agentId) {
        Presence p = present.remove(agentId);
        if (p == null) {
            return;
        }
        p.here = false;
        p.waiting.values().forEach(f -> f.cancel(false));
        for (DeskOffer o : List.copyOf(byId.values())) {
            if (o.agentId().equals(agentId) && byId.remove(o.id(), o)) {
                o.offer().decline();
            }
        }
        ChatQueues q = queues;
        if (q != null) {
            p.queues.forEach(name -> q.queue(name).signOut(agentId));
        }
    }

    private void arm(Presence p, String name) {
        ChatQueues q = queues;
        if (q == null || !p.here || p.waiting.containsKey(name)) {
            return;
        }
        CompletableFuture<Optional<Offer>> next = q.queue(name).next(p.agent.id(), POLL);
        if (p.waiting.putIfAbsent(name, next) != null) {
            next.cancel(false);
            return;
        }
        next.whenComplete((offer, error) -> {
            p.waiting.remove(name, next);
            if (offer != null && offer.isPresent()) {
                offered(p, name, offer.get());
            } else if (!next.isCancelled()) {
                arm(p, name);
            }
        });
    }

    private void offered(Presence p, String queue, Offer offer) {
        if (!p.here) {
            offer.decline();
            return;
        }
        byte[] b = new byte[18];
        random.nextBytes(b);
        DeskOffer o = new DeskOffer("of-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b), p.agent.id(), queue, offer,
                offer.contextId(), offer.sessionId(), clock.instant());
        byId.put(o.id(), o);
        LOG.info("Chat {} offered to agent {} from queue {}", o.sessionId(), o.agentId(), queue);
        desk.offerMade(o);
    }

    /** The agent's open offer with this id; empty for anyone else's, so ids reveal nothing. */
    Optional<DeskOffer> find(Agent agent, String offerId) {
        DeskOffer o = offerId == null ? null : byId.get(offerId);
        return o != null && o.agentId().equals(agent.id()) ? Optional.of(o) : Optional.empty();
    }

    /** True when the agent got the conversation; false when the offer expired first. */
    boolean accept(DeskOffer o) {
        byId.remove(o.id(), o);
        boolean got = o.offer().accept();
        rearm(o, Duration.ZERO);
        return got;
    }

    void decline(DeskOffer o) {
        if (byId.remove(o.id(), o)) {
            o.offer().decline();
            rearm(o, cooldown);
        }
    }

    /** Core ended the attempt (accepted elsewhere, timed out, the session ended): the card goes away. */
    void withdraw(SessionId sessionId, String reason) {
        for (DeskOffer o : List.copyOf(byId.values())) {
            if (o.sessionId().equals(sessionId) && byId.remove(o.id(), o)) {
                desk.offerWithdrawn(o, reason);
                rearm(o, Duration.ZERO);
            }
        }
    }

    List<DeskOffer> open(String agentId) {
        List<DeskOffer> l = new ArrayList<>();
        byId.values().stream().filter(o -> o.agentId().equals(agentId)).sorted((a, b) -> a.offeredAt().compareTo(b.offeredAt()))
                .forEach(l::add);
        return l;
    }

    private void rearm(DeskOffer o, Duration after) {
        Presence p = present.get(o.agentId());
        if (p == null) {
            return;
        }
        if (after.isZero()) {
            arm(p, o.queue());
            return;
        }
        try {
            timer.schedule(() -> arm(p, o.queue()), after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Desktop closed; no new offers for {}", o.agentId());
        }
    }

    void close() {
        List.copyOf(present.keySet()).forEach(this::left);
    }
}
