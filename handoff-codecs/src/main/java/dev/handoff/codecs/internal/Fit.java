package dev.handoff.codecs.internal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Fits one platform's payload under that platform's limit by asking core's {@link DestinationPackager} for smaller
 * copies: the packager does all the redacting, summarising, signing and ticketing; this class only measures the
 * platform's text around the copy and asks again with a smaller byte budget until it fits. When no copy fits (or the
 * platform takes no document at all), the payload carries only the signed ticket and says so.
 *
 * <p>Stateless; called on whichever thread encodes.
 */
public final class Fit {

    /** How a platform counts its limit. */
    public enum Unit {
        CHARACTERS("characters"),
        BYTES("bytes");

        private final String word;

        Unit(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public int measure(String s) {
            return this == CHARACTERS ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /**
     * What a shape built: the body to send, the flat attributes if any, and the size of what the platform limits,
     * in the platform's unit ({@link Integer#MAX_VALUE} when a part the platform limits on its own, such as one
     * attribute value, is over its limit).
     */
    public record Built(String body, Map<String, String> attributes, int size) {
        public Built {
            Objects.requireNonNull(body, "body");
        }
    }

    /**
     * How a codec asks core's packager for copies: the packager, whether the platform is cleared for protected data,
     * and the transcript page size named in a summary's paging note. Made by {@link CodecOptions#packaging()}.
     */
    public record Packaging(DestinationPackager packager, boolean phiAllowed, int pageSize) {
        public Packaging {
            Objects.requireNonNull(packager, "packager");
        }
    }

    /** Builds the platform's text around one envelope. */
    @FunctionalInterface
    public interface Shape {
        /**
         * @param envelope the copy to carry; {@code envelope.context()} is null for {@link Envelope.Form#TICKET_ONLY}
         * @param redacted the whole redacted, signed context, for short fields (whisper, priority, route hint)
         */
        Built build(Envelope envelope, HandoffContext redacted);
    }

    private static final int MAX_ROUNDS = 12;

    private Fit() {
    }

    /**
     * @param documentAllowed false for carriers too small for any document (a 256-character attribute): straight
     *                        to the ticket
     * @throws ConfigurationException when even the ticket-only payload is over the limit (the limit is too small)
     */
    public static PlatformPayload fit(String platform, Packaging packaging, HandoffContext full, int limit, Unit unit,
                                      boolean documentAllowed, Shape shape) {
        return fit(platform, packaging, full, limit, unit, documentAllowed, null, shape);
    }

    /**
     * @param ticketOnlyReason nullable; why a ticket-only payload carries no document, when the reason is not the size
     *                         ("the private note carries the document")
     */
    public static PlatformPayload fit(String platform, Packaging packaging, HandoffContext full, int limit, Unit unit,
                                      boolean documentAllowed, String ticketOnlyReason, Shape shape) {
        Objects.requireNonNull(full, "context");
        DestinationPackager packager = packaging.packager();
        boolean phiAllowed = packaging.phiAllowed();
        int pageSize = packaging.pageSize();
        Envelope whole = packager.forDestination(full, new DestinationLimits(platform, phiAllowed, DestinationLimits.UNLIMITED, pageSize));
        HandoffContext redacted = whole.context();
        if (documentAllowed) {
            Envelope e = whole;
            for (int round = 0; round < MAX_ROUNDS; round++) {
                Built built = shape.build(e, redacted);
                int size = built.size();
                if (size <= limit) {
                    return payload(platform, e, built, size, limit, unit);
                }
                // shrink the document by what the platform text is over, plus a margin that grows each round
                // the platform text grows with the document (sometimes twice: a copy and a transcript), so shrink in proportion
                long scaled = size == Integer.MAX_VALUE ? e.bytes() / 2 : (long) e.bytes() * limit / size;
                int next = (int) scaled - 64 * (round + 1);
                if (next < DestinationLimits.MIN_BYTES) {
                    break;
                }
                e = packager.forDestination(full, new DestinationLimits(platform, phiAllowed, next, pageSize));
                if (e.form() == Envelope.Form.TICKET_ONLY) {
                    break;
                }
            }
        }
        String note = (ticketOnlyReason != null ? ticketOnlyReason
                : "the context does not fit in " + platform + "'s limit of " + limit + " " + unit.word())
                + "; redeem the ticket for all " + whole.totalTurns() + " turns";
        Envelope ticketOnly = new Envelope(Envelope.Form.TICKET_ONLY, platform, full.contextId(), whole.ticket(), null, 0,
                whole.totalTurns(), 0, note);
        Built built = shape.build(ticketOnly, redacted);
        int size = built.size();
        if (size > limit) {
            throw new ConfigurationException(platform + " limit of " + limit + " " + unit.word()
                    + " is too small even for the signed ticket and the whisper (" + size + " " + unit.word() + ")");
        }
        return payload(platform, ticketOnly, built, size, limit, unit);
    }

    private static PlatformPayload payload(String platform, Envelope e, Built built, int size, int limit, Unit unit) {
        return new PlatformPayload(platform, built.body(), built.attributes(), e.form(), e.contextId(), e.ticket(), e.note(), size,
                limit, unit.word());
    }
}
