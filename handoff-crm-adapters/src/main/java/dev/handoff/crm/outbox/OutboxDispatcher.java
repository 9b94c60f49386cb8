package dev.handoff.crm.outbox;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.core.internal.Checks;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore;
import dev.handoff.core.store.OutboxStore.Claim;
import dev.handoff.crm.transport.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the durable outbox to the CRM adapters on its own worker threads, so moving the call never waits
 * on a CRM. The one dispatcher for every {@link OutboxStore}: {@link FileOutbox} in one process, or
 * {@code PostgresOutbox} (handoff-postgres) shared by any number of instances, each running a dispatcher.
 *
 * <p>{@link #submit} writes one entry per adapter to the store (durable when it returns) and wakes a worker. Each
 * worker {@linkplain OutboxStore#claimDue claims} due entries for the adapters registered here with a
 * {@link Builder#lease lease}, calls {@link CrmAdapter#push} with the entry's idempotency key, and then marks the
 * entry acknowledged on success, retries a {@link RetriableHandoffException} after the CRM's {@code Retry-After} or
 * an exponential back-off (default 1 s doubling to 5 minutes, jittered) for as long as it takes, and moves a
 * {@link NonRetriableHandoffException} to the dead letters. An idle worker sleeps until a submit, the next retry it
 * scheduled, or the {@link Builder#pollInterval poll interval} (which is how entries appended by other instances, and
 * entries whose claim ran out with a dead instance, are found). After a restart, {@link #start} finds every pending
 * entry in the store.
 *
 * <p>While the store itself is unavailable (a database that is down or read-only), {@link #submit} throws the
 * store's {@link RetriableHandoffException} and the workers log it and try again after the poll interval: nothing
 * stored is lost. A push the CRM took whose acknowledgement could not be written is pushed again after its lease
 * runs out, with the same idempotency key.
 *
 * <p>Tracing: with a {@link Builder#propagator propagator} (handoff-opentelemetry's {@code HandoffTracing}, the one
 * given to {@code Handoff.builder().propagator(...)}), {@link #submit} keeps with each entry the W3C trace context
 * ({@code traceparent}, {@code tracestate}) of the submitting session's running handoff, and every delivery attempt,
 * the first and each retry, on whichever instance and after any restart, runs with that context current
 * ({@link HandoffPropagator#resume}): a {@code TraceparentInterceptor} on the adapter's HTTP client writes it into the
 * push. An entry without one (none captured, or a malformed stored value, which is dropped) is pushed without.
 *
 * <p>Thread-safe. Entries for adapters that are not registered here stay pending, untouched, for a dispatcher that
 * has them.
 */
public final class OutboxDispatcher implements AutoCloseable {

    /** Default back-off between delivery attempts: 1 s doubling to 5 minutes, jitter [0.75, 1). */
    public static final RetryPolicy DEFAULT_RETRY_POLICY = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), 2.0,
            Duration.ofMinutes(5), 0.75, Duration.ofHours(1));
    /** Default number of worker threads: 1. */
    public static final int DEFAULT_WORKERS = 1;
    /**
     * Default claim lease: 2 minutes, longer than {@code CrmHttpClient}'s default call timeout with its retries. An
     * entry claimed by an instance that died is claimed again once it runs out.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
    /** Default time an idle worker waits before looking at the store again: 1 s. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Default number of entries one worker claims at a time: 10. */
    public static final int DEFAULT_CLAIM_BATCH = 10;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private final OutboxStore outbox;
    private final Map<String, CrmAdapter> adapters;
    private final Set<String> adapterNames;
    private final RetryPolicy retryPolicy;
    private final OutboxListener listener;
    private final OutboxTrace trace;
    private final DoubleSupplier random;
    private final int workerCount;
    private final Duration lease;
    private final Duration pollInterval;
    private final int claimBatch;
    private final List<Thread> workers = new ArrayList<>();
    private final IdleWait idle;
    private final OutboxDelivery delivery;
    private volatile boolean running;

    private OutboxDispatcher(Builder b) {
        this.outbox = b.outbox;
        this.adapters = Map.copyOf(b.adapters);
        this.adapterNames = Set.copyOf(b.adapters.keySet());
        this.retryPolicy = b.retryPolicy;
        this.listener = b.listener;
        this.trace = new OutboxTrace(b.propagator);
        this.random = b.random;
        this.workerCount = b.workers;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.claimBatch = b.claimBatch;
        this.idle = new IdleWait(b.pollInterval.toNanos());
        this.delivery = new OutboxDelivery(outbox, adapters, retryPolicy, listener, trace, random, idle, () -> running);
    }

    /** Starts a builder on a store: a {@link FileOutbox}, a {@code PostgresOutbox} or another {@link OutboxStore}. */
    public static Builder builder(OutboxStore outbox) {
        return new Builder(outbox);
    }

    /**
     * The idempotency key of one context's push to one adapter: {@code <adapter>:<contextId>}, or a name-based
     * UUID of that when the context id has characters a header cannot carry. The same for every attempt and
     * across restarts.
     */
    public static String idempotencyKey(String adapter, String contextId) {
        String key = adapter + ":" + contextId;
        return SAFE_KEY.matcher(key).matches() ? key
                : adapter + ":" + UUID.nameUUIDFromBytes(contextId.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts the workers; they pick up every pending entry in the store (those left by a previous run too). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread t = new Thread(this::work, "handoff-crm-outbox-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /**
     * Writes the context for every registered adapter and returns once the store holds it durably; delivery happens
     * on the workers.
     *
     * @return the entries written, one per adapter (an entry already pending under the same key is returned as is)
     * @throws RetriableHandoffException when the store cannot take the write now (disk full, database down or
     *                                   read-only); entries written for earlier adapters of this call stay and are
     *                                   not written twice when the call is repeated
     */
    public List<OutboxEntry> submit(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        Map<String, String> traceFields = trace.capture(context);
        List<OutboxEntry> entries = new ArrayList<>();
        for (String name : adapters.keySet()) {
            entries.add(outbox.append(name, idempotencyKey(name, context.contextId()), context, traceFields));
        }
        idle.signal();
        LOG.debug("Outbox accepted context {} for {}", context.contextId(), adapters.keySet());
        return entries;
    }

    /**
     * Writes a human's verdict on one commitment for every registered adapter, durable when it returns: the context
     * (whose commitment {@code commitmentId} carries the verdict) under {@link OutboxEntry#verdictKey} of the context's
     * own key, so a repeated verdict is one entry, and the workers deliver it with {@link CrmAdapter#pushVerdict}.
     *
     * @throws IllegalArgumentException  when the context has no such commitment, or it carries no verdict yet
     * @throws RetriableHandoffException when the store cannot take the write now (as {@link #submit})
     */
    public List<OutboxEntry> submitVerdict(HandoffContext context, String commitmentId) {
        Objects.requireNonNull(context, "context");
        dev.handoff.api.Commitment verdict = context.commitments().stream().filter(c -> c.id().equals(commitmentId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("context " + context.contextId() + " has no commitment " + commitmentId));
        if (verdict.status() == dev.handoff.api.Commitment.Status.PENDING_VERIFICATION) {
            throw new IllegalArgumentException("commitment " + commitmentId + " of context " + context.contextId() + " has no verdict yet");
        }
        Map<String, String> traceFields = trace.capture(context);
        List<OutboxEntry> entries = new ArrayList<>();
        for (String name : adapters.keySet()) {
            entries.add(outbox.append(name, OutboxEntry.verdictKey(idempotencyKey(name, context.contextId()), verdict), context, traceFields));
        }
        idle.signal();
        LOG.debug("Outbox accepted the verdict on commitment {} of context {} for {}", commitmentId, context.contextId(), adapters.keySet());
        return entries;
    }

    /**
     * This dispatcher seen as one {@link CrmAdapter}, for {@code Handoff.builder().crmAdapter(...)}: the handoff's
     * push is written to the outbox and returns once it is stored (moving the call never waits on a CRM, and a CRM
     * outage or a restart loses nothing), and so is each verdict on a commitment ({@link #submitVerdict}); the profile
     * lookup asks each registered adapter in name order and returns the first profile found (a failing adapter is
     * skipped, since the lookup is optional).
     */
    public CrmAdapter asCrmAdapter() {
        return new OutboxCrmAdapter(this, adapters);
    }

    /**
     * How many entries are waiting in the store (for every adapter and, on a shared store, every instance).
     *
     * @throws RetriableHandoffException while the store is unavailable
     */
    public int pendingCount() {
        return outbox.pendingCount();
    }

    /**
     * Stops the workers (waiting up to 5 s for an attempt in progress). Pending entries stay in the store; entries
     * claimed and not attempted are released.
     */
    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            toJoin = List.copyOf(workers);
            workers.clear();
        }
        toJoin.forEach(Thread::interrupt);
        for (Thread t : toJoin) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        idle.clear();
    }

    private void work() {
        while (running) {
            long seen = idle.seen();
            List<Claim> claims;
            long claimedAt = System.nanoTime();
            try {
                claims = outbox.claimDue(adapterNames, claimBatch, lease);
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Outbox store unavailable; trying again in {} ms: {}", pollInterval.toMillis(), e.getMessage());
                idle.await(seen, true, () -> running);
                continue;
            }
            for (int i = 0; i < claims.size(); i++) {
                if (!running || System.nanoTime() - claimedAt > lease.toNanos() / 2) {
                    // stopping, or slow pushes used half the lease: give the rest back before another instance takes them
                    claims.subList(i, claims.size()).forEach(delivery::releaseQuietly);
                    break;
                }
                delivery.deliver(claims.get(i));
            }
            if (claims.isEmpty()) {
                idle.await(seen, false, () -> running);
            }
        }
    }

/** Builds an {@link OutboxDispatcher}. */
    public static final class Builder {
        private final OutboxStore outbox;
        private final Map<String, CrmAdapter> adapters = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private OutboxListener listener = new OutboxListener() {
        };
        private HandoffPropagator propagator = HandoffPropagator.NONE;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private int workers = DEFAULT_WORKERS;
        private Duration lease = DEFAULT_LEASE;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private int claimBatch = DEFAULT_CLAIM_BATCH;

        private Builder(OutboxStore outbox) {
            this.outbox = Objects.requireNonNull(outbox, "outbox");
        }

        /** Registers an adapter; names must be unique. At least one. */
        public Builder adapter(CrmAdapter value) {
            Objects.requireNonNull(value, "adapter");
            if (adapters.putIfAbsent(value.name(), value) != null) {
                throw new ConfigurationException("Two CRM adapters are named \"" + value.name() + "\"; adapter names must be unique");
            }
            return this;
        }

        /** Back-off between delivery attempts (its maxAttempts is ignored); default {@link #DEFAULT_RETRY_POLICY}. */
        public Builder retryPolicy(RetryPolicy value) {
            this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        /** Default: none. */
        public Builder listener(OutboxListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        /**
         * Carries the trace context of the handoff that submits a push onto every delivery attempt of it: pass the
         * propagator given to {@code Handoff.builder().propagator(...)} (handoff-opentelemetry's
         * {@code HandoffTracing}). {@link #submit} keeps its W3C fields for the context's session with each entry;
         * each attempt runs inside {@link HandoffPropagator#resume} of them. Default {@link HandoffPropagator#NONE}:
         * nothing is kept and stored trace contexts are ignored.
         */
        public Builder propagator(HandoffPropagator value) {
            this.propagator = Objects.requireNonNull(value, "propagator");
            return this;
        }

        /** Source of jitter in {@code [0, 1)}; default {@link ThreadLocalRandom}. */
        public Builder random(DoubleSupplier value) {
            this.random = Objects.requireNonNull(value, "random");
            return this;
        }

        /** Worker threads; default {@link #DEFAULT_WORKERS} (1). */
        public Builder workers(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("workers must be in [1, 64], was " + value);
            }
            this.workers = value;
            return this;
        }

        /**
         * How long a claimed entry stays with this dispatcher; default {@link #DEFAULT_LEASE}. Longer than the slowest
         * push (the adapter's call timeout with its retries), or another instance pushes the entry again meanwhile.
         *
         * @throws IllegalArgumentException when under 1 second or over 1 hour
         */
        public Builder lease(Duration value) {
            this.lease = Checks.within("lease", value, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /**
         * How long an idle worker waits before looking at the store again; default {@link #DEFAULT_POLL_INTERVAL}. A
         * submit here wakes it at once; entries appended by other instances are found by this poll.
         *
         * @throws IllegalArgumentException when under 10 ms or over 1 minute
         */
        public Builder pollInterval(Duration value) {
            this.pollInterval = Checks.within("pollInterval", value, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        /**
         * Entries one worker claims at a time; default {@link #DEFAULT_CLAIM_BATCH}. The lease covers the whole batch.
         *
         * @throws IllegalArgumentException when not 1 to 1000
         */
        public Builder claimBatch(int value) {
            if (value < 1 || value > 1000) {
                throw new IllegalArgumentException("claimBatch must be in [1, 1000], was " + value);
            }
            this.claimBatch = value;
            return this;
        }

        /**
         * The dispatcher; it delivers nothing until started.
         *
         * @return the dispatcher
         * @throws IllegalStateException when no CRM adapter was given
         */
        public OutboxDispatcher build() {
            if (adapters.isEmpty()) {
                throw new IllegalStateException("an outbox dispatcher needs at least one CRM adapter");
            }
            return new OutboxDispatcher(this);
        }
    }
}
