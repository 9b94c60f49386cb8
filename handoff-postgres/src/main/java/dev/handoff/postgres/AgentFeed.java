package dev.handoff.postgres;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events half of {@link PostgresAgentRelay}: on the owner, the events of handoffs that an agent on another
 * instance watches go to {@code agent_feed} (one writer at a time, in order; a failed write is retried at the next
 * poll, nothing dropped; fenced on {@code handoffs.owner}, so an instance that lost a handoff to a takeover, and
 * reaches the database again with events still queued, writes none of them after the new owner's); on the watching instance, new rows of the handoffs it watches are read (on a
 * {@code NOTIFY} or the poll) and handed to the relay listeners in order per handoff (a cursor per handoff). A handoff
 * is no longer relayed after its return to the bot or its session's end. The owner learns of a watch from its
 * {@code WATCH} action, or, for a handoff it took over, from {@code agent_watches} ({@link RelayOwner}); the cursor
 * lives with the watcher, so a new owner's rows follow the old owner's in the same order. Thread-safe.
 */
final class AgentFeed {

    private static final Logger LOG = LoggerFactory.getLogger(AgentFeed.class);

    /** A handoff this instance watches: its session and the last feed row delivered. */
    private static final class Watch {
        final SessionId sessionId;
        volatile long cursor;
        /** Completed once the owner was asked (true), or when that failed and the watch was dropped (false). */
        final CompletableFuture<Boolean> recorded = new CompletableFuture<>();

        Watch(SessionId sessionId) {
            this.sessionId = sessionId;
        }
    }

    private record Out(String handoffId, String kind, HandoffEvent event) {
    }

    private final Tenancy t;
    private final String instanceId;
    private final Background bg;
    private final AgentRelaySql sql;
    private final BooleanSupplier halted;
    private final Map<String, Watch> watching = new ConcurrentHashMap<>();
    private final Map<SessionId, String> watchedHere = new ConcurrentHashMap<>();
    private final List<HandoffListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Out> outgoing = new ConcurrentLinkedDeque<>();
    private final ReentrantLock polling = new ReentrantLock();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();

    AgentFeed(Tenancy t, String instanceId, Background bg, AgentRelaySql sql, BooleanSupplier halted) {
        this.t = t;
        this.instanceId = instanceId;
        this.bg = bg;
        this.sql = sql;
        this.halted = halted;
    }

    void addListener(HandoffListener l) {
        listeners.add(l);
    }

    void removeListener(HandoffListener l) {
        listeners.remove(l);
    }

    /**
     * A call's part in watching a handoff.
     *
     * @param first    whether this call started the watch: it then asks the owner to relay the handoff, and completes
     *                 {@code recorded} with true, or calls {@link #unwatch} when that failed
     * @param recorded what the first caller's request came to: true once recorded, false if it failed
     */
    record WatchClaim(boolean first, CompletableFuture<Boolean> recorded) {
    }

    /** This instance starts watching the handoff, or joins the watch a call for it already started. */
    WatchClaim watch(String handoffId, SessionId sessionId) {
        Watch w = new Watch(sessionId);
        Watch first = watching.putIfAbsent(handoffId, w);
        return first == null ? new WatchClaim(true, w.recorded) : new WatchClaim(false, first.recorded);
    }

    /** Forgets a watch whose recording failed, so the next {@link #watch} asks the owner again; its waiters learn it. */
    void unwatch(String handoffId, WatchClaim claim) {
        watching.computeIfPresent(handoffId, (id, w) -> w.recorded == claim.recorded() ? null : w);
        claim.recorded().complete(false);
    }

    boolean watching(String handoffId) {
        return watching.containsKey(handoffId);
    }

    /**
     * As the owner: relay this handoff's events from now on, starting with its phase now (so the watcher knows it
     * even when it changed before the watch arrived).
     */
    void relayFromHere(SessionId sessionId, String handoffId, dev.handoff.api.HandoffPhase phase, Instant now) {
        watchedHere.put(sessionId, handoffId);
        if (phase != null) {
            ownerEvent(new HandoffEvent.PhaseChanged(sessionId, now, handoffId, phase, 0));
        }
    }

    /** Events queued here and not yet written (the poll writes them). */
    boolean pending() {
        return !outgoing.isEmpty();
    }

