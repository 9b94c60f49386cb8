package dev.handoff.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived bearer tokens signed with HMAC-SHA256, in the compact JWS form any JWT library writes
 * ({@code header.payload.signature}, header {@code {"alg":"HS256","typ":"JWT","kid":"k1"}}). Your sign-on service mints
 * one when the person signs on (with this class's {@link #mint} or its own JWT library) and posts it to the desktop's
 * sign-in; the desktop checks it and exchanges it for a session cookie.
 *
 * <p>Claims: {@code sub} (agent id), {@code name}, {@code role} ({@code AGENT} or {@code SUPERVISOR}), {@code tenant},
 * {@code queues}, {@code skills}, {@code aud} = {@value #AUDIENCE}, {@code iat} and {@code exp} (epoch seconds).
 * Refused: any other {@code alg} (no {@code none}, no RS/ES confusion), an unknown {@code kid}, a wrong signature, a
 * token past {@code exp} or issued for longer than {@link Builder#maxLifetime}, one issued in the future, another
 * audience. Keys rotate: the first key signs, every key verifies. Thread-safe and immutable.
 */
public final class HmacTokenAuthenticator implements AgentAuthenticator {

    /** The audience every token must name. */
    public static final String AUDIENCE = "handoff-desktop";
    /** Default longest lifetime a token may have ({@code exp - iat}). */
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(12);
    /** Shortest key accepted. */
    public static final int MIN_KEY_BYTES = 32;
    /** Clock skew tolerated for {@code iat}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]+");

    private final String signingKid;
    private final Map<String, byte[]> keys;
    private final Clock clock;
    private final Duration maxLifetime;

    private HmacTokenAuthenticator(Builder b) {
        this.signingKid = b.keys.keySet().iterator().next();
        this.keys = Map.copyOf(b.keys);
        this.clock = b.clock;
        this.maxLifetime = b.maxLifetime;
    }

    /**
     * A builder; at least one key must be added ({@code key(keyId, bytes)}) before {@link Builder#build}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A token for this agent, valid from now for {@code lifetime}, signed with the first key.
     *
     * @throws IllegalArgumentException when the lifetime is not positive or longer than the maximum
     */
    public String mint(Agent agent, Duration lifetime) {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("token lifetime must be positive and at most " + maxLifetime + ", was " + lifetime);
        }
        long now = clock.instant().getEpochSecond();
        ObjectNode header = JSON.createObjectNode().put("alg", "HS256").put("typ", "JWT").put("kid", signingKid);
        ObjectNode claims = JSON.createObjectNode()
                .put("sub", agent.id()).put("name", agent.name()).put("role", agent.role().name()).put("tenant", agent.tenant())
                .put("aud", AUDIENCE).put("iat", now).put("exp", now + lifetime.toSeconds());
        agent.queues().forEach(claims.putArray("queues")::add);
        agent.skills().forEach(claims.putArray("skills")::add);
        String body = B64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(hmac(keys.get(signingKid), body));
    }

    @Override
    public Optional<Agent> authenticate(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.strip().split("\\.", -1);
        if (parts.length != 3 || !PART.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches()
                || !PART.matcher(parts[2]).matches()) {
            return Optional.empty();
        }
        try {
            JsonNode header = JSON.readTree(B64D.decode(parts[0]));
            if (!header.isObject() || !"HS256".equals(header.path("alg").asText(null)) || header.has("crit")) {
                return Optional.empty();
            }
            byte[] key = keys.get(header.path("kid").asText(""));
            if (key == null) {
                return Optional.empty();
            }
            byte[] expected = hmac(key, parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode c = JSON.readTree(B64D.decode(parts[1]));
            if (!c.isObject() || !c.path("iat").canConvertToLong() || !c.path("exp").canConvertToLong() || !audienceOk(c.get("aud"))) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Instant iat = Instant.ofEpochSecond(c.get("iat").asLong());
            Instant exp = Instant.ofEpochSecond(c.get("exp").asLong());
            if (!now.isBefore(exp) || iat.isAfter(now.plus(CLOCK_SKEW)) || Duration.between(iat, exp).compareTo(maxLifetime) > 0) {
                return Optional.empty();
            }
            Agent.Role role = Agent.Role.valueOf(c.path("role").asText("AGENT"));
            return Optional.of(new Agent(c.path("sub").asText(""), c.path("name").asText(null), role,
                    c.path("tenant").asText(Agent.DEFAULT_TENANT), names(c.get("queues")), names(c.get("skills"))));
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();   // not base64url, not JSON, a bad role or id: not a valid token
        }
    }

    private static boolean audienceOk(JsonNode aud) {
        if (aud == null) {
            return false;
        }
        if (aud.isTextual()) {
            return AUDIENCE.equals(aud.asText());
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (AUDIENCE.equals(a.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Set<String> names(JsonNode array) {
        Set<String> s = new LinkedHashSet<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> {
                if (n.isTextual() && !n.asText().isBlank()) {
                    s.add(n.asText());
                }
            });
        }
        return s;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Keys (the first one signs), the clock and the longest lifetime. */
    public static final class Builder {

        private final Map<String, byte[]> keys = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;

        private Builder() {
        }

        /**
         * Adds a key. The first key added signs {@link #mint minted} tokens; every key verifies.
         *
         * @param keyId 1-32 characters of {@code [A-Za-z0-9._-]}, the token header's {@code kid}
         * @param key   at least {@value HmacTokenAuthenticator#MIN_KEY_BYTES} random bytes
         */
        public Builder key(String keyId, byte[] key) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(key, "key");
            if (!KID.matcher(keyId).matches()) {
                throw new ConfigurationException("token key id must be 1-32 characters of [A-Za-z0-9._-], was \"" + Agent.clean(keyId) + "\"");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new ConfigurationException("token key \"" + keyId + "\" must be at least " + MIN_KEY_BYTES + " bytes, was " + key.length);
            }
            if (keys.putIfAbsent(keyId, key.clone()) != null) {
                throw new ConfigurationException("token key \"" + keyId + "\" is configured twice");
            }
            return this;
        }

        /** Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Longest {@code exp - iat} accepted. Default {@link #DEFAULT_MAX_LIFETIME} (12 hours, a long shift). */
        public Builder maxLifetime(Duration maxLifetime) {
            Objects.requireNonNull(maxLifetime, "maxLifetime");
            if (maxLifetime.isNegative() || maxLifetime.isZero()) {
                throw new ConfigurationException("token max lifetime must be positive, was " + maxLifetime);
            }
            this.maxLifetime = maxLifetime;
            return this;
        }

        /** @throws ConfigurationException when no key was added */
        public HmacTokenAuthenticator build() {
            if (keys.isEmpty()) {
                throw new ConfigurationException("no token key: add one with key(keyId, bytes)");
            }
            return new HmacTokenAuthenticator(this);
        }
    }
}
