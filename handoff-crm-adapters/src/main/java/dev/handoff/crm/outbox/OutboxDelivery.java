package dev.handoff.crm.outbox;

import dev.handoff.api.HandoffException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore;
import dev.handoff.core.store.OutboxStore.Claim;
import dev.handoff.crm.transport.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed entry's delivery for {@link OutboxDispatcher}: the push (or verdict) in the entry's trace context, and
 * how the claim ends: acknowledged, dead-lettered, retried after the CRM's {@code Retry-After} or the back-off, or
 * released when stopping. Called on the dispatcher's worker threads.
 */
final class OutboxDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    private final OutboxStore outbox;
    private final Map<String, CrmAdapter> adapters;
    private final RetryPolicy retryPolicy;
    private final OutboxListener listener;
    private final OutboxTrace trace;
    private final DoubleSupplier random;
    private final IdleWait idle;
    private final BooleanSupplier running;

    OutboxDelivery(OutboxStore outbox, Map<String, CrmAdapter> adapters, RetryPolicy retryPolicy, OutboxListener listener,
                   OutboxTrace trace, DoubleSupplier random, IdleWait idle, BooleanSupplier running) {
        this.outbox = outbox;
        this.adapters = adapters;
        this.retryPolicy = retryPolicy;
        this.listener = listener;
        this.trace = trace;
        this.random = random;
        this.idle = idle;
        this.running = running;
    }

    void deliver(Claim claim) {
        OutboxEntry entry = claim.entry();
        int attempt = claim.failures() + 1;
        CrmAdapter adapter = adapters.get(entry.adapter());
        try {
            HandoffContext context = ContextJson.get().read(entry.contextJson());
            java.util.Optional<String> verdict = entry.verdictCommitmentId();
            CrmReceipt receipt = trace.during(entry, () -> verdict.isPresent()
                    ? adapter.pushVerdict(context, verdict.get(), entry.idempotencyKey())
                    : adapter.push(context, entry.idempotencyKey()));
            if (end(claim, "acknowledging", () -> outbox.acknowledge(claim, receipt))) {
                LOG.info("Delivered context {} to {} on attempt {}", entry.contextId(), entry.adapter(), attempt);
                // only once recorded: an unrecorded delivery is pushed again and reported then, a fenced-out one by its new owner
                notify(() -> listener.delivered(entry, receipt, attempt));
            }
        } catch (NonRetriableHandoffException e) {
            if (!running.getAsBoolean() && Thread.currentThread().isInterrupted()) {
                releaseQuietly(claim); // shutting down: leave it pending
                return;
            }
            LOG.error("{} refused context {} for good; moved to the dead letters: {}", entry.adapter(), entry.contextId(),
                    e.getMessage());
            end(claim, "dead-lettering", () -> outbox.deadLetter(claim, e.getMessage()));
            notify(() -> listener.deadLettered(entry, e.getMessage()));
        } catch (RuntimeException e) {
            if (!running.getAsBoolean()) {
                releaseQuietly(claim); // shutting down: the entry stays pending for the next start
                return;
            }
            HandoffException cause = e instanceof HandoffException h ? h
                    : new RetriableHandoffException(entry.adapter() + " failed unexpectedly: " + e, e);
            Duration delay = cause instanceof RetriableHandoffException r && r.retryAfter().isPresent()
                    ? r.retryAfter().get() : retryPolicy.backoff(attempt, random);
            LOG.warn("Delivery of context {} to {} failed (attempt {}); retrying in {} ms: {}", entry.contextId(), entry.adapter(),
                    attempt, delay.toMillis(), e.getMessage());
            if (end(claim, "scheduling a retry of", () -> outbox.retryLater(claim, delay))) {
                idle.wakeAt(System.nanoTime() + delay.toNanos() + TimeUnit.MILLISECONDS.toNanos(1));
            }
            notify(() -> listener.retryScheduled(entry, attempt, delay, cause));
        }
    }

    /** Ends a claim in the store; a lost claim or an unavailable store is logged, and the lease decides what follows. */
    private boolean end(Claim claim, String what, java.util.function.BooleanSupplier call) {
        OutboxEntry entry = claim.entry();
        try {
            if (call.getAsBoolean()) {
                return true;
            }
            LOG.warn("Outbox entry {} (context {}) was claimed by another dispatcher after this one's lease ran out while {} it;"
                    + " the store keeps that dispatcher's outcome", entry.id(), entry.contextId(), what);
        } catch (RuntimeException e) {
            LOG.warn("Outbox store unavailable while {} entry {} (context {}); it stays claimed until its lease runs out and is then"
                    + " pushed again with the same idempotency key: {}", what, entry.id(), entry.contextId(), e.getMessage());
        }
        return false;
    }

    void releaseQuietly(Claim claim) {
        try {
            outbox.release(claim);
        } catch (RuntimeException e) {
            LOG.debug("Releasing outbox entry {} failed; its lease runs out instead: {}", claim.entry().id(), e.toString());
        }
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("Outbox listener failed: {}", e.toString());
        }
    }
}
