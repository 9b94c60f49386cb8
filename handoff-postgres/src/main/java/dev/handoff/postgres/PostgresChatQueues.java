package dev.handoff.postgres;

import dev.handoff.api.HandoffException;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.context.Tickets;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Notifications;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatQueues} shared by every instance through PostgreSQL: a conversation handed off on one instance is
 * offered to agents signed in on any instance, and each offer is claimed by exactly one agent at a time.
 *
 * <ul>
 *   <li><b>Offer</b> ({@link #transfer}, on the handoff's owner): a {@code WAITING} row in {@code offers} and a
 *       {@code handoff_offers} notification, in one transaction; the owner keeps the stage and its expiry timer.</li>
 *   <li><b>Take</b> ({@link AgentQueue#next}, on the agent's instance): {@code UPDATE ... WHERE offer_id = (SELECT ...
 *       LIMIT 1 FOR UPDATE SKIP LOCKED)} moves the best waiting offer (URGENT/HIGH first, then oldest) to {@code CLAIMED} for that agent;
 *       two agents on any instances never claim the same row. Waiting agents retry on a notification for their queue
 *       and on every poll.</li>
 *   <li><b>Ticket</b>: the row keeps the ticket {@linkplain Tickets#unsigned without its MAC}, never the bearer ticket;
 *       the instance that hands the offer to an agent {@linkplain Tickets#sign signs it again} with the Handoff's keys
 *       (the same on every instance, never in the database), which gives the very ticket the owner issued.</li>
 *   <li><b>Accept / decline</b> ({@link Offer}): fenced on the claim (agent and claim number); an accept moves the
 *       row to {@code ACCEPTED} and notifies {@code handoff_offer}; the owner completes its transfer {@code CONNECTED}.
 *       A claim not accepted within {@link #DEFAULT_ACCEPT_TIMEOUT} goes back to {@code WAITING}.</li>
 *   <li><b>Expiry / withdrawal</b> (the owner's timer, or the orchestrator cancelling the stage): a conditional
 *       update to {@code EXPIRED}/{@code WITHDRAWN}; exactly one of it and an accept wins.</li>
 * </ul>
 *
 * <p>Notifications only make things sooner: every instance also polls every {@link #DEFAULT_POLL_INTERVAL} (its
 * open offers, its waiting agents, stale claims) and re-polls at once after the listener reconnects.
 *
 * <p>Who calls what: the orchestrator calls {@link #preflight} and {@link #transfer} (both return at once; the work
 * runs on this module's database threads); agents and the desktop call {@link #queue} and its methods from their own
 * threads ({@code signIn}, {@code size} and {@code Offer.accept} run one short statement on the caller's thread).
 * Database failures reach an agent as {@link HandoffException}s and a handoff as a failed attempt (the next target).
 * Created by {@link PostgresHandoffStores}; timers start when the Handoff is built. Thread-safe.
 *
 * <p>This class holds the queues, the preflight and the poll; the owner's side of each offer (storing it once its
 * handoff is recorded, expiry, withdrawal, completing the transfer, adopting a dead instance's offer) is
 * {@link OwnerOffers}; the agent's side of each queue (waiting agents, claims, accept and decline) is
 * {@link PostgresAgentQueue}; the statements of all three are {@link ChatQueueSql}.
 */
public final class PostgresChatQueues implements ChatQueues {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChatQueues.class);

    /** How long an agent who took an offer has to accept it before it goes back to the queue. */
    public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(30);
    /** How often each instance polls, whatever notifications say. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** How long an agent's sign-in lasts without its instance's heartbeat (renewed every poll). */
    public static final Duration DEFAULT_AGENT_LEASE = Duration.ofSeconds(30);

    static final String OFFERS_CHANNEL = "handoff_offers";
    static final String OFFER_CHANNEL = "handoff_offer";

    private final Tenancy t;
    private final String instanceId;
    private final Background bg;
    private final Duration acceptTimeout;
    private final Duration agentLease;
    private final ConcurrentMap<String, PostgresAgentQueue> queues = new ConcurrentHashMap<>();
    private final ChatQueueSql sql;
    private final QueueStates states;
    private final OwnerOffers offers;
    /**
     * Offers stored by this instance whose queue's local agents are served right after the insert commits, until the
     * insert's own notification arrives (which then wakes nobody: at a few hundred handoffs a second it cost one
     * claim statement that found nothing per offer). Entered once the insert has committed, before the notification
     * is published (only when another instance has an agent of the queue) and the local agents are woken. Entries whose notification never came (not sent or not heard: the database or
     * the listening connection was down) are dropped by the poll after a minute.
     */
    private final ConcurrentMap<String, Long> servedHere = new ConcurrentHashMap<>();
    private final AtomicLong offersHeard = new AtomicLong();
    private final AtomicLong offersAnnounced = new AtomicLong();
    private final AtomicLong offersClaimedAtInsert = new AtomicLong();
    private volatile Tickets tickets;

    PostgresChatQueues(Tenancy tenancy, String instanceId, Background background, Duration acceptTimeout, Duration agentLease) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.bg = Objects.requireNonNull(background, "background");
        this.acceptTimeout = Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        this.agentLease = Objects.requireNonNull(agentLease, "agentLease");
        this.sql = ChatQueueSql.of(tenancy);
        this.states = new QueueStates(tenancy);
        this.offers = new OwnerOffers(tenancy, instanceId, background, sql, this::tickets, new OwnerOffers.LocalAgents() {
            @Override
            public PostgresAgentQueue.Waiter reserve(String queue) {
                PostgresAgentQueue local = queues.get(queue);
                return local == null ? null : local.reserve();
            }

            @Override
            public void stored(String queue, String offerId, boolean committed, boolean announced, PostgresAgentQueue.Waiter reserved) {
                PostgresAgentQueue local = queues.get(queue);
                if (reserved != null) {
                    local.unreserve(reserved);
                }
                if (announced) {
                    offersAnnounced.incrementAndGet();
                    if (local != null) {
                        servedHere.put(offerId, System.nanoTime());   // its notification, published next, wakes nobody here
                    }
                }
                if (committed && local != null) {
                    local.wake();
                }
            }

            @Override
            public void storedFor(String queue, PostgresAgentQueue.Waiter reserved, String offerId, TransferRequest request) {
                offersClaimedAtInsert.incrementAndGet();
                queues.get(queue).storedFor(reserved, offerId, request);
            }
        }, acceptTimeout);
        Notifications n = bg.notifications();
        n.subscribe(OFFERS_CHANNEL, payload -> {
            forTenant(payload).ifPresent(this::offersChanged);
            offersHeard.incrementAndGet();
        });
        n.subscribe(OFFER_CHANNEL, payload -> forTenant(payload).ifPresent(offer -> {
            // the claim and the accept say what they wrote (committed when this arrives): no read needed
            Optional<OwnerOffers.OfferState> state = OwnerOffers.fromNotification(offer);
            if (state.isPresent()) {
                offers.apply(state.get());
            } else if (offers.waitsOn(offer)) {
                offers.refresh(List.of(offer));
            }
        }));
        n.onReconnect(this::poll);
    }

    /** A notification on the offers channel: "queue" (a claim given back, claims swept) or "queue/offer" (an offer stored). */
    private void offersChanged(String rest) {
        int slash = rest.indexOf('/');
        String queue = slash < 0 ? rest : rest.substring(0, slash);
        if (slash >= 0 && servedHere.remove(rest.substring(slash + 1)) != null) {
            return;   // stored here: this instance's agents are served after its commit, a claim would find nothing new
        }
        PostgresAgentQueue q = queues.get(queue);
        if (q != null) {
            q.wake();
        }
    }

    /**
     * The Handoff's tickets, given when it is built: offers are stored with their ticket unsigned and signed again here.
     *
     * @throws IllegalStateException when these queues already serve another Handoff
     */
    @Override
    public synchronized void attach(Tickets handoffTickets) {
        Objects.requireNonNull(handoffTickets, "tickets");
        if (tickets != null && tickets != handoffTickets) {
            throw new IllegalStateException("these chat queues already serve another Handoff; build one PostgresHandoffStores per Handoff");
        }
        tickets = handoffTickets;
    }

    private Tickets tickets() {
        Tickets t = tickets;
        if (t == null) {
            throw new IllegalStateException("these chat queues serve no Handoff yet (build one with PostgresHandoffStores.applyTo):"
                    + " nothing can sign an offer's ticket");
        }
        return t;
    }

    /** The ticket an agent gets, from the unsigned one the offer row keeps. */
    String sign(String unsignedTicket) {
        return tickets().sign(unsignedTicket);
    }


    /** Offers stored here whose own notification has not arrived yet (for tests). */
    int awaitingOwnNotification() {
        return servedHere.size();
    }

    /** Offers stored here and announced to the other instances (an agent of their queue was signed in on one; for tests). */
    long offersAnnounced() {
        return offersAnnounced.get();
    }

    /** Offers stored here claimed by their insert for an agent of this instance who was waiting (for tests). */
    long offersClaimedAtInsert() {
        return offersClaimedAtInsert.get();
    }

    /** Notifications on the offers channel this instance has dealt with, any tenant's (for tests). */
    long offersNotificationsHeard() {
        return offersHeard.get();
    }

    /** Starts the poll; called when the Handoff is built. */
    void start(Duration pollInterval) {
        states.pollInterval(pollInterval);
        bg.every(pollInterval, "chat-queue poll", this::poll);
        // on their own schedule: a poll interval longer than a third of the lease (up to a minute is allowed) let the
        // sign-ins lapse between polls, and the queue then counted no agent
        Duration third = agentLease.dividedBy(3);
        bg.every(pollInterval.compareTo(third) < 0 ? pollInterval : third, "agent sign-in renewal", this::renewSignIns);
    }

    /** Everything a notification would have triggered: waiting agents, open offers, stale claims. */
    void poll() {
        long now0 = System.nanoTime();
        servedHere.values().removeIf(at -> now0 - at > TimeUnit.MINUTES.toNanos(1));
        states.read();
        for (PostgresAgentQueue q : queues.values()) {
            q.wake();
        }
        offers.refreshAll();
        Instant now = t.now();
        List<String> requeued = t.jdbc().transaction("returning unanswered offer claims to their queues", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(sql.sweep())) {
                p.setString(1, t.tenant());
                p.setString(2, instanceId);
                p.setObject(3, Tenancy.ts(now));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        for (String queue : new LinkedHashSet<>(requeued)) {   // committed: any instance's waiting agents may claim them
            bg.notifications().publish(OFFERS_CHANNEL, t.tenant() + "/" + queue);
        }
        if (!requeued.isEmpty()) {
            LOG.info("{} offer claim(s) not accepted within {}; back in their queues", requeued.size(), acceptTimeout);
        }
    }

    /** Extends the lease of every agent signed in through this instance (a third of the lease before it runs out, or sooner). */
    void renewSignIns() {
        Instant now = t.now();
        t.jdbc().autoCommit("renewing the sign-ins of this instance's agents", c -> {
            try (PreparedStatement p = c.prepareStatement(sql.renew())) {
                p.setObject(1, Tenancy.ts(now.plus(agentLease)));
                p.setString(2, t.tenant());
                p.setString(3, instanceId);
                return p.executeUpdate();
            }
        });
    }

    private Optional<String> forTenant(String payload) {
        int slash = payload == null ? -1 : payload.indexOf('/');
        if (slash <= 0 || !payload.substring(0, slash).equals(t.tenant())) {
            return Optional.empty();
        }
        return Optional.of(payload.substring(slash + 1));
    }

    @Override
    public AgentQueue queue(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("queue name must be 1-200 characters, was " + name.length());
        }
        return queues.computeIfAbsent(name, n -> new PostgresAgentQueue(n, t, sql, bg, instanceId, acceptTimeout, agentLease, states,
                this::sign));
    }

    /**
     * Ready when the target is an open queue; an agent is available when one is signed in on any instance. An open
     * queue with agents, as the last poll saw it, is answered at once from memory ({@link QueueStates}); any other
     * answer is read from the database on a database thread.
     */
    @Override
    public CompletionStage<PreflightResult> preflight(TransferRequest request) {
        Target target = request.target();
        Optional<PreflightResult> known = ChatQueues.notAQueue(target).or(() -> states.answer(target.address()));
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        CompletableFuture<PreflightResult> out = new CompletableFuture<>();
        bg.run("preflight of queue " + target.address(), () -> {
            try {
                AgentQueue q = queue(target.address());
                out.complete(QueueStates.answer(q.name(), !q.isClosed(), q.signedInAgents()));
            } catch (RuntimeException e) {
                out.complete(new PreflightResult(true, false, false, "queue " + target.address() + " unknown: "
                        + Texts.clean(e.getMessage(), 200)));
            }
        });
        return out;
    }



    /** Offers the conversation to every instance's agents ({@link OwnerOffers}); cancelling the stage withdraws it. */
    @Override
    public CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
        return offers.transfer(request, listener);
    }

    /**
     * Takes over the newest open offer of a session whose owner instance died (see {@link OwnerOffers#adopt}).
     *
     * @return the attempt's stage, or null when no offer is open
     */
    CompletableFuture<TransferResult> adopt(SessionId session, String previousOwner) {
        return offers.adopt(session, previousOwner);
    }

    /** What an offer waits for before it is stored: its handoff recorded (see {@link OwnershipWriter#recorded}). */
    void onRecorded(Function<SessionId, CompletionStage<Void>> task) {
        offers.onRecorded(task);
    }

    /** Runs when this instance finds an offer of its own taken over by another instance (a handoff it lost). */
    void onTakenOver(Runnable task) {
        offers.onTakenOver(task);
    }

    /** Offers this instance waits on (for tests and diagnostics). */
    int openOffers() {
        return offers.size();
    }

    /** The id this instance offers under. */
    String instanceId() {
        return instanceId;
    }
}
