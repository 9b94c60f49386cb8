package dev.handoff.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One durable push: a handoff context waiting to be delivered to one CRM adapter.
 *
 * @param id             the entry's own id
 * @param adapter        the {@link dev.handoff.api.spi.CrmAdapter#name()} it goes to
 * @param idempotencyKey the key sent on every attempt, across restarts
 * @param contextId      the context's id (for logs)
 * @param enqueuedAt     when it was written
 * @param contextJson    the canonical context JSON
 * @param traceContext   the W3C trace context of the handoff that queued it ({@code traceparent} and, when there was
 *                       one, {@code tracestate}), made current again around every delivery attempt; empty when none
 *                       was captured. Only valid W3C fields are kept ({@link #traceFields})
 */
public record OutboxEntry(String id, String adapter, String idempotencyKey, String contextId, Instant enqueuedAt,
                          String contextJson, Map<String, String> traceContext) {

    /** The W3C Trace Context header that names the trace and the parent span. */
    public static final String TRACEPARENT = "traceparent";
    /** The W3C Trace Context header with vendors' trace state. */
    public static final String TRACESTATE = "tracestate";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxEntry.class);
    /** Version 00 of W3C Trace Context: version, trace id, parent id, flags (lower-case hex). */
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    private static final Pattern TRACESTATE_FORMAT = Pattern.compile("[\\x20-\\x7E]{1,512}");

    /**
     * Checks the components.
     *
     * @param id             the entry's own id
     * @param adapter        the {@link dev.handoff.api.spi.CrmAdapter#name()} it goes to
     * @param idempotencyKey the key sent on every attempt, across restarts
     * @param contextId      the context's id (for logs)
     * @param enqueuedAt     when it was written
     * @param contextJson    the canonical context JSON
     * @param traceContext   nullable; the W3C trace context, kept only as far as it is valid ({@link #traceFields})
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
        traceContext = traceFields(traceContext);
    }

    /**
     * An entry without a trace context (as before trace contexts were kept).
     *
     * @param id             the entry's own id
     * @param adapter        the {@link dev.handoff.api.spi.CrmAdapter#name()} it goes to
     * @param idempotencyKey the key sent on every attempt, across restarts
     * @param contextId      the context's id (for logs)
     * @param enqueuedAt     when it was written
     * @param contextJson    the canonical context JSON
     */
    public OutboxEntry(String id, String adapter, String idempotencyKey, String contextId, Instant enqueuedAt, String contextJson) {
        this(id, adapter, idempotencyKey, contextId, enqueuedAt, contextJson, Map.of());
    }

    /**
     * The W3C trace context in {@code fields}, checked: a {@code traceparent} of version 00 with a non-zero trace id
     * and parent id, and a {@code tracestate} of at most 512 visible ASCII characters beside it. Every other field is
     * left out (an outbox keeps the trace context and nothing else); a malformed {@code traceparent} drops both, a
     * malformed {@code tracestate} only itself. What was dropped is logged at DEBUG, without values. Used on what a
     * propagator gives when an entry is appended and on what a store reads back, so a damaged stored value never
     * reaches a delivery.
     *
     * @param fields nullable; the fields
     * @return the valid fields, unmodifiable; empty when there is no valid {@code traceparent}
     */
    public static Map<String, String> traceFields(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return Map.of();
        }
        String parent = fields.get(TRACEPARENT);
        if (parent == null) {
            LOG.debug("An outbox trace context without a traceparent was dropped ({} field(s))", fields.size());
            return Map.of();
        }
        Matcher m = TRACEPARENT_FORMAT.matcher(parent);
        if (!m.matches() || m.group(1).chars().allMatch(c -> c == '0') || m.group(2).chars().allMatch(c -> c == '0')) {
            LOG.debug("A malformed traceparent was dropped from an outbox entry; it is delivered without a trace context");
            return Map.of();
        }
        String state = fields.get(TRACESTATE);
        if (state != null && !TRACESTATE_FORMAT.matcher(state).matches()) {
            LOG.debug("A malformed tracestate was dropped from an outbox entry; its traceparent is kept");
            state = null;
        }
        return state == null ? Map.of(TRACEPARENT, parent) : Map.of(TRACEPARENT, parent, TRACESTATE, state);
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
