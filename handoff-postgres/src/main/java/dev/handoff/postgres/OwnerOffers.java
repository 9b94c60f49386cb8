package dev.handoff.postgres;

import dev.handoff.api.HandoffException;
import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.TransferListener;
import dev.handoff.core.Scheduler;
import dev.handoff.core.context.Tickets;
import dev.handoff.postgres.internal.Background;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The owner's side of {@link PostgresChatQueues}' offers: each transfer stage this instance waits on, the
 * {@code offers} row it stores (once its handoff is recorded), the expiry timer, withdrawal, completing the stage when
 * an agent on any instance accepted, and adopting the open offer of a handoff taken over from a dead instance.
 * Called by the orchestrator ({@link #transfer}), the queues' poll and notifications ({@link #refresh}) and the
 * takeover ({@link #adopt}); the database work runs on the module's database threads. Thread-safe.
 */
final class OwnerOffers {

    private final Tenancy t;
    private final String instanceId;
    private final Background bg;
    private final ChatQueueSql sql;
    private final Supplier<Tickets> tickets;
    private final LocalAgents local;
    private final Duration acceptTimeout;
    private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Runnable takenOver = () -> { };
    private volatile Function<SessionId, CompletionStage<Void>> recorded = session -> CompletableFuture.completedFuture(null);

    /**
     * The agents of this instance: one waiting on the queue is given an offer stored here by its insert, the others are
     * told about it so that they need not wait for its notification.
     */
    interface LocalAgents {
        /** An agent of this instance waiting on {@code queue}, taken off its waiting list for the insert, or null. */
        PostgresAgentQueue.Waiter reserve(String queue);

        /**
         * After the insert, when it did not claim the offer for the {@code reserved} agent (who waits again): committed,
         * or not; {@code announced} when its notification will be published once this returns (an agent of the queue is
         * signed in on another instance), not when it was not committed or nobody else could take it.
         */
        void stored(String queue, String offerId, boolean committed, boolean announced, PostgresAgentQueue.Waiter reserved);

        /** After an insert that committed the offer claimed for the {@code reserved} agent: hands it to her. */
        void storedFor(String queue, PostgresAgentQueue.Waiter reserved, String offerId, TransferRequest request);
    }

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

    /**
     * @param tickets    the Handoff's tickets (offers keep their ticket unsigned and are signed again here)
     * @param local      this instance's agents, told about each offer stored here
     * @param acceptTimeout how long an agent given an offer by its insert has to accept it (as after a claim)
     */
    OwnerOffers(Tenancy tenancy, String instanceId, Background background, ChatQueueSql sql, Supplier<Tickets> tickets,
                LocalAgents local, Duration acceptTimeout) {
        this.t = Objects.requireNonNull(tenancy, "tenancy");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.bg = Objects.requireNonNull(background, "background");
        this.sql = Objects.requireNonNull(sql, "sql");
        this.tickets = Objects.requireNonNull(tickets, "tickets");
        this.local = Objects.requireNonNull(local, "local");
        this.acceptTimeout = Objects.requireNonNull(acceptTimeout, "acceptTimeout");
    }

    /** What an offer waits for before it is stored: its handoff recorded where a takeover finds it. */
    void onRecorded(Function<SessionId, CompletionStage<Void>> task) {
        this.recorded = Objects.requireNonNull(task, "task");
    }

    /** Runs when this instance finds an offer of its own taken over by another instance (a handoff it lost). */
    void onTakenOver(Runnable task) {
        this.takenOver = Objects.requireNonNull(task, "task");
    }

    /** Whether this instance waits on the offer (a notification about another instance's offer is not ours). */
    boolean waitsOn(String offerId) {
        return pending.containsKey(offerId);
    }

    /** Reads every open offer of this instance (the poll). */
    void refreshAll() {
        if (!pending.isEmpty()) {
            refresh(List.copyOf(pending.keySet()));
        }
    }

    /** Offers the conversation to every instance's agents; cancelling the stage withdraws the offer. */
    CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener) {
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

    /** What an offer's insert wrote: claimed for the reserved agent, or waiting (and then whether it is announced). */
    private record Stored(boolean claimed, boolean announce) {
    }

    private void insert(Pending p) {
        Stored stored;
        String queue = p.request.target().address();
        PostgresAgentQueue.Waiter agent = null;
        synchronized (p) {
            if (p.result.isDone()) {
                return;
            }
            TransferRequest r = p.request;
            int rank = r.priority() == Priority.URGENT || r.priority() == Priority.HIGH ? 1 : 0;
            Instant now = t.now();
            try {
                String unsigned = tickets.get().unsigned(r.ticket());
                // an agent of this instance waiting on the queue gets the offer from its insert: no claim statement follows
                PostgresAgentQueue.Waiter taker = local.reserve(queue);
                agent = taker;
                stored = t.jdbc().autoCommit("offering session " + r.sessionId() + " to queue " + queue, c -> {
                    try (PreparedStatement s = c.prepareStatement(sql.insert())) {
                        s.setString(1, taker == null ? null : taker.agentId());
                        s.setObject(2, Tenancy.ts(now.plus(acceptTimeout)));
                        s.setString(3, t.tenant());
                        s.setString(4, queue);
                        s.setObject(5, Tenancy.ts(now));
                        s.setInt(6, rank);
                        s.setString(7, t.tenant());
                        s.setString(8, p.offerId);
                        s.setString(9, queue);
                        s.setString(10, r.sessionId().value());
                        s.setString(11, r.contextId());
                        s.setString(12, unsigned);
                        s.setString(13, r.target().id());
                        s.setString(14, r.priority().name());
                        s.setInt(15, rank);
                        s.setLong(16, r.timeout().toMillis());
                        s.setString(17, instanceId);
                        s.setObject(18, Tenancy.ts(now));
                        s.setObject(19, Tenancy.ts(now.plus(r.timeout())));
                        s.setObject(20, Tenancy.ts(t.purgeAfter(now)));
                        s.setString(21, t.tenant());
                        s.setString(22, queue);
                        s.setString(23, instanceId);
                        s.setObject(24, Tenancy.ts(now));
                        try (ResultSet rs = s.executeQuery()) {
                            rs.next();
                            return new Stored(rs.getString(1).equals("CLAIMED"), rs.getBoolean(2));
                        }
                    }
                });
                p.inserted = true;
            } catch (HandoffException e) {
                local.stored(queue, p.offerId, false, false, agent);
                p.result.complete(TransferResult.failed(TransferResult.Outcome.FAILED, r.target(), r.mode(), null,
                        "the offer could not be stored: " + Texts.clean(e.getMessage(), 200), t.now()));
                return;
            } catch (RuntimeException e) {
                local.stored(queue, p.offerId, false, false, agent);   // the reserved agent waits again
                throw e;
            }
        }
        if (stored.claimed()) {
            local.storedFor(queue, agent, p.offerId, p.request);   // for nobody else: not announced
            return;
        }
        boolean announce = stored.announce();
        local.stored(queue, p.offerId, true, announce, agent);   // an agent of this instance may be waiting: no need to wait
        if (announce) {
            // then other instances' agents: published after this instance's agents are woken, so the notification, which
            // comes back here too, always finds the offer served (PostgresChatQueues.offersChanged). Only when one of
            // them has an agent of the queue signed in: in a deployment whose agents are all on the storing instance
            // (one instance, or one per queue) the notification would cost a transaction and a wake-up of every
            // listening connection, and wake nobody. An agent who signs in elsewhere while the insert runs may see the
            // offer at its instance's next poll instead (QueueAnnouncementTest)
            bg.notifications().publish(PostgresChatQueues.OFFERS_CHANNEL, t.tenant() + "/" + queue + "/" + p.offerId);
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

    /**
     * An offer's row as the owner needs it: read by {@link #refresh}, or carried by the claim's and the accept's
     * notification ({@link #fromNotification}), which the database delivers once that write has committed.
     */
    record OfferState(String offerId, String state, String agent, int claims, String owner) {
    }

    /**
     * Reads an {@link OfferState} from a notification's payload after the tenant: {@code offerId/STATE/claims/owner/agent}
     * (every part a code without '/', see {@code Texts.requireCode}); empty for any other shape, which the caller
     * answers with a {@link #refresh} as before.
     */
    static java.util.Optional<OfferState> fromNotification(String payload) {
        String[] part = payload.split("/", -1);
        if (part.length != 5 || part[0].isEmpty() || part[3].isEmpty() || part[4].isEmpty()
                || !(part[1].equals("CLAIMED") || part[1].equals("ACCEPTED"))) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new OfferState(part[0], part[1], part[4], Integer.parseInt(part[2]), part[3]));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** Reads the owner's open offers and completes the ones an agent accepted. */
    void refresh(List<String> offerIds) {
        List<OfferState> rows = t.jdbc().autoCommit("reading " + offerIds.size() + " open offer(s)", c -> {
            try (PreparedStatement s = c.prepareStatement(sql.refresh())) {
                s.setString(1, t.tenant());
                s.setArray(2, c.createArrayOf("text", offerIds.toArray()));
                List<OfferState> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OfferState(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5)));
                    }
                }
                return out;
            }
        });
        rows.forEach(this::apply);
    }

    /** Completes the stage of an offer an agent accepted, reports a claim once; an offer not waited on here is ignored. */
    void apply(OfferState row) {
        Pending p = pending.get(row.offerId());
        if (p == null) {
            return;
        }
        TransferRequest r = p.request;
        if (!row.owner().equals(instanceId)) {
            // another instance took the handoff over (only a takeover moves an offer): the stage is left open for
            // the ownership to find out and stop the handoff here with OWNER_LOST, never to try a next target
            takenOver.run();
            return;
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
        TransferRequest request = new TransferRequest(session, row.contextId(), tickets.get().sign(row.unsignedTicket()), target, TransferMode.QUEUE,
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
    int size() {
        return pending.size();
    }
}
