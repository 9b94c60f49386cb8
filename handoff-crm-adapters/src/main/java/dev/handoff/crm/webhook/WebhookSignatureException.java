package dev.handoff.crm.webhook;

import dev.handoff.api.NonRetriableHandoffException;
import java.util.Objects;

/**
 * A webhook delivery failed verification. A receiver answers it with 400 (or 401) and does not process the
 * body; {@link #reason()} says why without revealing any secret or expected signature.
 */
public class WebhookSignatureException extends NonRetriableHandoffException {

    /** Why the signature was rejected. */
    public enum Reason {
        /** The header is missing or not {@code t=<unix seconds>,v1=<hex>[,v1=<hex>...]}. */
        MALFORMED_HEADER,
        /** The timestamp is further from the receiver's clock than the tolerance (a replay or a bad clock). */
        TIMESTAMP_OUTSIDE_TOLERANCE,
        /** No v1 value matches the body under any configured secret (changed body or wrong secret). */
        NO_MATCHING_SIGNATURE
    }

    private final Reason reason;

    /**
     * A rejected delivery.
     *
     * @param reason  why it was rejected
     * @param message what a log may show: no secret, no expected signature
     */
    public WebhookSignatureException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the delivery was rejected.
     *
     * @return the reason, never null
     */
    public Reason reason() {
        return reason;
    }
}
