package dev.handoff.core.store;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where the CRM outbox keeps its pushes: the store under {@code OutboxDispatcher} (handoff-crm-adapters), which is the
 * one dispatcher for every store. Two implementations: {@code FileOutbox} (handoff-crm-adapters: a journal in a
 * directory, one process) and {@code PostgresOutbox} (handoff-postgres: one table shared by every instance).
 *
 * <p>Why here: the contract needs only the context model and core's context codec (an entry carries the canonical
 * JSON {@link dev.handoff.core.json.ContextJson} writes), so it sits beside core's other stores; handoff-postgres
 * implements it without depending on handoff-crm-adapters and its HTTP stack. It is not in {@code handoff-api}'s SPI
 * package because the {@code Handoff} runtime never calls it: only the dispatcher does.
 *
 * <p>The life of an entry: {@link #append} (durable when it returns) makes it <em>pending</em> and due at once; the
 * dispatcher {@link #claimDue claims} due entries with a lease, pushes each to its CRM with the entry's idempotency
 * key, and then ends the claim with exactly one of {@link #acknowledge} (delivered: never sent again),
 * {@link #retryLater} (one more failure; due again after the delay), {@link #deadLetter} (refused for good: kept
 * with the reason, never sent again) or {@link #release} (not attempted, e.g. shutting down). A claim that is never
 * ended (the process died) runs out with its lease, and the entry is claimed again, by this or another instance, and
 * pushed again with the same idempotency key. So delivery is at least once across crashes and exactly once
 * otherwise; the CRM deduplicates the rest by the key.
 *
 * <p>Every claim carries a fencing number: ending a claim that ran out and was claimed again by someone else changes
 * nothing and returns {@code false}.
 *
 * <p>Thread-safe. Called by the dispatcher's worker threads ({@link #claimDue} and the calls that end a claim), by
 * the thread that submits a handoff ({@link #append}) and by operators' tools ({@link #deadLetters},
 * {@link #pendingCount}). Failures: {@link dev.handoff.api.ValidationException} for an invalid context (nothing
 * written), {@link dev.handoff.api.RetriableHandoffException} while the storage is unavailable (a full disk, a database
 * that is down or read-only: nothing was written, nothing already stored is lost),
 * {@link dev.handoff.api.ConfigurationException} when the storage is set up wrongly.
 */
public interface OutboxStore extends AutoCloseable {

    /**
     * An entry claimed by one dispatcher until {@code leaseUntil}.
     *
     * @param entry    the push
     * @param failures failed attempts recorded so far ({@link #retryLater} calls; a store may forget them on restart)
     * @param fence    the claim's fencing number; the calls that end the claim name it
     */
    record Claim(OutboxEntry entry, int failures, long fence) {
        /**
         * Checks the components.
         *
         * @param entry    the push
         * @param failures failed attempts recorded so far ({@link #retryLater} calls; a store may forget them on
         *                 restart)
         * @param fence    the claim's fencing number; the calls that end the claim name it
         * @throws NullPointerException     when {@code entry} is null
         * @throws IllegalArgumentException when a value is out of range; the message names it
         */
        public Claim {
            Objects.requireNonNull(entry, "entry");
            if (failures < 0) {
                throw new IllegalArgumentException("failures must be >= 0, was " + failures);
            }
        }
    }

    /**
     * Validates the context and stores one push of it for one adapter; durable when it returns. When a push with the
     * same adapter and idempotency key is still pending, nothing is written and that entry is returned (so a
     * handoff submitted twice, or by two instances, is pushed once). A store that keeps finished entries
     * ({@code PostgresOutbox}, until retention purges them) also returns a delivered or dead entry with that key
     * rather than pushing it again.
     *
     * @param adapter        the adapter's {@link dev.handoff.api.spi.CrmAdapter#name()}
     * @param idempotencyKey the key the adapter sends with every attempt
     * @param context        the context to push (the CRM's redacted copy)
     * @return the stored entry, or the pending one with the same adapter and key
     * @throws dev.handoff.api.ValidationException   when the context is not valid (nothing is written)
     * @throws dev.handoff.api.RetriableHandoffException when the storage cannot take the write now (nothing is written)
     */
    OutboxEntry append(String adapter, String idempotencyKey, HandoffContext context);

    /**
     * As {@link #append(String, String, HandoffContext)}, keeping with the entry the W3C trace context of the handoff
     * that queues it ({@code traceparent}, {@code tracestate}; see {@link OutboxEntry#traceContext}), which the
     * dispatcher makes current again around every delivery attempt. A pending entry with the same key is returned
     * with the context it was stored with. Only {@link OutboxEntry#traceFields valid W3C fields} are stored.
     * Default: the trace context is not kept (a store written before trace contexts were).
     *
     * @param adapter        the adapter's {@link dev.handoff.api.spi.CrmAdapter#name()}
     * @param idempotencyKey the key the adapter sends with every attempt
     * @param context        the context to push (the CRM's redacted copy)
     * @param traceContext   the W3C fields; empty for none
     * @return the stored entry, or the pending one with the same adapter and key
     * @throws dev.handoff.api.ValidationException   when the context is not valid (nothing is written)
     * @throws dev.handoff.api.RetriableHandoffException when the storage cannot take the write now (nothing is written)
     */
    default OutboxEntry append(String adapter, String idempotencyKey, HandoffContext context, java.util.Map<String, String> traceContext) {
        return append(adapter, idempotencyKey, context);
    }

    /**
     * Claims up to {@code max} pending entries for the given adapters that are due and not claimed by someone else
     * (or whose claim ran out), oldest due first, each until now plus {@code lease}.
     *
     * @param adapters the adapters the caller can push to; entries for others stay pending, untouched
     * @param max      the most entries to claim
     * @param lease    how long the claim holds; longer than the slowest push, or the entry may be pushed twice
     * @return the claims, oldest due first; empty when nothing is due
     * @throws dev.handoff.api.RetriableHandoffException while the storage is unavailable (nothing was claimed)
     */
    List<Claim> claimDue(Set<String> adapters, int max, Duration lease);

    /**
     * The CRM took the push: it is delivered and never sent again, even after a restart.
     *
     * @param claim   the claim from {@link #claimDue}
     * @param receipt nullable; the CRM's record, kept where the store keeps finished entries
     * @return false when the claim had run out and another claim holds the entry (nothing changed)
     */
    boolean acknowledge(Claim claim, @Nullable CrmReceipt receipt);

    /**
     * The push failed in a way that may pass: one more failure is counted and the entry is due again after
     * {@code delay}.
     *
     * @param claim the claim from {@link #claimDue}
     * @param delay how long until the entry is due again
     * @return false when the claim had run out and another claim holds the entry (nothing changed)
     */
    boolean retryLater(Claim claim, Duration delay);

    /**
     * The CRM refused the push for good: the entry is kept with its context and {@code reason} and never sent again.
     *
     * @param claim  the claim from {@link #claimDue}
     * @param reason the system, the call and the status; never a CRM's error body or transcript text
     * @return false when the claim had run out and another claim holds the entry (nothing changed)
     */
    boolean deadLetter(Claim claim, String reason);

    /**
     * Gives the entry back without an attempt (the dispatcher is stopping): due at once, no failure counted.
     *
     * @param claim the claim from {@link #claimDue}
     * @return false when the claim had run out and another claim holds the entry (nothing changed)
     */
    boolean release(Claim claim);

    /**
     * Every push given up, oldest first, with its context and the reason.
     *
     * @return the dead letters
     */
    List<DeadLetter> deadLetters();

    /**
     * How many pushes are pending (claimed or not), for every adapter.
     *
     * @return the count
     */
    int pendingCount();

    /** Releases what the store holds (files, locks); pending pushes stay for the next open. Idempotent. */
    @Override
    void close();
}
