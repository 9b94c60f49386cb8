package dev.handoff.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One durable push: a handoff context waiting to be delivered to one CRM adapter.
 *
 * @param id             the entry's own id
 * @param adapter        the {@link dev.handoff.api.spi.CrmAdapter#name()} it goes to
 * @param idempotencyKey the key sent on every attempt, across restarts
 * @param contextId      the context's id (for logs)
 * @param enqueuedAt     when it was written
 * @param contextJson    the canonical context JSON
 */
public record OutboxEntry(String id, String adapter, String idempotencyKey, String contextId, Instant enqueuedAt,
                          String contextJson) {

    /**
     * Checks the components.
     *
     * @param id             the entry's own id
     * @param adapter        the {@link dev.handoff.api.spi.CrmAdapter#name()} it goes to
     * @param idempotencyKey the key sent on every attempt, across restarts
     * @param contextId      the context's id (for logs)
     * @param enqueuedAt     when it was written
     * @param contextJson    the canonical context JSON
     * @throws NullPointerException when {@code id}, {@code adapter}, {@code idempotencyKey}, {@code contextId},
     *                              {@code enqueuedAt} or {@code contextJson} is null
     */
    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(contextJson, "contextJson");
    }

    @Override
    public String toString() {
        return "OutboxEntry[" + id + " -> " + adapter + ", context " + contextId + ", key " + idempotencyKey + "]";
    }
}
