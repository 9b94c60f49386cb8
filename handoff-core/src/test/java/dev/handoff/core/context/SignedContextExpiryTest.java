package dev.handoff.core.context;

import dev.handoff.core.testing.ManualTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.Integrity;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Signed contexts expire, every field of the integrity block is covered, the MAC is checked first, JSON is strict. */
class SignedContextExpiryTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-02T14:05:20Z"));
    private final ContextSigner signer = new ContextSigner(SigningKeys.of("k1", KEY), clock, Duration.ofHours(1));

    @Test
    void a_signed_context_carries_an_expiry_that_verify_enforces() {
        HandoffContext signed = signer.sign(TicketRedemptionTest.golden());
        byte[] bytes = signer.signToBytes(TicketRedemptionTest.golden());

        assertThat(signed.integrity().expiresAt()).isEqualTo(Instant.parse("2026-03-02T15:05:20Z"));
        assertThat(ContextSigner.DEFAULT_CONTEXT_TTL).isEqualTo(Duration.ofHours(24));
        clock.advance(Duration.ofMinutes(61));
        assertThatThrownBy(() -> signer.verify(signed))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("context " + signed.contextId() + " expired at 2026-03-02T15:05:20Z");
        assertThatThrownBy(() -> signer.verifyBytes(bytes))
                .hasMessage("context " + signed.contextId() + " expired at 2026-03-02T15:05:20Z");
    }

    @Test
    void signed_at_and_expires_at_are_covered_by_the_mac() {
        HandoffContext signed = signer.sign(TicketRedemptionTest.golden());
        Integrity i = signed.integrity();

        HandoffContext backdated = signed.withIntegrity(new Integrity(i.algorithm(), i.keyId(), i.signature(), i.signedAt().minusSeconds(3600),
                i.expiresAt()));
        HandoffContext extended = signed.withIntegrity(new Integrity(i.algorithm(), i.keyId(), i.signature(), i.signedAt(),
                i.expiresAt().plus(Duration.ofDays(365))));

        assertThatThrownBy(() -> signer.verify(backdated)).hasMessageEndingWith("failed signature verification: it was altered");
        assertThatThrownBy(() -> signer.verify(extended)).hasMessageEndingWith("failed signature verification: it was altered");
    }

    @Test
    void the_mac_is_checked_before_the_document_is_read_and_a_document_over_the_size_limit_is_refused_unread() {
        // forged: a schema-invalid document with a made-up signature is refused for its signature, never validated
        String forged = ContextJson.get().writeString(signer.sign(TicketRedemptionTest.golden()))
                .replace("\"speaker\":\"AI\"", "\"speaker\":\"ROBOT\"");
        assertThatThrownBy(() -> signer.verifyBytes(forged.getBytes(StandardCharsets.UTF_8)))
                .isNotInstanceOf(ValidationException.class)
                .hasMessageEndingWith("failed signature verification: it was altered");

        byte[] huge = new byte[ContextSigner.DEFAULT_MAX_DOCUMENT_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThatThrownBy(() -> signer.verifyBytes(huge))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("context document is " + huge.length + " bytes, more than the " + ContextSigner.DEFAULT_MAX_DOCUMENT_BYTES
                        + " accepted");
    }

    @Test
    void duplicate_keys_and_trailing_tokens_are_rejected() {
        String json = ContextJson.get().writeString(TicketRedemptionTest.golden());
        String duplicate = "{\"contextId\":\"ctx-evil\"," + json.substring(1);
        String trailing = json + " {}";

        assertThatThrownBy(() -> ContextJson.get().read(duplicate)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Duplicate field 'contextId'");
        assertThatThrownBy(() -> ContextJson.get().read(trailing)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("Trailing token");
    }

    @Test
    void a_jws_without_the_right_typ_or_past_its_exp_is_refused() {
        String jws = signer.signJws(TicketRedemptionTest.golden());
        String[] parts = jws.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);

        assertThat(header).contains("\"typ\":\"handoff.context+jws\"", "\"iat\":1772460320", "\"exp\":1772463920");
        String wrongTyp = resign(header.replace("handoff.context+jws", "JWT"), parts[1]);
        String noExp = resign(header.replaceAll(",\"exp\":\\d+", ""), parts[1]);
        assertThatThrownBy(() -> signer.verifyJws(wrongTyp)).hasMessage("JWS typ must be handoff.context+jws, was \"JWT\"");
        assertThatThrownBy(() -> signer.verifyJws(noExp)).hasMessage("JWS header has no exp");
        clock.advance(Duration.ofMinutes(61));
        assertThatThrownBy(() -> signer.verifyJws(jws)).hasMessage("JWS expired at 2026-03-02T15:05:20Z");
    }

    private static String resign(String header, String payload) {
        String input = Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + payload;
        return input + "." + ContextSigner.hmac(KEY, input.getBytes(StandardCharsets.US_ASCII));
    }
}
