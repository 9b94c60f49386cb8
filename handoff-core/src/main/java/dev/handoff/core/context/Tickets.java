package dev.handoff.core.context;

import dev.handoff.api.NonRetriableHandoffException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Short signed tickets that stand for a context where only a few bytes fit (a SIP {@code User-to-User}
 * header, a URI parameter, a CRM field). A ticket is {@code <contextId>.<expiry, epoch seconds base 36>.<16-byte
 * HMAC, base64url>}: at most {@link #MAX_LENGTH} ASCII characters, safe in URIs and headers unescaped.
 */
public final class Tickets {

    /** The longest ticket issued. */
    public static final int MAX_LENGTH = 128;
    /** Default lifetime: long enough for a slow queue, short enough that a leaked ticket goes stale. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);

    private final SigningKeys keys;
    private final Clock clock;
    private final Duration ttl;

    public Tickets(SigningKeys keys, Clock clock, Duration ttl) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ticket ttl must be positive, was " + ttl);
        }
    }

    /** Issues a ticket for a context id (1-64 characters of {@code [A-Za-z0-9_-]}). */
    public String issue(String contextId) {
        if (contextId == null || !contextId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("context id must be 1-64 characters of [A-Za-z0-9_-], was \"" + contextId + "\"");
        }
        String body = contextId + "." + Long.toString(clock.instant().plus(ttl).getEpochSecond(), 36) + "." + keys.currentId();
        return body + "." + mac(keys.current(), body);
    }

    /**
     * @return the context id the ticket stands for
     * @throws NonRetriableHandoffException when malformed, forged, signed by an unknown key or expired
     */
    public String redeem(String ticket) {
        if (ticket == null || ticket.length() > MAX_LENGTH) {
            throw new NonRetriableHandoffException("ticket is missing or longer than " + MAX_LENGTH + " characters");
        }
        String[] parts = ticket.split("\\.", -1);
        if (parts.length != 4) {
            throw new NonRetriableHandoffException("ticket \"" + ticket + "\" is malformed: expected contextId.expiry.keyId.mac");
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        byte[] key = keys.key(parts[2]).orElseThrow(() -> new NonRetriableHandoffException("ticket signed with unknown key id \"" + parts[2] + "\""));
        if (!MessageDigest.isEqual(mac(key, body).getBytes(StandardCharsets.US_ASCII), parts[3].getBytes(StandardCharsets.US_ASCII))) {
            throw new NonRetriableHandoffException("ticket for context " + parts[0] + " failed verification");
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[1], 36);
        } catch (NumberFormatException e) {
            throw new NonRetriableHandoffException("ticket expiry \"" + parts[1] + "\" is not a base-36 number");
        }
        if (clock.instant().isAfter(Instant.ofEpochSecond(expiry))) {
            throw new NonRetriableHandoffException("ticket for context " + parts[0] + " expired at " + Instant.ofEpochSecond(expiry));
        }
        return parts[0];
    }

    private static String mac(byte[] key, String body) {
        byte[] full = ContextSigner.rawHmac(key, body.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(full, 16));
    }
}
