package dev.handoff.core.context;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.Integrity;
import dev.handoff.core.json.ContextJson;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies contexts with HMAC-SHA256 over the compact serialisation of the document without its
 * {@code integrity} block. Any changed byte of the content makes {@link #verify} fail.
 */
public final class ContextSigner {

    /** The algorithm name written into {@link Integrity#algorithm()}. */
    public static final String ALGORITHM = "HMAC-SHA256";

    private final SigningKeys keys;
    private final Clock clock;
    private final ContextJson json = ContextJson.get();

    public ContextSigner(SigningKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SigningKeys keys() {
        return keys;
    }

    /** A copy of the context carrying a fresh signature by the current key. */
    public HandoffContext sign(HandoffContext context) {
        HandoffContext unsigned = context.withIntegrity(null);
        String signature = hmac(keys.current(), json.write(unsigned));
        return unsigned.withIntegrity(new Integrity(ALGORITHM, keys.currentId(), signature, clock.instant()));
    }

    /**
     * @return the context when its signature is valid
     * @throws NonRetriableHandoffException naming the reason when unsigned, signed by an unknown key, or altered
     */
    public HandoffContext verify(HandoffContext context) {
        Integrity integrity = context.integrity();
        if (integrity == null) {
            throw new NonRetriableHandoffException("context " + context.contextId() + " is not signed");
        }
        if (!ALGORITHM.equals(integrity.algorithm())) {
            throw new NonRetriableHandoffException("context " + context.contextId() + " uses algorithm \"" + integrity.algorithm()
                    + "\", expected " + ALGORITHM);
        }
        byte[] key = keys.key(integrity.keyId()).orElseThrow(() -> new NonRetriableHandoffException(
                "context " + context.contextId() + " is signed with unknown key id \"" + integrity.keyId() + "\""));
        String expected = hmac(key, json.write(context.withIntegrity(null)));
        if (!MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                integrity.signature().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new NonRetriableHandoffException("context " + context.contextId() + " failed signature verification: it was altered");
        }
        return context;
    }

    static String hmac(byte[] key, byte[] data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(rawHmac(key, data));
    }

    static byte[] rawHmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
