package dev.handoff.core.store;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;

/**
 * Keeps contexts in memory: fast, lost on restart. The default {@link ContextStore}.
 *
 * <p>Each context is kept for a retention period from when it was stored, and then forgotten: reads stop returning it
 * at once, and its memory is released by later writes (each write drops the contexts whose time is up, oldest first),
 * so memory follows the handoffs of the last retention period rather than every handoff the process ever served, and
 * transcripts (which may hold PHI) do not outlive it. {@link dev.handoff.core.Handoff.Builder} makes its default store
 * with the context TTL ({@code contextTtl}, 24 hours unless set) plus {@link #AFTER_EXPIRY} as the retention: a
 * context kept longer would no longer verify, and the extra hour lets an agent who comes late be told that the
 * context expired, and when, rather than that it is unknown. A multi-instance or durable deployment uses
 * handoff-postgres' store, which has its own retention.
 */
public final class InMemoryContextStore implements ContextStore {

    /** How long the builder's default store keeps a context after its signature expired: one hour. */
    public static final Duration AFTER_EXPIRY = Duration.ofHours(1);

    /** Retention of the no-argument constructor: 25 hours, the default context TTL plus {@link #AFTER_EXPIRY}. */
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(24).plus(AFTER_EXPIRY);

    private final ConcurrentMap<String, Kept> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, Kept> latest = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Kept> byAge = new ConcurrentLinkedQueue<>();
    private final Duration retention;
    private final Clock clock;

    /** A store keeping contexts for {@link #DEFAULT_RETENTION} on the system clock. */
    public InMemoryContextStore() {
        this(DEFAULT_RETENTION, Clock.systemUTC());
    }

    /**
     * A store keeping each context for {@code retention} after it was stored, by {@code clock}.
     *
     * @param retention how long a context is kept; positive
     * @param clock     the clock the retention is measured by
     * @throws IllegalArgumentException when {@code retention} is zero or negative
     */
    public InMemoryContextStore(Duration retention, Clock clock) {
        dev.handoff.core.internal.Checks.positive("retention", retention);
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void put(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        Instant now = clock.instant();
        Kept kept = new Kept(context, now.plus(retention));
        byId.put(context.contextId(), kept);
        latest.merge(context.sessionId(), kept,
                (old, neu) -> neu.context().createdAt().isBefore(old.context().createdAt()) && old.liveAt(now) ? old : neu);
        byAge.add(kept);
        forgetExpired(now);
    }

    @Override
    public Optional<HandoffContext> get(String contextId) {
        return live(byId.get(contextId));
    }

    @Override
    public Optional<HandoffContext> latest(SessionId session) {
        return live(latest.get(session));
    }

    /**
     * How many contexts the store holds now, including any past their retention that no write has dropped yet.
     *
     * @return the number of contexts held
     */
    public int size() {
        return byId.size();
    }

    private Optional<HandoffContext> live(Kept kept) {
        return kept != null && kept.liveAt(clock.instant()) ? Optional.of(kept.context()) : Optional.empty();
    }

    /** Drops the contexts whose retention ended, oldest first; the queue is in storing order, so it stops at a live one. */
    private void forgetExpired(Instant now) {
        for (Kept head = byAge.peek(); head != null && !head.liveAt(now); head = byAge.peek()) {
            if (byAge.remove(head)) {
                byId.remove(head.context().contextId(), head);
                latest.remove(head.context().sessionId(), head);
            }
        }
    }

    /** A stored context and the instant it is forgotten. */
    private record Kept(HandoffContext context, Instant until) {
        boolean liveAt(Instant now) {
            return now.isBefore(until);
        }
    }
}
