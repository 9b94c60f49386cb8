package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.ValidationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The two default authenticators: a file of token digests, and HS256-signed expiring bearer tokens. */
class AuthenticatorsTest {

    static final Instant NOW = Instant.parse("2026-03-04T15:00:00Z");
    static final byte[] KEY = "0123456789abcdef0123456789abcdef-k1".getBytes(StandardCharsets.US_ASCII);
    static final Agent ANA = new Agent("ana", "Ana Lopez", Agent.Role.AGENT, "northwind", Set.of("support"), Set.of("es"));

    @TempDir
    Path dir;

    @Test
    void a_token_file_holds_digests_and_the_agents_they_stand_for() throws Exception {
        Path file = dir.resolve("agents.json");
        Files.writeString(file, "{\"agents\": ["
                + "{\"id\": \"ana\", \"name\": \"Ana Lopez\", \"tenant\": \"northwind\", \"queues\": [\"support\"], \"skills\": [\"es\"],"
                + " \"tokenSha256\": \"" + StaticTokenAuthenticator.sha256("ana-secret-token-0001") + "\"},"
                + "{\"id\": \"sue\", \"role\": \"supervisor\", \"tokenSha256\": \"" + StaticTokenAuthenticator.sha256("sue-secret-token-0001") + "\"}]}");

        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.fromFile(file);

        assertThat(tokens.authenticate("ana-secret-token-0001")).contains(ANA);
        assertThat(tokens.authenticate("  ana-secret-token-0001\n")).as("pasted with whitespace").contains(ANA);
        assertThat(tokens.authenticate("sue-secret-token-0001")).hasValueSatisfying(a -> {
            assertThat(a.role()).isEqualTo(Agent.Role.SUPERVISOR);
            assertThat(a.tenant()).isEqualTo(Agent.DEFAULT_TENANT);
            assertThat(a.name()).isEqualTo("sue");
        });
        assertThat(tokens.authenticate("ana-secret-token-0002")).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("ana-secret-token-0001");
    }

