package dev.handoff.crm.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: {@code Handoff-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 over "t.body">}, one
 * {@code v1} per configured secret so a receiver can rotate keys (configure the new secret first, then drop the
 * old one on both sides).
 *
 * <p>Thread-safe. Secrets are never logged; {@link #toString()} shows only how many there are.
 */
public final class WebhookSigner {

    /** The header name. */
    public static final String HEADER = "Handoff-Signature";
    /** The signature scheme of each value. */
    public static final String SCHEME = "v1";

    private final List<byte[]> secrets;
    private final Clock clock;

    /**
     * @param secrets one or more secrets, the current one first; each at least 16 bytes
     * @param clock   where {@code t} comes from
     */
    public WebhookSigner(List<String> secrets, Clock clock) {
        Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook signer needs at least one secret");
        }
        List<byte[]> copy = new ArrayList<>();
        for (int i = 0; i < secrets.size(); i++) {
            copy.add(secretBytes(secrets.get(i), "secrets[" + i + "]"));
        }
        this.secrets = List.copyOf(copy);
    }

    /** The header value for this body, timestamped now. */
    public String sign(byte[] body) {
        return sign(body, clock.instant().getEpochSecond());
    }

    /** The header value for this body and timestamp. */
    public String sign(byte[] body, long unixSeconds) {
        Objects.requireNonNull(body, "body");
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (byte[] secret : secrets) {
            header.append(',').append(SCHEME).append('=').append(hmacHex(secret, unixSeconds, body));
        }
        return header.toString();
    }

    /** Hex HMAC-SHA256 of {@code "<t>.<body>"}. Package-private: shared with the verifier. */
    static String hmacHex(byte[] secret, long unixSeconds, byte[] body) {
        return HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
    }

    static byte[] hmac(byte[] secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    static byte[] secretBytes(String secret, String name) {
        Objects.requireNonNull(secret, name);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 16) {
            throw new IllegalArgumentException(name + " must be at least 16 bytes, was " + bytes.length);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + secrets.size() + (secrets.size() == 1 ? " secret]" : " secrets]");
    }
}