    /** An event on this instance: relayed when an agent elsewhere watches its handoff. Quick; never blocks. */
    void ownerEvent(HandoffEvent e) {
        if (halted.getAsBoolean()) {
            return;
        }
        String handoffId = watchedHere.get(e.sessionId());
        if (handoffId == null) {
            return;
        }
        Optional<String> kind = RelayEvents.kind(e);
        if (kind.isEmpty()) {
            return;
        }
        outgoing.add(new Out(handoffId, kind.get(), e));
        if (RelayEvents.last(kind.get())) {
            watchedHere.remove(e.sessionId(), handoffId);
        }
        bg.run("relaying events to agents on other instances", this::drain);
    }

    /** Writes the queued events to the feed in order, one writer at a time; on failure they wait for the next poll. */
    void drain() {
        if (halted.getAsBoolean() || !draining.compareAndSet(false, true)) {
            return;
        }
        try {
            while (!outgoing.isEmpty() && !halted.getAsBoolean()) {
                List<Out> batch = new ArrayList<>();
                for (Out o; batch.size() < 200 && (o = outgoing.poll()) != null; ) {
                    batch.add(o);
                }
                try {
                    write(batch);
                } catch (RuntimeException ex) {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        outgoing.addFirst(batch.get(i));
                    }
                    throw ex;
                }
            }
        } finally {
            draining.set(false);
        }
    }

    private void write(List<Out> batch) {
        Instant now = t.now();
        t.jdbc().transaction("relaying " + batch.size() + " event(s) to agents on other instances", c -> {
            try (PreparedStatement p = c.prepareStatement(sql.feedSql())) {
                for (Out o : batch) {
                    p.setString(1, t.tenant());
                    p.setString(2, o.handoffId());
                    p.setString(3, o.event().sessionId().value());
                    p.setString(4, instanceId);
                    p.setString(5, o.kind());
                    p.setString(6, RelayEvents.write(o.event()));
                    p.setObject(7, Tenancy.ts(now));
                    p.setObject(8, Tenancy.ts(t.purgeAfter(now)));
                    p.setString(9, t.tenant());
                    p.setString(10, o.handoffId());
                    p.setString(11, instanceId);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
        for (String h : batch.stream().map(Out::handoffId).distinct().toList()) {   // committed: the watchers read them now
            bg.notifications().publish(PostgresAgentRelay.FEED_CHANNEL, t.tenant() + "/" + h);
        }
    }

    // ---- events back, on the watching side ----

    /** Reads the feed of the handoffs this instance watches and hands each new event to the relay listeners, in order. */
    void pollFeed() {
        if (halted.getAsBoolean() || watching.isEmpty()) {
            return;
        }
        if (!polling.tryLock()) {
            pollAgain.set(true);
            return;
        }
        try {
            do {
                pollAgain.set(false);
            } while ((readFeedOnce() || pollAgain.get()) && !halted.getAsBoolean());
        } finally {
            polling.unlock();
        }
    }

    /** True when a full page was read (more may follow). */
    private boolean readFeedOnce() {
        Map<String, Watch> now = Map.copyOf(watching);
        if (now.isEmpty()) {
            return false;
        }
        long from = now.values().stream().mapToLong(w -> w.cursor).min().orElse(0);
        List<Object[]> rows = t.jdbc().autoCommit("reading the agent feed", c -> {
            Array ids = c.createArrayOf("text", now.keySet().toArray());
            try (PreparedStatement p = c.prepareStatement(sql.readFeedSql())) {
                p.setString(1, t.tenant());
                p.setArray(2, ids);
                p.setLong(3, from);
                List<Object[]> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                    }
                }
                return out;
            }
        });
        for (Object[] r : rows) {
            long seq = (Long) r[0];
            Watch w = now.get((String) r[1]);
            if (w == null || seq <= w.cursor) {
                continue;
            }
            w.cursor = seq;
            String kind = (String) r[2];
            try {
                HandoffEvent e = RelayEvents.read(kind, (String) r[3]);
                for (HandoffListener l : listeners) {
                    try {
                        l.onEvent(e);
                    } catch (RuntimeException ex) {
                        LOG.warn("Agent relay listener {} failed on a {} event", l.getClass().getName(), kind, ex);
                    }
                }
            } catch (NonRetriableHandoffException ex) {
                LOG.warn("Skipping agent feed row {}: {}", seq, Texts.clean(ex.getMessage(), 200));
            }
            if (RelayEvents.last(kind)) {
                if (watching.remove((String) r[1], w)) {
                    w.recorded.complete(true);   // ended: whoever still waits goes on (its action is refused, explicitly)
                }
            }
        }
        return rows.size() == 500;
    }

}
