package dev.handoff.core.context;

import java.util.Objects;

/**
 * What one destination of the context (a CRM note, an agent desktop, a SIP header, a chat widget) may receive.
 *
 * @param destination a name for messages and logs ({@code "hubspot-note"})
 * @param phiAllowed  true when the destination is cleared for protected data (a HIPAA-covered desktop): nothing is
 *                    redacted; false redacts per the {@link ComplianceProfile}
 * @param maxBytes    the largest serialised context it takes; {@link #UNLIMITED} for none
 * @param pageSize    turns per transcript page when the transcript is paged (at least 1)
 */
public record DestinationLimits(String destination, boolean phiAllowed, int maxBytes, int pageSize) {

    /** No size limit. */
    public static final int UNLIMITED = Integer.MAX_VALUE;
    /** Default turns per transcript page. */
    public static final int DEFAULT_PAGE_SIZE = 50;
    /** The smallest limit accepted: a signed ticket plus a whisper must fit. */
    public static final int MIN_BYTES = 256;

    /**
     * Checks the components.
     *
     * @param destination a name for messages and logs ({@code "hubspot-note"})
     * @param phiAllowed  true when the destination is cleared for protected data (a HIPAA-covered desktop): nothing is
     *                    redacted; false redacts per the {@link ComplianceProfile}
     * @param maxBytes    the largest serialised context it takes; {@link #UNLIMITED} for none
     * @param pageSize    turns per transcript page when the transcript is paged (at least 1)
     * @throws NullPointerException     when {@code destination} is null
     * @throws IllegalArgumentException when a value is out of range; the message names it
     */
    public DestinationLimits {
        Objects.requireNonNull(destination, "destination");
        if (maxBytes < MIN_BYTES) {
            throw new IllegalArgumentException("maxBytes of destination \"" + destination + "\" must be at least " + MIN_BYTES + ", was " + maxBytes);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize of destination \"" + destination + "\" must be at least 1, was " + pageSize);
        }
    }

    /**
     * No size limit, {@link #DEFAULT_PAGE_SIZE}.
     *
     * @param destination a name for messages and logs
     * @param phiAllowed  true when the destination is cleared for protected data
     * @return the limits
     */
    public static DestinationLimits unlimited(String destination, boolean phiAllowed) {
        return new DestinationLimits(destination, phiAllowed, UNLIMITED, DEFAULT_PAGE_SIZE);
    }

    /**
     * A size limit with {@link #DEFAULT_PAGE_SIZE}.
     *
     * @param destination a name for messages and logs
     * @param phiAllowed  true when the destination is cleared for protected data
     * @param maxBytes    the largest serialised context it takes
     * @return the limits
     */
    public static DestinationLimits of(String destination, boolean phiAllowed, int maxBytes) {
        return new DestinationLimits(destination, phiAllowed, maxBytes, DEFAULT_PAGE_SIZE);
    }
}
