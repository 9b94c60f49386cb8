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

    private static final java.util.regex.Pattern VERDICT =
            java.util.regex.Pattern.compile(".*:verdict:([A-Za-z0-9_.\\-]{1,64}):(CONFIRMED|CORRECTED|REVOKED)(?::[0-9a-f]{8})?");

    /**
     * The commitment whose verdict this entry writes back ({@code CrmAdapter.pushVerdict}), or empty for a handoff's
     * context push. A verdict entry is told apart by its key, made by {@link #verdictKey}, so every {@link OutboxStore}
     * keeps it without a column of its own.
     *
     * @return the commitment's id; empty for a context push
     */
    public java.util.Optional<String> verdictCommitmentId() {
        java.util.regex.Matcher m = VERDICT.matcher(idempotencyKey);
        return m.matches() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /**
     * The idempotency key of a human's verdict on one commitment: {@code <prefix>:verdict:<commitmentId>:<STATUS>}, and
     * for a correction the first 8 hex digits of the SHA-256 of the corrected value (two different corrections are two
     * writes; the value itself never appears in a key). The same for every retry of that verdict, so a repeated verdict
     * is written once.
     *
     * @param prefix  the key of the context's own push ({@code "<adapter>:<contextId>"} in the outbox)
     * @param verdict the commitment as verified (status {@code CONFIRMED}, {@code CORRECTED} or {@code REVOKED})
     * @return the key
     */
    public static String verdictKey(String prefix, dev.handoff.api.Commitment verdict) {
        String key = prefix + ":verdict:" + verdict.id() + ":" + verdict.status();
        if (verdict.status() == dev.handoff.api.Commitment.Status.CORRECTED && verdict.correctedValue() != null) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                        .digest(verdict.correctedValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                key += ":" + java.util.HexFormat.of().formatHex(digest, 0, 4);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
        return key;
    }

    @Override
    public String toString() {
        return "OutboxEntry[" + id + " -> " + adapter + ", context " + contextId + ", key " + idempotencyKey + "]";
    }
}
