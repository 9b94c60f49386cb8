package dev.handoff.crm.outbox;

import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore.Claim;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link FileOutbox}'s pending entries in append order, with what lives in memory only: when each is due, who holds
 * a claim on it until when (and its fencing number), how often it failed, and which entry holds each adapter and
 * idempotency key. Not thread-safe: the outbox's lock guards it.
 */
final class PendingEntries {

    /** When a pending entry is due, the claim on it and how often it failed; lost on restart (everything due at once). */
    private static final class Schedule {
        final OutboxEntry entry;
        Instant dueAt;
        Instant leaseUntil;
        int failures;
        long fence;

        Schedule(OutboxEntry entry, Instant dueAt) {
            this.entry = entry;
            this.dueAt = dueAt;
        }
    }

    private final Map<String, Schedule> byId = new LinkedHashMap<>();
    private final Map<String, String> byKey = new HashMap<>();
    private long fences;

    /** Adds an entry, due at {@code now} (an entry with the same id is replaced in its place). */
    void put(OutboxEntry entry, Instant now) {
        Schedule replaced = byId.put(entry.id(), new Schedule(entry, now));
        if (replaced != null) {
            byKey.remove(keyOf(replaced.entry.adapter(), replaced.entry.idempotencyKey()), entry.id());
        }
        byKey.put(keyOf(entry.adapter(), entry.idempotencyKey()), entry.id());
    }

    /** Removes an entry (delivered or dead); returns it, or null when it was not pending. */
    OutboxEntry remove(String entryId) {
        Schedule s = byId.remove(entryId);
        if (s == null) {
            return null;
        }
        byKey.remove(keyOf(s.entry.adapter(), s.entry.idempotencyKey()), entryId);
        return s.entry;
    }

    OutboxEntry get(String entryId) {
        Schedule s = byId.get(entryId);
        return s == null ? null : s.entry;
    }

    /** The pending entry for this adapter and key, or null. */
    OutboxEntry withKey(String adapter, String idempotencyKey) {
        String id = byKey.get(keyOf(adapter, idempotencyKey));
        return id == null ? null : get(id);
    }

    List<OutboxEntry> entries() {
        List<OutboxEntry> out = new ArrayList<>(byId.size());
        for (Schedule s : byId.values()) {
            out.add(s.entry);
        }
        return out;
    }

    int size() {
        return byId.size();
    }

    /** Claims up to {@code max} due, unclaimed (or run out) entries for {@code adapters}, in append order. */
    List<Claim> claim(Set<String> adapters, int max, Duration lease, Instant now) {
        List<Claim> claimed = new ArrayList<>();
        for (Schedule s : byId.values()) {
            if (claimed.size() >= max) {
                break;
            }
            if (adapters.contains(s.entry.adapter()) && !s.dueAt.isAfter(now) && (s.leaseUntil == null || !s.leaseUntil.isAfter(now))) {
                s.leaseUntil = now.plus(lease);
                s.fence = ++fences;
                claimed.add(new Claim(s.entry, s.failures, s.fence));
            }
        }
        return claimed;
    }

    /** Whether {@code claim} is the latest claim on a pending entry. */
    boolean holds(Claim claim) {
        Schedule s = byId.get(claim.entry().id());
        return s != null && s.fence == claim.fence();
    }

    /** Counts a failure and makes the entry due at {@code dueAt}; the caller checked {@link #holds}. */
    void retry(Claim claim, Instant dueAt) {
        Schedule s = byId.get(claim.entry().id());
        s.failures++;
        s.dueAt = dueAt;
        s.leaseUntil = null;
    }

    /** Ends the claim without an attempt; the caller checked {@link #holds}. */
    void release(Claim claim) {
        byId.get(claim.entry().id()).leaseUntil = null;
    }

    private static String keyOf(String adapter, String idempotencyKey) {
        return adapter + '\n' + idempotencyKey;
    }
}