    @Test
    void a_bad_token_file_lists_every_problem_without_echoing_a_digest() throws Exception {
        Path file = dir.resolve("agents.json");
        String digest = StaticTokenAuthenticator.sha256("dup-token-000000001");
        Files.writeString(file, "{\"agents\": ["
                + "{\"id\": \"ana\", \"token\": \"plain-secret\", \"tokenSha256\": \"" + digest + "\"},"
                + "{\"id\": \"ana\", \"role\": \"boss\", \"tokenSha256\": \"abc\"},"
                + "{\"id\": \"bob smith\", \"tokenSha256\": \"" + digest + "\", \"queues\": \"support\"}]}");

        assertThatThrownBy(() -> StaticTokenAuthenticator.fromFile(file))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid agent token file " + file + " (6 violations):\n"
                        + "  - $.agents[0].token: no plain tokens in the file: give tokenSha256, the SHA-256 of the token in hex (was null)\n"
                        + "  - $.agents[1].id: an id no other agent in the file has (was \"ana\")\n"
                        + "  - $.agents[1].role: one of [AGENT, SUPERVISOR] (was \"boss\")\n"
                        + "  - $.agents[1].tokenSha256: 64 hexadecimal digits: the SHA-256 of the agent's token (was \"(3 characters)\")\n"
                        + "  - $.agents[2].id: 1-64 characters of [A-Za-z0-9._:-] (was \"bob smith\")\n"
                        + "  - $.agents[2].queues: an array of names (was STRING)")
                .hasMessageNotContaining("plain-secret");
    }

    @Test
    void tokens_in_code_are_digested_at_once_and_must_be_long_and_unique() {
        assertThatThrownBy(() -> StaticTokenAuthenticator.builder().agent(ANA, "short"))
                .hasMessage("token of agent \"ana\" must be at least 16 characters without whitespace, had 5 characters");
        assertThatThrownBy(() -> StaticTokenAuthenticator.builder().agent(ANA, "same-token-0123456789")
                .agent(Agent.supervisor("sue", null), "same-token-0123456789"))
                .hasMessage("agents \"ana\" and \"sue\" have the same token; every agent needs their own");
        assertThatThrownBy(() -> new Agent("ana smith", null, Agent.Role.AGENT, "t", null, null))
                .hasMessage("agent id must be 1-64 characters of [A-Za-z0-9._:-], was \"ana smith\"");
    }

    static HmacTokenAuthenticator hmac(Instant now) {
        return HmacTokenAuthenticator.builder().key("k1", KEY).clock(java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).build();
    }

    @Test
    void a_signed_token_names_the_agent_until_it_expires() {
        String token = hmac(NOW).mint(ANA, Duration.ofHours(8));

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(hmac(NOW.plus(Duration.ofHours(7))).authenticate(token)).contains(ANA);
        assertThat(hmac(NOW.plus(Duration.ofHours(8))).authenticate(token)).as("expired").isEmpty();
        assertThat(HmacTokenAuthenticator.builder().key("k2", "another-key-0123456789abcdef-xyz".getBytes()).key("k1", KEY)
                .clock(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC)).build().authenticate(token))
                .as("rotated: the old key still verifies").contains(ANA);
    }

    static java.util.stream.Stream<Arguments> forgeries() {
        return java.util.stream.Stream.of(
                Arguments.of("alg none", (UnaryOperator<String>) t -> resign(t, h -> h.put("alg", "none"), c -> c, false)),
                Arguments.of("alg HS512", (UnaryOperator<String>) t -> resign(t, h -> h.put("alg", "HS512"), c -> c, true)),
                Arguments.of("unknown kid", (UnaryOperator<String>) t -> resign(t, h -> h.put("kid", "k9"), c -> c, true)),
                Arguments.of("payload changed, old signature", (UnaryOperator<String>) t -> resign(t, h -> h, c -> c.put("role", "SUPERVISOR"), false)),
                Arguments.of("another audience", (UnaryOperator<String>) t -> resign(t, h -> h, c -> c.put("aud", "crm"), true)),
                Arguments.of("no expiry", (UnaryOperator<String>) t -> resign(t, h -> h, c -> { c.remove("exp"); return c; }, true)),
                Arguments.of("lives longer than allowed", (UnaryOperator<String>) t -> resign(t, h -> h,
                        c -> c.put("exp", c.get("iat").asLong() + Duration.ofDays(2).toSeconds()), true)),
                Arguments.of("issued in the future", (UnaryOperator<String>) t -> resign(t, h -> h,
                        c -> c.put("iat", NOW.plus(Duration.ofHours(1)).getEpochSecond()).put("exp", NOW.plus(Duration.ofHours(2)).getEpochSecond()), true)),
                Arguments.of("bad role", (UnaryOperator<String>) t -> resign(t, h -> h, c -> c.put("role", "ROOT"), true)),
                Arguments.of("not a token", (UnaryOperator<String>) t -> "eyJhbGciOi.not.valid!"),
                Arguments.of("two parts", (UnaryOperator<String>) t -> t.substring(0, t.lastIndexOf('.'))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void a_forged_or_unusable_token_is_refused(String what, UnaryOperator<String> forge) {
        String token = hmac(NOW).mint(ANA, Duration.ofHours(1));

        assertThat(hmac(NOW).authenticate(forge.apply(token))).isEmpty();
    }

    /** Re-encodes a token with changed header and claims, signed with the real key or keeping the old signature. */
    static String resign(String token, UnaryOperator<ObjectNode> header, UnaryOperator<ObjectNode> claims, boolean sign) {
        try {
            ObjectMapper json = new ObjectMapper();
            String[] p = token.split("\\.");
            Base64.Decoder d = Base64.getUrlDecoder();
            Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
            ObjectNode h = header.apply((ObjectNode) json.readTree(d.decode(p[0])));
            ObjectNode c = claims.apply((ObjectNode) json.readTree(d.decode(p[1])));
            String body = e.encodeToString(h.toString().getBytes(StandardCharsets.UTF_8)) + "." + e.encodeToString(c.toString().getBytes(StandardCharsets.UTF_8));
            if (!sign) {
                return body + "." + p[2];
            }
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            return body + "." + e.encodeToString(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }

    @Test
    void a_signed_token_signs_in_to_the_desktop_and_is_never_stored() {
        HmacTokenAuthenticator tokens = HmacTokenAuthenticator.builder().key("k1", KEY).build();
        String token = tokens.mint(ANA, Duration.ofMinutes(10));
        try (DeskFixture f = new DeskFixture(tokens, b -> b, h -> h, java.time.Clock.systemUTC());
             DeskClient c = new DeskClient(f.desk.baseUri())) {
            DeskClient.Answer a = c.post("/api/session", "{\"credential\":\"" + token + "\"}");

            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().path("agent").path("tenant").asText()).isEqualTo("northwind");
            assertThat(f.audit.records().toString()).doesNotContain(token);
        }
        assertThatThrownBy(() -> tokens.mint(ANA, Duration.ofHours(13)))
                .hasMessage("token lifetime must be positive and at most PT12H, was PT13H");
    }
}
