package dev.handoff.postgres;

import dev.handoff.api.HandoffException;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.Scheduler;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * <p>This class is the owner's side (offers, expiry, completing transfers, the poll); the agent's side of each queue
 * (waiting agents, claims, accept and decline) is {@link PostgresAgentQueue}; the statements of both are
 * {@link ChatQueueSql}.
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
    private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ChatQueueSql sql;
    private final QueueStates states;
    private volatile Runnable takenOver = () -> { };
    private volatile Function<SessionId, CompletionStage<Void>> recorded = session -> CompletableFuture.completedFuture(null);
    private volatile Tickets tickets;

    /** The owner's side of one offer: the transfer stage it completes. */
    private static final class Pending {
        final String offerId;
        final TransferRequest request;
        final TransferListener listener;
        final CompletableFuture<TransferResult> result = new CompletableFuture<>();
        int seenClaims;
        boolean inserted;
        Scheduler.Cancellable expiry = () -> { };

        Pending(String offerId, TransferRequest request, TransferListener listener) {
            this.offerId = offerId;
            this.request = request;
            this.listener = listener;
        }
    }

    PostgresChatQueues(Tenancy tenancy, String instanceId, Background background, Duration acceptTimeout, Duration agentLease) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.bg = Objects.requireNonNull(background, "background");
        this.acceptTimeout = Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        this.agentLease = Objects.requireNonNull(agentLease, "agentLease");
        this.sql = ChatQueueSql.of(tenancy);
        this.states = new QueueStates(tenancy);
        Notifications n = bg.notifications();
        n.subscribe(OFFERS_CHANNEL, payload -> forTenant(payload).ifPresent(queue -> {
            PostgresAgentQueue q = queues.get(queue);
            if (q != null) {
                q.serve();
            }
        }));
        n.subscribe(OFFER_CHANNEL, payload -> forTenant(payload).ifPresent(offerId -> {
            if (pending.containsKey(offerId)) {
                refresh(List.of(offerId));
            }
        }));
        n.onReconnect(this::poll);
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

    /**
     * What an offer waits for before it is stored: its handoff recorded where a takeover finds it (see
     * {@link OwnershipWriter#recorded}).
     */
    void onRecorded(Function<SessionId, CompletionStage<Void>> task) {
        this.recorded = Objects.requireNonNull(task, "task");
    }

    /** Runs when this instance finds an offer of its own taken over by another instance (a handoff it lost). */
    void onTakenOver(Runnable task) {
        this.takenOver = Objects.requireNonNull(task, "task");
    }

    /** Starts the poll; called when the Handoff is built. */
    void start(Duration pollInterval) {
        states.pollInterval(pollInterval);
        bg.every(pollInterval, "chat-queue poll", this::poll);
    }

    /** Everything a notification would have triggered: waiting agents, open offers, stale claims, agent leases. */
    void poll() {
        states.read();
        for (PostgresAgentQueue q : queues.values()) {
            q.serve();
        }
        if (!pending.isEmpty()) {
            refresh(List.copyOf(pending.keySet()));
        }
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
            for (String queue : out) {
                Notifications.send(c, OFFERS_CHANNEL, t.tenant() + "/" + queue);
            }
            return out;
        });
        if (!requeued.isEmpty()) {
            LOG.info("{} offer claim(s) not accepted within {}; back in their queues", requeued.size(), acceptTimeout);
        }
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

    /** Offers the conversation to every instance's agents; cancelling the stage withdraws the offer. */
    @Override
    public CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
        Pending p = new Pending("o-" + UUID.randomUUID(), request, listener);
        pending.put(p.offerId, p);
        String queue = request.target().address();
        listener.progress(0, "offered to queue " + queue);
        // stored only once its handoff is recorded: an owner killed in between would leave an offer agents can take and
        // no handoff any instance takes over (OfferAfterRecordTest)
        recorded.apply(request.sessionId()).whenComplete((v, e) ->
                bg.run("offering session " + request.sessionId() + " to queue " + queue, () -> insert(p)));
        p.expiry = bg.later(request.timeout(), "expiring offer " + p.offerId,
                () -> close(p, "EXPIRED", "no agent accepted within " + request.timeout().toMillis() + " ms"));
        p.result.whenComplete((r, e) -> {
            p.expiry.cancel();
            pending.remove(p.offerId);
            if (e != null) {
                bg.run("withdrawing offer " + p.offerId, () -> close(p, "WITHDRAWN", "the handoff withdrew the offer"));
            }
        });
        return p.result;
    }

    private void insert(Pending p) {
        synchronized (p) {
            if (p.result.isDone()) {
                return;
            }
            TransferRequest r = p.request;
            Instant now = t.now();
            try {
                t.jdbc().transaction("offering session " + r.sessionId() + " to queue " + r.target().address(), c -> {
                    try (PreparedStatement s = c.prepareStatement(sql.insert())) {
                        s.setString(1, t.tenant());
                        s.setString(2, p.offerId);
                        s.setString(3, r.target().address());
                        s.setString(4, r.sessionId().value());
                        s.setString(5, r.contextId());
                        s.setString(6, tickets().unsigned(r.ticket()));
                        s.setString(7, r.target().id());
                        s.setString(8, r.priority().name());
                        s.setInt(9, r.priority() == Priority.URGENT || r.priority() == Priority.HIGH ? 1 : 0);
                        s.setLong(10, r.timeout().toMillis());
                        s.setString(11, instanceId);
                        s.setObject(12, Tenancy.ts(now));
                        s.setObject(13, Tenancy.ts(now.plus(r.timeout())));
                        s.setObject(14, Tenancy.ts(t.purgeAfter(now)));
                        s.executeUpdate();
                    }
                    Notifications.send(c, OFFERS_CHANNEL, t.tenant() + "/" + r.target().address());
                    return null;
                });
                p.inserted = true;
            } catch (HandoffException e) {
                p.result.complete(TransferResult.failed(TransferResult.Outcome.FAILED, r.target(), r.mode(), null,
                        "the offer could not be stored: " + Texts.clean(e.getMessage(), 200), t.now()));
                return;
            }
        }
        PostgresAgentQueue local = queues.get(p.request.target().address());
        if (local != null) {
            local.serve();   // an agent of this instance may be waiting: no need to wait for the notification
        }
    }

    /** The owner ends an offer (expiry or withdrawal); an accept that won the race completes the transfer CONNECTED. */
    private void close(Pending p, String state, String why) {
        synchronized (p) {
            TransferRequest r = p.request;
            if (!p.inserted) {
                p.result.complete(TransferResult.failed(TransferResult.Outcome.TIMED_OUT, r.target(), r.mode(), 408, why, t.now()));
                return;
            }
            int closed = t.jdbc().autoCommit("closing offer " + p.offerId, c -> {
                try (PreparedStatement s = c.prepareStatement(sql.close())) {
                    s.setString(1, state);
                    s.setObject(2, Tenancy.ts(t.now()));
                    s.setString(3, t.tenant());
                    s.setString(4, p.offerId);
                    s.setString(5, instanceId);
                    return s.executeUpdate();
                }
            });
            if (closed == 1) {
                p.result.complete(TransferResult.failed(TransferResult.Outcome.TIMED_OUT, r.target(), r.mode(), 408, why, t.now()));
            } else {
                refresh(List.of(p.offerId));
                p.result.complete(TransferResult.failed(TransferResult.Outcome.TIMED_OUT, r.target(), r.mode(), 408, why, t.now()));
            }
        }
    }

    /** Reads the owner's open offers and completes the ones an agent accepted. */
    private void refresh(List<String> offerIds) {
        record Row(String offerId, String state, String agent, int claims, String owner) {
        }
        List<Row> rows = t.jdbc().autoCommit("reading " + offerIds.size() + " open offer(s)", c -> {
            try (PreparedStatement s = c.prepareStatement(sql.refresh())) {
                s.setString(1, t.tenant());
                s.setArray(2, c.createArrayOf("text", offerIds.toArray()));
                List<Row> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5)));
                    }
                }
                return out;
            }
        });
        for (Row row : rows) {
            Pending p = pending.get(row.offerId());
            if (p == null) {
                continue;
            }
            TransferRequest r = p.request;
            if (!row.owner().equals(instanceId)) {
                // another instance took the handoff over (only a takeover moves an offer): the stage is left open for
                // the ownership to find out and stop the handoff here with OWNER_LOST, never to try a next target
                takenOver.run();
                continue;
            }
            switch (row.state()) {
                case "ACCEPTED" -> p.result.complete(TransferResult.connected(r.target(), r.mode(), row.agent(), 200, t.now()));
                case "CLAIMED" -> {
                    boolean report;
                    synchronized (p) {
                        report = row.claims() > p.seenClaims;
                        p.seenClaims = Math.max(p.seenClaims, row.claims());
                    }
                    if (report) {
                        p.listener.progress(180, "offered to agent " + row.agent());
                    }
                }
                default -> { }
            }
        }
    }

    /**
     * Takes over the newest open offer of a session whose owner instance died: this instance completes it from now on.
     *
     * @return the attempt's stage (CONNECTED when an agent had already accepted), or null when no offer is open
     */
    CompletableFuture<TransferResult> adopt(SessionId session, String previousOwner) {
        record Row(String offerId, String state, String agent, String queue, String contextId, String unsignedTicket, String targetId,
                   String priority, Instant expiresAt) {
        }
        Row row = t.jdbc().transaction("taking over the offer of session " + session, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.adopt())) {
                s.setString(1, instanceId);
                s.setString(2, t.tenant());
                s.setString(3, t.tenant());
                s.setString(4, session.value());
                s.setString(5, previousOwner);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), Tenancy.instant(rs.getObject(9, OffsetDateTime.class))) : null;
                }
            }
        });
        if (row == null) {
            return null;
        }
        Target target = new Target(row.targetId(), Target.Kind.QUEUE, row.queue(), Set.of());
        Duration left = Duration.between(t.now(), row.expiresAt());
        TransferRequest request = new TransferRequest(session, row.contextId(), sign(row.unsignedTicket()), target, TransferMode.QUEUE,
                Priority.valueOf(row.priority()), Map.of(), left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
        if (row.state().equals("ACCEPTED")) {
            return CompletableFuture.completedFuture(TransferResult.connected(target, TransferMode.QUEUE, row.agent(), 200, t.now()));
        }
        Pending p = new Pending(row.offerId(), request, (code, detail) -> { });
        p.inserted = true;
        pending.put(p.offerId, p);
        p.expiry = bg.later(request.timeout(), "expiring offer " + p.offerId,
                () -> close(p, "EXPIRED", "no agent accepted the taken-over offer in time"));
        p.result.whenComplete((r, e) -> {
            p.expiry.cancel();
            pending.remove(p.offerId);
            if (e != null) {
                bg.run("withdrawing offer " + p.offerId, () -> close(p, "WITHDRAWN", "the handoff withdrew the offer"));
            }
        });
        bg.run("reading taken-over offer " + p.offerId, () -> refresh(List.of(p.offerId)));
        return p.result;
    }

    /** Offers this instance waits on (for tests and diagnostics). */
    int openOffers() {
        return pending.size();
    }

    /** The id this instance offers under. */
    String instanceId() {
        return instanceId;
    }
}
