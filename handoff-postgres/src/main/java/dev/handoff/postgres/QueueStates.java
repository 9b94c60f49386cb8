package dev.handoff.postgres;

import dev.handoff.api.PreflightResult;
import dev.handoff.postgres.internal.Tenancy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What every queue of the tenant looked like at the last chat-queue poll (signed-in agents on all instances, open or
 * closed), so that a queue preflight does not wait behind the database threads' work: under a burst of handoffs
 * those threads are busy with offers and claims, and a preflight that queued behind them could take longer than
 * its timeout and send a customer back to the bot although agents were there.
 *
 * <p>Only a good answer is given from memory, and only while it is fresh (read within two poll intervals): an open
 * queue with agents signed in. A closed queue, a queue without agents or a state too old is read again from the
 * database by the caller, so an agent who signed in on another instance a moment ago is still found. A queue closed,
 * opened or signed out of on this instance is {@linkplain #forget forgotten} at once. The price of the memory
 * answer: a queue closed, or an agent signed out, on another instance since the last poll may still count as open
 * or present for up to two poll intervals; the offer then waits in the queue like any other, with its timeout and
 * explicit outcome.
 * Thread-safe; {@link #read} runs on a database thread, {@link #answer} on any.
 */
final class QueueStates {

    private record State(boolean closed, int agents, Instant readAt) {
    }

    private final Tenancy t;
    private final String agentsSql;
    private final String closedSql;
    private volatile Map<String, State> states = Map.of();
    /** Counts {@link #forget} calls; a read drops what it saw of a queue forgotten while it ran. */
    private final java.util.concurrent.atomic.AtomicLong forgets = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ConcurrentMap<String, Long> forgottenAt = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Duration freshFor = Duration.ofSeconds(2);

    QueueStates(Tenancy tenancy) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.agentsSql = "SELECT queue, count(*) FROM " + t.table("queue_agents") + " WHERE tenant_id = ? AND lease_until > ? GROUP BY queue";
        this.closedSql = "SELECT queue FROM " + t.table("queues") + " WHERE tenant_id = ? AND closed";
    }

    /** Answers stay good for two polls. */
    void pollInterval(Duration interval) {
        this.freshFor = interval.multipliedBy(2);
    }

    /** Reads every queue's state (two statements on one connection); called by the poll. */
    void read() {
        Instant now = t.now();
        long startedAt = forgets.get();
        Map<String, State> fresh = t.jdbc().autoCommit("reading the state of every chat queue", c -> {
            Map<String, Integer> agents = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(agentsSql)) {
                s.setString(1, t.tenant());
                s.setObject(2, Tenancy.ts(now));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        agents.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
            Set<String> closed = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement(closedSql)) {
                s.setString(1, t.tenant());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        closed.add(rs.getString(1));
                    }
                }
            }
            Map<String, State> read = new HashMap<>();
            agents.forEach((q, n) -> read.put(q, new State(closed.contains(q), n, now)));
            return read;
        });
        // a queue closed, opened or signed out of here while this read ran may have been read before that change
        fresh.keySet().removeIf(q -> forgottenAt.getOrDefault(q, -1L) > startedAt);
        states = Map.copyOf(fresh);
    }

    /**
     * Drops what the last poll saw of {@code queue}: its next preflight reads the database. Called before and after
     * the change is written, so a poll that ran across the change cannot bring the old state back.
     */
    void forget(String queue) {
        forgottenAt.put(queue, forgets.incrementAndGet());
        Map<String, State> now = states;
        if (now.containsKey(queue)) {
            Map<String, State> copy = new HashMap<>(now);
            copy.remove(queue);
            states = Map.copyOf(copy);
        }
    }

    /** The preflight answer from the last poll, when it is a fresh "open, with agents"; empty means ask the database. */
    Optional<PreflightResult> answer(String queue) {
        State s = states.get(queue);
        if (s == null || s.closed() || s.agents() == 0 || t.now().isAfter(s.readAt().plus(freshFor))) {
            return Optional.empty();
        }
        return Optional.of(answer(queue, true, s.agents()));
    }

    /** The preflight answer for a queue in this state, from memory or from the database. */
    static PreflightResult answer(String queue, boolean open, int agents) {
        return new PreflightResult(true, agents > 0, open, "queue " + queue + (open ? " open" : " closed") + ", " + agents
                + " agents signed in on all instances");
    }
}
