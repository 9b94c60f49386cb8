package dev.handoff.crm.outbox;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.HandoffException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the durable outbox to the CRM adapters on its own worker threads, so moving the call never waits
 * on a CRM.
 *
 * <p>{@link #submit} writes one entry per adapter to the {@link FileOutbox} (forced to disk) and returns; the
 * workers call {@link CrmAdapter#push} with the entry's idempotency key, mark the entry acknowledged on success,
 * retry a {@link RetriableHandoffException} after the CRM's {@code Retry-After} or an exponential back-off (default
 * 1 s doubling to 5 minutes, jittered) for as long as it takes, and move a {@link NonRetriableHandoffException} to
 * the dead-letter file. After a restart, {@link #start} picks up every pending entry from the journal.
 *
 * <p>Thread-safe. Entries for adapters that are not registered stay pending, untouched, with a warning.
 */
public final class OutboxDispatcher implements AutoCloseable {

    /** Default back-off between delivery attempts: 1 s doubling to 5 minutes, jitter [0.75, 1). */
    public static final RetryPolicy DEFAULT_RETRY_POLICY = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), 2.0,
            Duration.ofMinutes(5), 0.75, Duration.ofHours(1));
    /** Default number of worker threads: 1. */
    public static final int DEFAULT_WORKERS = 1;

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final Pattern SAFE_KEY = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private final FileOutbox outbox;
    private final Map<String, CrmAdapter> adapters;
    private final RetryPolicy retryPolicy;
    private final OutboxListener listener;
    private final DoubleSupplier random;
    private final int workerCount;
    private final DelayQueue<Scheduled> queue = new DelayQueue<>();
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    private OutboxDispatcher(Builder b) {
        this.outbox = b.outbox;
        this.adapters = Map.copyOf(b.adapters);
        this.retryPolicy = b.retryPolicy;
        this.listener = b.listener;
        this.random = b.random;
        this.workerCount = b.workers;
    }

    public static Builder builder(FileOutbox outbox) {
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

    /** Starts the workers and schedules every pending entry in the outbox (those left by a previous run too). */
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
        for (OutboxEntry entry : outbox.pending()) {
            schedule(entry, 0, Duration.ZERO);
        }
    }

    /**
     * Writes the context for every registered adapter and returns once it is on disk; delivery happens on the
     * workers.
     *
     * @return the entries written, one per adapter
     * @throws RetriableHandoffException when the outbox cannot write to disk
     */
    public List<OutboxEntry> submit(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        List<OutboxEntry> entries = new ArrayList<>();
        for (String name : adapters.keySet()) {
            OutboxEntry entry = outbox.append(name, idempotencyKey(name, context.contextId()), context);
            entries.add(entry);
            if (running) {
                schedule(entry, 0, Duration.ZERO);
            }
        }
        LOG.debug("Outbox accepted context {} for {}", context.contextId(), adapters.keySet());
        return entries;
    }

    /**
     * This dispatcher seen as one {@link CrmAdapter}, for {@code Handoff.builder().crmAdapter(...)}: the handoff's
     * push is written to the outbox and returns once it is on disk (moving the call never waits on a CRM, and a CRM
     * outage or a restart loses nothing); the profile lookup asks each registered adapter in name order and returns
     * the first profile found (a failing adapter is skipped, since the lookup is optional).
     */
    public CrmAdapter asCrmAdapter() {
        return new CrmAdapter() {
            @Override
            public String name() {
                return "outbox";
            }

            @Override
            public java.util.Optional<dev.handoff.api.CrmProfile> lookup(dev.handoff.api.CustomerData customer) {
                for (String name : new java.util.TreeSet<>(adapters.keySet())) {
                    try {
                        var found = adapters.get(name).lookup(customer);
                        if (found.isPresent()) {
                            return found;
                        }
                    } catch (RuntimeException e) {
                        LOG.warn("CRM {} lookup failed: {}; trying the next adapter", name, e.getMessage());
                    }
                }
                return java.util.Optional.empty();
            }

            @Override
            public CrmReceipt push(HandoffContext context, String idempotencyKey) {
                List<OutboxEntry> entries = submit(context);
                return new CrmReceipt("outbox", entries.stream().map(OutboxEntry::id).collect(java.util.stream.Collectors.joining(",")), null);
            }
        };
    }

    /** How many entries are waiting in the outbox. */
    public int pendingCount() {
        return outbox.pending().size();
    }

    /** Stops the workers (waiting up to 5 s for an attempt in progress). Pending entries stay in the outbox. */
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
        queue.clear();
        scheduled.clear();
    }

    private void schedule(OutboxEntry entry, int failures, Duration delay) {
        if (!adapters.containsKey(entry.adapter())) {
            LOG.warn("Outbox entry {} is for adapter \"{}\", which is not registered here; it stays pending", entry.id(),
                    entry.adapter());
            return;
        }
        if (failures == 0 && !scheduled.add(entry.id())) {
            return; // already queued
        }
        queue.put(new Scheduled(entry, failures, System.nanoTime() + delay.toNanos()));
    }

    private void work() {
        while (running) {
            Scheduled next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            deliver(next);
        }
    }

    private void deliver(Scheduled s) {
        OutboxEntry entry = s.entry;
        if (outbox.pending(entry.id()).isEmpty()) {
            scheduled.remove(entry.id());
            return;
        }
        CrmAdapter adapter = adapters.get(entry.adapter());
        try {
            HandoffContext context = ContextJson.get().read(entry.contextJson());
            CrmReceipt receipt = adapter.push(context, entry.idempotencyKey());
            outbox.acknowledge(entry.id(), receipt);
            scheduled.remove(entry.id());
            LOG.info("Delivered context {} to {} on attempt {}", entry.contextId(), entry.adapter(), s.failures + 1);
            notify(() -> listener.delivered(entry, receipt, s.failures + 1));
        } catch (NonRetriableHandoffException e) {
            if (!running && Thread.currentThread().isInterrupted()) {
                return; // shutting down: leave it pending
            }
            LOG.error("{} refused context {} for good; moved to the dead-letter file: {}", entry.adapter(), entry.contextId(),
                    e.getMessage());
            outbox.deadLetter(entry.id(), e.getMessage());
            scheduled.remove(entry.id());
            notify(() -> listener.deadLettered(entry, e.getMessage()));
        } catch (RuntimeException e) {
            if (!running) {
                return; // shutting down: the entry stays pending for the next start
            }
            HandoffException cause = e instanceof HandoffException h ? h
                    : new RetriableHandoffException(entry.adapter() + " failed unexpectedly: " + e, e);
            int failures = s.failures + 1;
            Duration delay = cause instanceof RetriableHandoffException r && r.retryAfter().isPresent()
                    ? r.retryAfter().get() : retryPolicy.backoff(failures, random);
            LOG.warn("Delivery of context {} to {} failed (attempt {}); retrying in {} ms: {}", entry.contextId(), entry.adapter(),
                    failures, delay.toMillis(), e.getMessage());
            queue.put(new Scheduled(entry, failures, System.nanoTime() + delay.toNanos()));
            notify(() -> listener.retryScheduled(entry, failures, delay, cause));
        }
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Outbox listener failed: {}", e.toString());
        }
    }

    private static final class Scheduled implements Delayed {
        final OutboxEntry entry;
        final int failures;
        final long dueNanos;

        Scheduled(OutboxEntry entry, int failures, long dueNanos) {
            this.entry = entry;
            this.failures = failures;
            this.dueNanos = dueNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** Builds an {@link OutboxDispatcher}. */
    public static final class Builder {
        private final FileOutbox outbox;
        private final Map<String, CrmAdapter> adapters = new LinkedHashMap<>();
        private RetryPolicy retryPolicy = DEFAULT_RETRY_POLICY;
        private OutboxListener listener = new OutboxListener() {
        };
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private int workers = DEFAULT_WORKERS;

        private Builder(FileOutbox outbox) {
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

        public OutboxDispatcher build() {
            if (adapters.isEmpty()) {
                throw new IllegalStateException("an outbox dispatcher needs at least one CRM adapter");
            }
            return new OutboxDispatcher(this);
        }
    }
}
