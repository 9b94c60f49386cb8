package dev.handoff.postgres;

import dev.handoff.api.HandoffException;
import dev.handoff.api.TransferRequest;
import dev.handoff.core.Scheduler;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The agent's side of {@link PostgresChatQueues}: one queue as seen from this instance. Its waiting agents are local
 * ({@link #next} parks them here and {@link #serve} claims offers for them, or an offer stored on this instance is
 * claimed for the longest-waiting one by its own insert: {@link #reserve}), its offers and sign-ins are shared rows;
 * a claimed offer is accepted or declined fenced on the claim. The owner's side (offering, expiry, completing the
 * transfer) stays in {@link PostgresChatQueues}, which creates one of these per queue name and calls {@link #wake}
 * on a notification for the queue, on every poll and after storing an offer waiting.
 *
 * <p>Agents and the desktop call the {@link AgentQueue} methods from their own threads ({@code signIn}, {@code size},
 * {@code isClosed} and {@code Offer.accept} run one short statement on the caller's thread; {@code next} returns at
 * once and claims on the database threads). Database failures reach the caller as {@link HandoffException}s.
 * Thread-safe.
 */
final class PostgresAgentQueue implements AgentQueue {

    /** An agent waiting here for an offer ({@link #next}). */
    record Waiter(String agentId, CompletableFuture<Optional<Offer>> next) {
    }

    private final String name;
    private final Tenancy t;
    private final ChatQueueSql sql;
    private final Background bg;
    /** The last poll's view of the queues: forgotten for this queue when it closes, opens or loses an agent here. */
    private final QueueStates states;
    private final String instanceId;
    private final Duration agentLease;
    /** The claim statement and the offers it hands out. */
    private final QueueClaims claims;
    private final List<Waiter> waiters = new ArrayList<>();
    /** The waiters the claim in progress is for: not {@linkplain #reserve reserved} for an offer stored here meanwhile. */
    private List<Waiter> claiming = List.of();
    private boolean serving;
    private boolean again;
    /** Counts the reasons to look at the queue again: a notification for it, the poll, an offer made here. */
    private long wakes;
    /**
     * The value of {@link #wakes} when a claim last found fewer offers than agents (the queue was empty at that
     * claim's snapshot and nothing has announced an offer since), or -1. An agent arriving then waits for the next
     * wake instead of running a claim that would find nothing: at a few hundred handoffs a second that was one
     * claim statement in two.
     */
    private long emptyAt = -1;
    /** The most waiting agents one claim statement serves. */
    static final int CLAIM_BATCH = 32;

    /** @param signTicket gives the agent's ticket from the unsigned one an offer row keeps ({@link PostgresChatQueues#sign}) */
    PostgresAgentQueue(String name, Tenancy t, ChatQueueSql sql, Background bg, String instanceId, Duration acceptTimeout,
                       Duration agentLease, QueueStates states, UnaryOperator<String> signTicket) {
        this.states = states;
        this.name = name;
        this.t = t;
        this.sql = sql;
        this.bg = bg;
        this.instanceId = instanceId;
        this.agentLease = agentLease;
        this.claims = new QueueClaims(name, t, sql, new ClaimedOffer.Stores(t, sql, bg, instanceId), acceptTimeout, signTicket);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void signIn(String agentId) {
        Texts.requireCode("agentId", agentId);
        Instant now = t.now();
        t.jdbc().autoCommit("signing agent " + agentId + " in to queue " + name, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.signIn())) {
                s.setString(1, t.tenant());
                s.setString(2, name);
                s.setString(3, agentId);
                s.setString(4, instanceId);
                s.setObject(5, Tenancy.ts(now));
                s.setObject(6, Tenancy.ts(now.plus(agentLease)));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void signOut(String agentId) {
        states.forget(name);
        t.jdbc().autoCommit("signing agent " + Texts.clean(agentId, 64) + " out of queue " + name, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.signOut())) {
                s.setString(1, t.tenant());
                s.setString(2, name);
                s.setString(3, agentId);
                return s.executeUpdate();
            }
        });
        states.forget(name);   // again once committed: a poll that read before the commit is dropped
    }

    @Override
    public int signedInAgents() {
        return count("counting agents of queue " + name, sql.agents());
    }

    @Override
    public void close() {
        setClosed(true);
    }

    @Override
    public void open() {
        setClosed(false);
    }

    private void setClosed(boolean closed) {
        states.forget(name);
        t.jdbc().autoCommit((closed ? "closing" : "opening") + " queue " + name, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.setClosed())) {
                s.setString(1, t.tenant());
                s.setString(2, name);
                s.setBoolean(3, closed);
                return s.executeUpdate();
            }
        });
        states.forget(name);   // again once committed: a poll that read before the commit is dropped
    }

    @Override
    public boolean isClosed() {
        return t.jdbc().autoCommit("reading whether queue " + name + " is closed", c -> {
            try (PreparedStatement s = c.prepareStatement(sql.closed())) {
                s.setString(1, t.tenant());
                s.setString(2, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public int size() {
        return count("counting offers waiting in queue " + name, sql.size());
    }

    private int count(String what, String statement) {
        return t.jdbc().autoCommit(what, c -> {
            try (PreparedStatement s = c.prepareStatement(statement)) {
                s.setString(1, t.tenant());
                s.setString(2, name);
                s.setObject(3, Tenancy.ts(t.now()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public CompletableFuture<Optional<Offer>> next(String agentId, Duration maxWait) {
        Texts.requireCode("agentId", agentId);
        Objects.requireNonNull(maxWait, "maxWait");
        CompletableFuture<Optional<Offer>> next = new CompletableFuture<>();
        Waiter w = new Waiter(agentId, next);
        synchronized (this) {
            waiters.add(w);
        }
        Scheduler.Cancellable timer = bg.scheduler().schedule(maxWait, () -> next.complete(Optional.empty()));
        next.whenComplete((o, e) -> {
            timer.cancel();
            synchronized (this) {
                waiters.remove(w);
            }
        });
        // trusted only while notifications arrive: without them the poll is the only wake, and a new agent claims
        if (!knownEmpty()) {
            bg.run("serving agent " + agentId + " in queue " + name, this::serve);
        }
        return next;
    }

    /** Whether a claim for the agents waiting here is under way (for tests). */
    synchronized boolean serving() {
        return serving;
    }

    /** Whether an agent asking for work now would wait for the next wake without a claim (for tests). */
    synchronized boolean knownEmpty() {
        return emptyAt == wakes && bg.notifications().connected();
    }

    /**
     * Something may have put an offer in this queue (a notification for it, the poll, an offer made on this
     * instance): claims for the agents waiting here.
     */
    void wake() {
        synchronized (this) {
            wakes++;
        }
        serve();
    }

    /**
     * Claims offers for the agents waiting here until no agent or no offer is left; one pass at a time. Each round
     * claims for up to {@value #CLAIM_BATCH} waiting agents in one statement (the longest-waiting agent gets the best
     * offer), so a burst of offers reaches many idle agents in a few round trips instead of one claim per offer.
     */
    private void serve() {
        synchronized (this) {
            if (serving) {
                again = true;
                return;
            }
            serving = true;
        }
        try {
            while (true) {
                List<Waiter> ws;
                long seen;
                synchronized (this) {
                    seen = wakes;
                    ws = waiters.stream().filter(x -> !x.next().isDone()).limit(CLAIM_BATCH).toList();
                    claiming = ws;
                    if (ws.isEmpty()) {
                        if (!again) {
                            serving = false;
                            return;
                        }
                        again = false;
                        continue;
                    }
                }
                List<ClaimedOffer> offers = claims.claim(ws.stream().map(Waiter::agentId).toList());
                synchronized (this) {
                    // served: off the list before the next round, although their futures complete a moment later
                    waiters.removeAll(ws.subList(0, offers.size()));
                    claiming = List.of();
                }
                for (int i = 0; i < offers.size(); i++) {
                    handOut(ws.get(i), offers.get(i));
                }
                if (offers.size() < ws.size()) {
                    // fewer offers than agents: the queue is empty for now; a notification or the poll sets again
                    synchronized (this) {
                        if (wakes == seen) {
                            emptyAt = seen;   // no offer announced since the claim's snapshot
                        }
                        if (!again) {
                            serving = false;
                            return;
                        }
                        again = false;
                    }
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                serving = false;
                claiming = List.of();
            }
            throw e;
        }
    }

    /**
     * Completes the agent's {@link #next} with the offer claimed for her, on another database thread: what the agent's
     * side chains on it (an accept, a page render) runs there, never holding up the claims for other agents.
     */
    private void handOut(Waiter w, ClaimedOffer offer) {
        bg.run("handing offer " + offer.offerId() + " to agent " + offer.agentId(), () -> {
            if (!w.next().complete(Optional.of(offer))) {
                offer.release();   // the agent stopped waiting at this very moment: back to the queue
            }
        });
    }

    /**
     * Takes the longest-waiting agent here off the waiting list for an offer this instance is about to store
     * ({@link OwnerOffers}), or null when none waits (or every one is in a claim under way). The offer's insert then
     * claims it for her ({@link #storedFor}) or, when an older offer waits in the queue, {@link #unreserve} puts her
     * back.
     */
    synchronized Waiter reserve() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!w.next().isDone() && !claiming.contains(w)) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    /** Puts a {@linkplain #reserve reserved} agent back at the head of the waiting list, unless she stopped waiting. */
    void unreserve(Waiter w) {
        synchronized (this) {
            if (w.next().isDone()) {
                return;
            }
            waiters.add(0, w);
        }
    }

    /**
     * Hands a {@linkplain #reserve reserved} agent the offer whose insert (committed) claimed it for her: claim number 1,
     * told to its owner (this instance) as a claim is.
     */
    void storedFor(Waiter w, String offerId, TransferRequest stored) {
        ClaimedOffer offer = claims.storedFor(w.agentId(), offerId, stored);
        offer.announceClaim();
        handOut(w, offer);
    }
}
