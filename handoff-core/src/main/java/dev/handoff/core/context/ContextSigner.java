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
 * Signs and verifies contexts with HMAC-SHA256 (keys by id, rotating through {@link SigningKeys}).
 *
 * <p>Two forms:
 * <ul>
 *   <li><b>Embedded</b> ({@link #sign}, {@link #signToBytes}, {@link #verify}, {@link #verifyBytes}): the
 *       {@code integrity} block of the document carries an HMAC over the compact serialisation of the document
 *       without that block. {@link #verifyBytes} checks the exact bytes received: they must be the canonical
 *       serialisation (no added whitespace, reordered keys or re-escaped characters) and the content must match
 *       the signature, so any changed byte of the content, the algorithm, the key id or the signature is
 *       rejected. {@code signedAt} is informational and not covered (the {@code handoff.context/v1} contract).</li>
 *   <li><b>JWS compact</b> ({@link #signJws}, {@link #verifyJws}): {@code header.payload.signature}, base64url,
 *       {@code alg} HS256 with the key id as {@code kid} and the signing time as {@code iat} in the protected
 *       header; the payload is the compact document without an {@code integrity} block. Every byte is covered.</li>
 * </ul>
 *
 * <p>Thread-safe. Called on the orchestrator's worker thread (signing) and by whatever redeems tickets
 * (verifying). Verification failures throw {@link NonRetriableHandoffException} naming the reason; a document
 * that is not valid JSON or violates the schema throws its subclass {@link dev.handoff.api.ValidationException}.
 */
public final class ContextSigner {

    /** The algorithm name written into {@link Integrity#algorithm()}. */
    public static final String ALGORITHM = "HMAC-SHA256";
    /** The {@code typ} of the JWS protected header. */
    public static final String JWS_TYPE = "handoff.context+jws";

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

    /**
     * Signs with the current key and returns the exact bytes to send or store (compact JSON): the same bytes as
     * writing {@link #sign}'s result, with the document serialised once.
     */
    public byte[] signToBytes(HandoffContext context) {
        HandoffContext unsigned = context.withIntegrity(null);
        byte[] body = json.write(unsigned);
        Integrity integrity = new Integrity(ALGORITHM, keys.currentId(), hmac(keys.current(), body), clock.instant());
        if (!unsigned.extensions().isEmpty() || body.length == 0 || body[body.length - 1] != '}') {
            // unknown fields are written after the integrity block: serialise the whole document again
            return json.write(unsigned.withIntegrity(integrity));
        }
        byte[] block;
        try {
            block = json.mapper().writeValueAsBytes(integrity);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException("cannot serialise the integrity block of " + context.contextId(), e);
        }
        byte[] key = ",\"integrity\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[body.length - 1 + key.length + block.length + 1];
        System.arraycopy(body, 0, out, 0, body.length - 1);
        System.arraycopy(key, 0, out, body.length - 1, key.length);
        System.arraycopy(block, 0, out, body.length - 1 + key.length, block.length);
        out[out.length - 1] = '}';
        return out;
    }

    /**
     * Verifies exactly the bytes received.
     *
     * @return the context they hold
     * @throws NonRetriableHandoffException when unsigned, signed by an unknown key, altered in any byte, or not in
     *                                      canonical form
     */
    public HandoffContext verifyBytes(byte[] bytes) {
        HandoffContext context = json.read(bytes);
        verify(context);
        if (!java.util.Arrays.equals(json.write(context), bytes)) {
            throw new NonRetriableHandoffException("context " + context.contextId()
                    + " is not in canonical form (bytes were added, removed or re-encoded after signing)");
        }
        return context;
    }

    /** The JWS compact form of a context (its {@code integrity} block, if any, is left out of the payload). */
    public String signJws(HandoffContext context) {
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + keys.currentId() + "\",\"typ\":\"" + JWS_TYPE + "\",\"iat\":"
                + clock.instant().getEpochSecond() + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(json.write(context.withIntegrity(null)));
        return signingInput + "." + hmac(keys.current(), signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Verifies a JWS compact string made by {@link #signJws} (any key of the ring).
     *
     * @return the context in its payload
     * @throws NonRetriableHandoffException when malformed, not HS256, signed by an unknown key or altered
     */
    public HandoffContext verifyJws(String jws) {
        if (jws == null) {
            throw new NonRetriableHandoffException("JWS is missing");
        }
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3) {
            throw new NonRetriableHandoffException("JWS is malformed: expected header.payload.signature, found " + parts.length + " parts");
        }
        com.fasterxml.jackson.databind.JsonNode header;
        byte[] payload;
        try {
            header = json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
            payload = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new NonRetriableHandoffException("JWS is malformed: " + e.getMessage());
        }
        if (header == null || !"HS256".equals(header.path("alg").asText())) {
            throw new NonRetriableHandoffException("JWS header alg must be HS256, was " + (header == null ? "missing" : header.path("alg")));
        }
        String kid = header.path("kid").asText("");
        byte[] key = keys.key(kid).orElseThrow(() -> new NonRetriableHandoffException("JWS is signed with unknown key id \"" + kid + "\""));
        String expected = hmac(key, (parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                parts[2].getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new NonRetriableHandoffException("JWS failed signature verification: it was altered");
        }
        return json.read(payload);
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
