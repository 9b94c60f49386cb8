package dev.handoff.core.context;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.Integrity;
import dev.handoff.core.internal.Text;
import dev.handoff.core.json.ContextJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies contexts with HMAC-SHA256 (keys by id, rotating through {@link SigningKeys}). Every signed
 * context expires ({@link #DEFAULT_CONTEXT_TTL} after signing unless set otherwise): {@link #verify},
 * {@link #verifyBytes} and {@link #verifyJws} refuse it after that.
 *
 * <p>Two forms:
 * <ul>
 *   <li><b>Embedded</b> ({@link #sign}, {@link #signToBytes}, {@link #verify}, {@link #verifyBytes}): the
 *       {@code integrity} block carries an HMAC over the compact serialisation of the document without that block,
 *       followed by the block's algorithm, key id, {@code signedAt} and {@code expiresAt}: none of them can be
 *       changed. {@link #verifyBytes} checks the MAC <em>first</em>, on the raw bytes (a streaming scan finds the
 *       integrity block; nothing is bound or validated before the MAC holds), refuses documents over
 *       {@link #DEFAULT_MAX_DOCUMENT_BYTES} unread, then reads strictly (duplicate keys and trailing tokens are
 *       rejected) and requires the canonical serialisation (no added whitespace, reordered keys or re-escaped
 *       characters).</li>
 *   <li><b>JWS compact</b> ({@link #signJws}, {@link #verifyJws}): {@code header.payload.signature}, base64url,
 *       {@code alg} HS256, {@code kid}, {@code typ} {@value #JWS_TYPE}, {@code iat} and {@code exp} in the
 *       protected header, all checked; the payload is the compact document without an {@code integrity} block.</li>
 * </ul>
 *
 * <p>Thread-safe. Called on the orchestrator's worker thread (signing) and by whatever redeems tickets
 * (verifying). Verification failures throw {@link NonRetriableHandoffException} naming the reason, with any text
 * taken from the input stripped of control characters; a document that is not valid JSON or violates the schema
 * (after its MAC held) throws its subclass {@link dev.handoff.api.ValidationException}.
 */
public final class ContextSigner {

    /** The algorithm name written into {@link Integrity#algorithm()}. */
    public static final String ALGORITHM = "HMAC-SHA256";
    /** The {@code typ} of the JWS protected header. */
    public static final String JWS_TYPE = "handoff.context+jws";
    /** How long a signed context verifies by default: 24 hours, the working day of the agents who read it. */
    public static final Duration DEFAULT_CONTEXT_TTL = Duration.ofHours(24);
    /** The largest document {@link #verifyBytes} and {@link #verifyJws} read: 8 MiB. */
    public static final int DEFAULT_MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

    private final SigningKeys keys;
    private final Clock clock;
    private final Duration ttl;
    private final ContextJson json = ContextJson.get();

    /**
     * A signer whose contexts verify for {@link #DEFAULT_CONTEXT_TTL}.
     *
     * @param keys  signs with the current key, verifies with any key of the set
     * @param clock signing time and expiry are read from it
     */
    public ContextSigner(SigningKeys keys, Clock clock) {
        this(keys, clock, DEFAULT_CONTEXT_TTL);
    }

    /**
     * A signer whose contexts verify for {@code ttl}.
     *
     * @param keys  signs with the current key, verifies with any key of the set
     * @param clock signing time and expiry are read from it
     * @param ttl   how long a context verifies after it is signed
     * @throws IllegalArgumentException when {@code ttl} is not positive
     */
    public ContextSigner(SigningKeys keys, Clock clock, Duration ttl) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("context ttl must be positive, was " + ttl);
        }
    }

    /**
     * The keys it signs and verifies with.
     *
     * @return the key ring
     */
    public SigningKeys keys() {
        return keys;
    }

    /**
     * How long a context verifies after it is signed.
     *
     * @return the lifetime
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * A copy of the context carrying a fresh signature by the current key, expiring {@link #ttl()} from now.
     *
     * @param context the context; its integrity block, if any, is replaced
     * @return a signed copy; {@code context} is not changed
     */
    public HandoffContext sign(HandoffContext context) {
        HandoffContext unsigned = context.withIntegrity(null);
        return unsigned.withIntegrity(integrity(json.write(unsigned)));
    }

    /**
     * A signed context and the size of its compact serialisation.
     *
     * @param context the signed copy
     * @param bytes   the length of {@link #signToBytes}'s output for it
     */
    public record Signed(HandoffContext context, int bytes) {
    }

    /**
     * {@link #sign}, also reporting the signed document's size without serialising it a second time.
     *
     * @param context the context
     * @return the signed copy and its size in bytes
     */
    public Signed signMeasured(HandoffContext context) {
        HandoffContext unsigned = context.withIntegrity(null);
        byte[] body = json.write(unsigned);
        Integrity integrity = integrity(body);
        HandoffContext signed = unsigned.withIntegrity(integrity);
        if (!unsigned.extensions().isEmpty() || body.length == 0 || body[body.length - 1] != '}') {
            return new Signed(signed, json.write(signed).length);
        }
        return new Signed(signed, body.length - 1 + INTEGRITY_KEY.length + integrityBytes(integrity, context).length + 1);
    }

    private static final byte[] INTEGRITY_KEY = ",\"integrity\":".getBytes(StandardCharsets.US_ASCII);

    private byte[] integrityBytes(Integrity integrity, HandoffContext context) {
        try {
            return json.mapper().writeValueAsBytes(integrity);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException("cannot serialise the integrity block of " + Text.safe(context.contextId()), e);
        }
    }

    private Integrity integrity(byte[] body) {
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        String mac = hmac(keys.current(), body, signingTail(ALGORITHM, keys.currentId(), now, expires));
        return new Integrity(ALGORITHM, keys.currentId(), mac, now, expires);
    }

    /**
     * What the MAC covers after the body: each field of the integrity block but the signature. The MAC reads the body
     * and then these bytes; they are not copied into one array.
     */
    private static byte[] signingTail(String algorithm, String keyId, Instant signedAt, Instant expiresAt) {
        return ("\n" + algorithm + "\n" + keyId + "\n" + signedAt + "\n" + expiresAt).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @return the context when its signature is valid and it has not expired
     * @param context a signed context
     * @throws NonRetriableHandoffException naming the reason when unsigned, signed by an unknown key, altered or
     *                                      expired
     */
    public HandoffContext verify(HandoffContext context) {
        Integrity integrity = context.integrity();
        String id = Text.safe(context.contextId());
        if (integrity == null) {
            throw new NonRetriableHandoffException("context " + id + " is not signed");
        }
        checkMac(id, json.write(context.withIntegrity(null)), integrity);
        checkExpiry(id, integrity);
        return context;
    }

    private void checkMac(String id, byte[] body, Integrity integrity) {
        if (!ALGORITHM.equals(integrity.algorithm())) {
            throw new NonRetriableHandoffException("context " + id + " uses algorithm \"" + Text.safe(integrity.algorithm())
                    + "\", expected " + ALGORITHM);
        }
        byte[] key = keys.key(integrity.keyId()).orElseThrow(() -> new NonRetriableHandoffException(
                "context " + id + " is signed with unknown key id \"" + Text.safe(integrity.keyId()) + "\""));
        if (integrity.signedAt() == null || integrity.expiresAt() == null || integrity.signature() == null) {
            throw new NonRetriableHandoffException("context " + id + " has an incomplete integrity block");
        }
        String expected = hmac(key, body, signingTail(integrity.algorithm(), integrity.keyId(), integrity.signedAt(),
                integrity.expiresAt()));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), integrity.signature().getBytes(StandardCharsets.UTF_8))) {
            throw new NonRetriableHandoffException("context " + id + " failed signature verification: it was altered");
        }
    }

    private void checkExpiry(String id, Integrity integrity) {
        if (!clock.instant().isBefore(integrity.expiresAt())) {
            throw new NonRetriableHandoffException("context " + id + " expired at " + integrity.expiresAt());
        }
    }

    /**
     * Signs with the current key and returns the exact bytes to send or store (compact JSON): the same bytes as
     * writing {@link #sign}'s result.
     *
     * @param context the context
     * @return the signed document as compact UTF-8 JSON
     */
    public byte[] signToBytes(HandoffContext context) {
        HandoffContext unsigned = context.withIntegrity(null);
        byte[] body = json.write(unsigned);
        Integrity integrity = integrity(body);
        if (!unsigned.extensions().isEmpty() || body.length == 0 || body[body.length - 1] != '}') {
            // unknown fields are written after the integrity block: serialise the whole document again
            return json.write(unsigned.withIntegrity(integrity));
        }
        byte[] block = integrityBytes(integrity, context);
        byte[] key = INTEGRITY_KEY;
        byte[] out = new byte[body.length - 1 + key.length + block.length + 1];
        System.arraycopy(body, 0, out, 0, body.length - 1);
        System.arraycopy(key, 0, out, body.length - 1, key.length);
        System.arraycopy(block, 0, out, body.length - 1 + key.length, block.length);
        out[out.length - 1] = '}';
        return out;
    }

    /**
     * Verifies exactly the bytes received: size first, then the MAC over the raw bytes, then a strict read, the
     * canonical form and the expiry.
     *
     * @return the context they hold
     * @param bytes the compact JSON as received
     * @throws NonRetriableHandoffException when too large, unsigned, signed by an unknown key, altered in any byte,
     *                                      not in canonical form or expired
     */
    public HandoffContext verifyBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > DEFAULT_MAX_DOCUMENT_BYTES) {
            throw new NonRetriableHandoffException("context document is " + bytes.length + " bytes, more than the "
                    + DEFAULT_MAX_DOCUMENT_BYTES + " accepted");
        }
        RawIntegrity raw = RawIntegrity.find(bytes);
        checkMac("document", raw.body(bytes), raw.integrity);
        HandoffContext context = json.read(bytes);
        if (!java.util.Arrays.equals(json.write(context), bytes)) {
            throw new NonRetriableHandoffException("context " + Text.safe(context.contextId())
                    + " is not in canonical form (bytes were added, removed or re-encoded after signing)");
        }
        checkExpiry(Text.safe(context.contextId()), context.integrity());
        return context;
    }

    /**
     * The JWS compact form of a context (its {@code integrity} block, if any, is left out of the payload).
     *
     * @param context the context
     * @return the JWS compact serialization ({@code header.payload.signature})
     */
    public String signJws(HandoffContext context) {
        long now = clock.instant().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + keys.currentId() + "\",\"typ\":\"" + JWS_TYPE + "\",\"iat\":" + now
                + ",\"exp\":" + (now + ttl.toSeconds()) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(json.write(context.withIntegrity(null)));
        return signingInput + "." + hmac(keys.current(), signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Verifies a JWS compact string made by {@link #signJws} (any key of the ring): the MAC first, then {@code typ},
     * {@code exp} and {@code iat}, then the payload (strictly).
     *
     * @return the context in its payload
     * @param jws the JWS as received
     * @throws NonRetriableHandoffException when malformed, too large, not HS256, signed by an unknown key, altered,
     *                                      of another {@code typ}, without {@code exp} or past it
     */
    public HandoffContext verifyJws(String jws) {
        if (jws == null) {
            throw new NonRetriableHandoffException("JWS is missing");
        }
        if (jws.length() > DEFAULT_MAX_DOCUMENT_BYTES * 4L / 3 + 1024) {
            throw new NonRetriableHandoffException("JWS is " + jws.length() + " characters, more than a "
                    + DEFAULT_MAX_DOCUMENT_BYTES + "-byte document takes");
        }
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3) {
            throw new NonRetriableHandoffException("JWS is malformed: expected header.payload.signature, found " + parts.length + " parts");
        }
        JsonNode header;
        try {
            header = json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        } catch (IllegalArgumentException | IOException e) {
            throw new NonRetriableHandoffException("JWS header is malformed: " + Text.safe(e.getMessage()));
        }
        if (header == null || !header.isObject() || !"HS256".equals(header.path("alg").asText())) {
            throw new NonRetriableHandoffException("JWS header alg must be HS256, was "
                    + (header == null ? "missing" : Text.safe(header.path("alg"))));
        }
        String kid = header.path("kid").asText("");
        byte[] key = keys.key(kid).orElseThrow(() -> new NonRetriableHandoffException("JWS is signed with unknown key id \""
                + Text.safe(kid) + "\""));
        String expected = hmac(key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.UTF_8))) {
            throw new NonRetriableHandoffException("JWS failed signature verification: it was altered");
        }
        if (!JWS_TYPE.equals(header.path("typ").asText(null))) {
            throw new NonRetriableHandoffException("JWS typ must be " + JWS_TYPE + ", was \"" + Text.safe(header.path("typ").asText("")) + "\"");
        }
        if (!header.path("exp").canConvertToLong() || !header.path("exp").isIntegralNumber()) {
            throw new NonRetriableHandoffException("JWS header has no exp");
        }
        if (!header.path("iat").isIntegralNumber()) {
            throw new NonRetriableHandoffException("JWS header has no iat");
        }
        Instant exp = Instant.ofEpochSecond(header.path("exp").asLong());
        if (!clock.instant().isBefore(exp)) {
            throw new NonRetriableHandoffException("JWS expired at " + exp);
        }
        byte[] payload;
        try {
            payload = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new NonRetriableHandoffException("JWS payload is not base64url");
        }
        return json.read(payload);
    }

    /** The HMAC-SHA256 of {@code data}'s arrays read one after the other, base64url without padding. */
    static String hmac(byte[] key, byte[]... data) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(rawHmac(key, data));
    }

    /** The HMAC-SHA256 of {@code data}'s arrays read one after the other. */
    static byte[] rawHmac(byte[] key, byte[]... data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] part : data) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * The top-level {@code integrity} member of raw document bytes, found with a streaming scan (no binding, no
     * validation), and where it sits so the signed body can be cut out around it.
     */
    private record RawIntegrity(Integrity integrity, int from, int to) {

        static RawIntegrity find(byte[] bytes) {
            try (JsonParser p = ContextJson.get().mapper().getFactory().rebuild()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().createParser(bytes)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new NonRetriableHandoffException("context document is not a JSON object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    int nameStart = (int) p.currentTokenLocation().getByteOffset();
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("integrity".equals(name)) {
                        if (value != JsonToken.START_OBJECT) {
                            throw new NonRetriableHandoffException("context document has an integrity member that is not an object");
                        }
                        JsonNode node = ContextJson.get().mapper().reader()
                                .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(p);
                        int end = (int) p.currentLocation().getByteOffset();
                        // cut the member with the comma before it: what is left is the body that was signed
                        int k = nameStart - 1;
                        while (k > 0 && (bytes[k] == ' ' || bytes[k] == '\n' || bytes[k] == '\r' || bytes[k] == '\t')) {
                            k--;
                        }
                        int from = k > 0 && bytes[k] == ',' ? k : nameStart;
                        return new RawIntegrity(parse(node), from, end);
                    }
                    p.skipChildren();
                }
            } catch (IOException e) {
                throw new NonRetriableHandoffException("context document is not well-formed JSON: " + Text.safe(e.getMessage()));
            }
            throw new NonRetriableHandoffException("context document is not signed");
        }

        private static Integrity parse(JsonNode n) {
            try {
                return new Integrity(n.path("algorithm").asText(null), n.path("keyId").asText(""), n.path("signature").asText(null),
                        n.hasNonNull("signedAt") ? Instant.parse(n.get("signedAt").asText()) : null,
                        n.hasNonNull("expiresAt") ? Instant.parse(n.get("expiresAt").asText()) : null);
            } catch (DateTimeParseException e) {
                throw new NonRetriableHandoffException("context document has an unreadable signedAt or expiresAt");
            }
        }

        byte[] body(byte[] bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
            out.write(bytes, 0, from);
            out.write(bytes, to, bytes.length - to);
            return out.toByteArray();
        }
    }
}
