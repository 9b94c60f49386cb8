package dev.handoff.postgres;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.core.AgentRelay;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Notifications;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link AgentRelay} on PostgreSQL: an agent on one instance acts on a handoff another instance owns.
 *
 * <ul>
 *   <li><b>Actions</b> ({@link #remote}): each is a row in {@code agent_actions} naming the handoff, written with a
 *       {@code NOTIFY} on {@value #ACTION_CHANNEL}. The instance that owns the handoff ({@code handoffs.owner}, so the
 *       one that took it over after a crash too) claims its pending actions in order ({@code FOR UPDATE SKIP LOCKED},
 *       one claimer thread per instance), applies each through its own {@link AgentActions} and records the result
 *       in the same transaction, with a {@code NOTIFY} on {@value #RESULT_CHANNEL}: applied once (at least once only
 *       if the owner dies between applying and committing, as with the outbox). Both sides also poll.</li>
 *   <li><b>Events back</b>: the first {@code remote} call for a handoff records a watch ({@code agent_watches}, one
 *       row per handoff and watching instance) and sends a {@code WATCH} in the same transaction; from then on its owner
 *       writes the handoff's turns, commitments, reads, phases and outcome to {@code agent_feed} (one writer per
 *       instance, in order), and the watching instance hands them to its {@linkplain #addListener relay listeners}
 *       in order per handoff. The watch outlives the owner: an instance that takes the handoff over reads its watches
 *       in the takeover's transaction and writes the feed from the takeover's first event on ({@link RelayOwner}).</li>
 *   <li><b>Silence never</b>: an action no owner takes within {@link #DEFAULT_ACTION_TIMEOUT} (the owner died with
 *       the customer's connection, or nobody took its handoff over yet) is marked {@code EXPIRED}, never applied
 *       later, and the agent gets a {@link RetriableHandoffException} saying nothing was done.</li>
 * </ul>
 *
 * <p>Set on the Handoff by {@link PostgresHandoffStores#applyTo}. Thread-safe.
 */
public final class PostgresAgentRelay implements AgentRelay {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresAgentRelay.class);

    /** How long an agent's action waits for the owner instance before the agent is told nothing was done. */
    public static final Duration DEFAULT_ACTION_TIMEOUT = Duration.ofSeconds(10);
    static final String ACTION_CHANNEL = "handoff_agent_action";
    static final String RESULT_CHANNEL = "handoff_agent_result";
    static final String FEED_CHANNEL = "handoff_agent_feed";

    private final Tenancy t;
    private final String instanceId;
    private final Background bg;
    private final PostgresCommitmentLedger ledger;
    private final Duration pollInterval;
    private final Duration actionTimeout;
    private final AgentRelaySql sql;
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final AgentFeed feed;
    private final RelayOwner owner;
    private final HandoffListener ownerEvents;
    private volatile Host host;
    private volatile boolean halted;

    PostgresAgentRelay(Tenancy tenancy, String instanceId, Background background, PostgresCommitmentLedger ledger,
                       Duration pollInterval, Duration actionTimeout) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.bg = Objects.requireNonNull(background, "background");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.actionTimeout = Objects.requireNonNull(actionTimeout, "actionTimeout");
        this.sql = AgentRelaySql.of(tenancy);
        this.feed = new AgentFeed(tenancy, instanceId, background, sql, () -> halted);
        this.ownerEvents = feed::ownerEvent;
        this.owner = new RelayOwner(tenancy, instanceId, sql, feed, background.notifications(), () -> halted, () -> host);
        Notifications n = bg.notifications();
        n.subscribe(ACTION_CHANNEL, p -> forTenant(p).filter(instanceId::equals).ifPresent(x -> bg.run("applying agent actions", owner::applyPending)));
        n.subscribe(RESULT_CHANNEL, p -> forTenant(p).map(waiting::get).ifPresent(f -> f.complete(null)));
        n.subscribe(FEED_CHANNEL, p -> forTenant(p).filter(feed::watching).ifPresent(x -> bg.run("reading the agent feed", feed::pollFeed)));
        n.onReconnect(() -> {
            waiting.values().forEach(f -> f.complete(null));
            bg.run("applying agent actions", owner::applyPending);
            bg.run("reading the agent feed", feed::pollFeed);
        });
    }

    @Override
    public synchronized void attach(Host h) {
        if (host != null) {
            throw new IllegalStateException("this agent relay already serves a Handoff; build one PostgresHandoffStores per Handoff");
        }
        host = Objects.requireNonNull(h, "host");
        bg.attach(h.scheduler());
        h.addListener(ownerEvents);
        bg.every(pollInterval, "agent relay poll", () -> {
            owner.applyPending();
            feed.pollFeed();
            if (feed.pending()) {
                feed.drain();
            }
        });
        bg.notifications().start();
    }

    @Override
    public void close() {
        halted = true;
        Host h = host;
        if (h != null) {
            h.removeListener(ownerEvents);
        }
        waiting.values().forEach(f -> f.complete(null));
    }

    /** For tests: stops claiming, relaying and polling at once, as a crashed instance would (nothing is finished). */
    public void halt() {
        halted = true;
    }

    @Override
    public void addListener(HandoffListener listener) {
        feed.addListener(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(HandoffListener listener) {
        feed.removeListener(listener);
    }

    AgentFeed feedForTests() {
        return feed;
    }

    /** Claims and applies the pending actions of the handoffs this instance owns (the poll does it; tests call it). */
    void applyPending() {
        owner.applyPending();
    }

    /** What a takeover of a watched handoff needs from the relay (set on the ownership by the stores). */
    PostgresHandoffOwnership.Watches takeoverWatches() {
        return owner;
    }

    PostgresCommitmentLedger ledger() {
        return ledger;
    }

    // ---- the agent's side ----

    /**
     * {@inheritDoc} Reads the {@code handoffs} row of the context (one indexed query); the first call for a handoff
     * also records the watch and asks its owner to relay its events here (one transaction, before it returns, so
     * the events of the agent's first action are relayed too).
     */
    @Override
    public Optional<AgentActions> remote(String contextId) {
        Objects.requireNonNull(contextId, "contextId");
        if (halted || contextId.length() > 200) {
            return Optional.empty();
        }
        String[] row = t.jdbc().autoCommit("finding the handoff of context " + Texts.clean(contextId, 80), c -> {
            try (PreparedStatement p = c.prepareStatement(sql.findSql())) {
                p.setString(1, t.tenant());
                p.setString(2, contextId);
                p.setString(3, t.tenant());
                p.setString(4, contextId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)} : null;
                }
            }
        });
        if (row == null || instanceId.equals(row[2]) || (row[3] != null && !row[3].equals("CONNECTED"))) {
            return Optional.empty();   // unknown, run here (and ended here), or returned to the bot
        }
        RemoteAgentActions actions = new RemoteAgentActions(this, row[0], SessionId.of(row[1]), contextId, row[2], null);
        AgentFeed.WatchClaim claim = feed.watch(row[0], SessionId.of(row[1]));
        if (claim.first()) {
            // on the caller's thread, before the handle is returned: the agent's first action comes after the WATCH in
            // the owner's order, so the events it causes are relayed too
            try {
                insert(actions, "WATCH", "relay", null, null, null, null);
            } catch (RuntimeException e) {
                feed.unwatch(row[0], claim);   // not recorded: the next remote call for it asks again
                throw e;
            }
            claim.recorded().complete(true);
        } else if (!watchRecorded(claim.recorded(), row[0])) {
            return remote(contextId);   // the first caller's WATCH failed and was dropped: this call asks
        }
        return Optional.of(actions);
    }

    /**
     * Waits for another caller's WATCH of the same handoff (a second desk request at the same moment), so that this
     * caller's first action, too, comes after it in the owner's order.
     *
     * @return false when that WATCH failed
     */
    private boolean watchRecorded(CompletableFuture<Boolean> first, String handoffId) {
        try {
            return first.get(actionTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RetriableHandoffException("the watch of handoff " + handoffId + " by this instance was not recorded within "
                    + actionTimeout.toMillis() + " ms; nothing was done, retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableHandoffException("interrupted while waiting for the watch of handoff " + handoffId + "; nothing was done");
        } catch (ExecutionException e) {
            return false;   // never completed exceptionally; read as failed
        }
    }

    /** Writes the action and waits for the owner's answer; see {@link RemoteAgentActions}. */
    String submitAndWait(RemoteAgentActions a, String kind, String agentId, String address, String commitmentId, String body) {
        if (halted) {
            throw new RetriableHandoffException("this instance is shutting down; nothing was done on handoff " + a.handoffId());
        }
        CompletableFuture<Void> signal = new CompletableFuture<>();
        String actionId = insert(a, kind, agentId, address, commitmentId, body, signal);
        try {
            long deadline = System.nanoTime() + actionTimeout.toNanos();
            CompletableFuture<Void> next = signal;
            while (true) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    try {
                        next.get(Math.min(left, pollInterval.toNanos()), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        // poll: the notification may have been lost
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e);
                    }
                }
                String[] r = read(actionId);
                switch (r[0]) {
                    case "APPLIED":
                        return r[1];
                    case "REFUSED":
                        throw RemoteAgentActions.refusal(r[1]);
                    case "EXPIRED":
                        throw RemoteAgentActions.unanswered(a.handoffId(), a.owner(), actionTimeout);
                    default:
                        break;
                }
                if (deadline - System.nanoTime() <= 0 && expire(actionId)) {
                    LOG.warn("Agent action {} ({}) on handoff {} was not taken by its owner {} within {}; the agent was told",
                            actionId, kind, a.handoffId(), a.owner(), actionTimeout);
                    throw RemoteAgentActions.unanswered(a.handoffId(), a.owner(), actionTimeout);
                }
                if (next.isDone()) {
                    next = new CompletableFuture<>();
                    waiting.put(actionId, next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            expire(actionId);
            throw new RetriableHandoffException("interrupted while waiting for the owner of handoff " + a.handoffId());
        } finally {
            waiting.remove(actionId);
        }
    }

    private String insert(RemoteAgentActions a, String kind, String agentId, String address, String commitmentId, String body,
                          CompletableFuture<Void> signal) {
        String actionId = "aa-" + UUID.randomUUID();
        if (signal != null) {
            waiting.put(actionId, signal);
        }
        Instant now = t.now();
        t.jdbc().transaction("sending a " + kind + " to the owner of handoff " + a.handoffId(), c -> {
            try (PreparedStatement p = c.prepareStatement(sql.submitSql())) {
                int i = 1;
                p.setString(i++, t.tenant());
                p.setString(i++, actionId);
                p.setString(i++, a.handoffId());
                p.setString(i++, a.sessionId().value());
                p.setString(i++, a.contextId());
                p.setString(i++, instanceId);
                p.setString(i++, agentId);
                p.setString(i++, address);
                p.setString(i++, kind);
                p.setString(i++, commitmentId);
                p.setString(i++, body);
                p.setObject(i++, Tenancy.ts(now));
                p.setObject(i, Tenancy.ts(t.purgeAfter(now)));
                p.executeUpdate();
            }
            if (kind.equals("WATCH")) {   // kept beside the action, so the instance that takes the handoff over finds it
                try (PreparedStatement p = c.prepareStatement(sql.watchSql())) {
                    p.setString(1, t.tenant());
                    p.setString(2, a.handoffId());
                    p.setString(3, instanceId);
                    p.setString(4, a.sessionId().value());
                    p.setObject(5, Tenancy.ts(now));
                    p.setObject(6, Tenancy.ts(t.purgeAfter(now)));
                    p.executeUpdate();
                }
            }
            return null;
        });
        bg.notifications().publish(ACTION_CHANNEL, t.tenant() + "/" + a.owner());   // committed: the owner applies it now
        return actionId;
    }

    private String[] read(String actionId) {
        return t.jdbc().autoCommit("reading agent action " + actionId, c -> {
            try (PreparedStatement p = c.prepareStatement(sql.readSql())) {
                p.setString(1, t.tenant());
                p.setString(2, actionId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[] {"EXPIRED", null};
                }
            }
        });
    }

    /** True when the action was still pending and is now expired (so never applied). */
    private boolean expire(String actionId) {
        return t.jdbc().autoCommit("expiring agent action " + actionId, c -> {
            try (PreparedStatement p = c.prepareStatement(sql.expireSql())) {
                p.setObject(1, Tenancy.ts(t.now()));
                p.setString(2, t.tenant());
                p.setString(3, actionId);
                return p.executeUpdate() == 1;
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
}
