package dev.handoff.crm.webhook;

import dev.handoff.crm.webhook.WebhookSignatureException.Reason;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Verifies {@code Handoff-Signature} on a received webhook. For receivers: it needs only this jar and
 * {@code handoff-api} on the class path (it loads no OkHttp, Jackson or SLF4J class) and works in any HTTP
 * framework:
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret(System.getenv("HANDOFF_WEBHOOK_SECRET")).build();
 * byte[] body = request.getInputStream().readAllBytes();          // the raw bytes, before any JSON parsing
 * try {
 *     verifier.verify(request.getHeader(WebhookVerifier.HEADER), body);
 * } catch (WebhookSignatureException e) {
 *     response.sendError(400, e.reason().name());
 *     return;
 * }
 * }</pre>
 *
 * <p>Accepts the delivery when its timestamp is within the tolerance of the receiver's clock (default
 * {@value #DEFAULT_TOLERANCE_SECONDS} s either way) and any {@code v1} value equals the HMAC under any configured
 * secret; comparisons are constant-time. Configure several secrets while rotating keys.
 *
 * <p>Thread-safe and immutable.
 */
public final class WebhookVerifier {

    /** The header name. */
    public static final String HEADER = WebhookSigner.HEADER;
    /** Default tolerance in seconds: 300. */
    public static final long DEFAULT_TOLERANCE_SECONDS = 300;
    /** Default tolerance: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(DEFAULT_TOLERANCE_SECONDS);

    private static final int MAX_HEADER_LENGTH = 4096;

    private final List<byte[]> secrets;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(Builder b) {
        this.secrets = List.copyOf(b.secrets);
        this.tolerance = b.tolerance;
        this.clock = b.clock;
    }

    /**
     * A builder; at least one secret must be given before {@link Builder#build}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the header against the raw body.
     *
     * @throws WebhookSignatureException naming what was wrong (never a secret or an expected signature)
     */
    public void verify(String header, byte[] body) {
        Objects.requireNonNull(body, "body");
        if (header == null || header.isBlank()) {
            throw new WebhookSignatureException(Reason.MALFORMED_HEADER, HEADER + " header is missing");
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            throw new WebhookSignatureException(Reason.MALFORMED_HEADER, HEADER + " header is longer than "
                    + MAX_HEADER_LENGTH + " characters");
        }
        Long timestamp = null;
        List<byte[]> candidates = new ArrayList<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw malformed(header);
            }
            String key = p.substring(0, eq);
            String value = p.substring(eq + 1);
            if (key.equals("t")) {
                if (timestamp != null || !value.matches("\\d{1,12}")) {
                    throw malformed(header);
                }
                timestamp = Long.parseLong(value);
            } else if (key.equals(WebhookSigner.SCHEME)) {
                if (!value.matches("[0-9a-fA-F]{64}")) {
                    throw malformed(header);
                }
                candidates.add(HexFormat.of().parseHex(value));
            }
            // other schemes are ignored so a newer sender can add them
        }
        if (timestamp == null || candidates.isEmpty()) {
            throw malformed(header);
        }
        long now = clock.instant().getEpochSecond();
        long skew = Math.abs(now - timestamp);
        if (skew > tolerance.toSeconds()) {
            throw new WebhookSignatureException(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, HEADER + " timestamp " + timestamp + " is "
                    + skew + " s from this receiver's clock (" + now + "); the tolerance is " + tolerance.toSeconds() + " s");
        }
        boolean match = false;
        for (byte[] secret : secrets) {
            byte[] expected = WebhookSigner.hmac(secret, timestamp, body);
            for (byte[] candidate : candidates) {
                // no early exit: every pair is compared in constant time
                match |= MessageDigest.isEqual(expected, candidate);
            }
        }
        if (!match) {
            throw new WebhookSignatureException(Reason.NO_MATCHING_SIGNATURE, HEADER + " has " + candidates.size()
                    + (candidates.size() == 1 ? " v1 signature" : " v1 signatures") + " and none matches the body under the "
                    + secrets.size() + (secrets.size() == 1 ? " configured secret" : " configured secrets"));
        }
    }

    /** {@link #verify} as a boolean, for receivers that do not need the reason. */
    public boolean isValid(String header, byte[] body) {
        try {
            verify(header, body);
            return true;
        } catch (WebhookSignatureException e) {
            return false;
        }
    }

    private static WebhookSignatureException malformed(String header) {
        String shown = header.length() > 80 ? header.substring(0, 80) + "..." : header;
        return new WebhookSignatureException(Reason.MALFORMED_HEADER, HEADER + " header \"" + shown
                + "\" is not t=<unix seconds>,v1=<64 hex digits>[,v1=...]");
    }

    @Override
    public String toString() {
        return "WebhookVerifier[" + secrets.size() + " secret(s), tolerance " + tolerance.toSeconds() + " s]";
    }

    /** Builds a {@link WebhookVerifier}. */
    public static final class Builder {
        private final List<byte[]> secrets = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Adds an accepted secret (at least 16 bytes). Add the new and the old one while rotating. */
        public Builder secret(String value) {
            secrets.add(WebhookSigner.secretBytes(value, "secret"));
            return this;
        }

        /** How far the timestamp may be from this clock, either way; default {@link #DEFAULT_TOLERANCE} (300 s). */
        public Builder tolerance(Duration value) {
            Objects.requireNonNull(value, "tolerance");
            if (value.isNegative()) {
                throw new IllegalArgumentException("tolerance must not be negative, was " + value);
            }
            this.tolerance = value;
            return this;
        }

        /** The receiver's clock; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The verifier.
         *
         * @return a thread-safe verifier
         */
        public WebhookVerifier build() {
            if (secrets.isEmpty()) {
                throw new IllegalStateException("a webhook verifier needs at least one secret");
            }
            return new WebhookVerifier(this);
        }
    }
}
