package dev.handoff.crm.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.webhook.WebhookSignatureException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

    private static final String OLD = "whsec-old-0123456789abcdef";
    private static final String NEW = "whsec-new-fedcba9876543210";
    private static final byte[] BODY = "{\"contextId\":\"ctx-1\",\"amount\":120.50}".getBytes(StandardCharsets.UTF_8);

    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-04T15:00:00Z"));
    private final long now = clock.instant().getEpochSecond();

    private WebhookVerifier verifier(String... secrets) {
        WebhookVerifier.Builder b = WebhookVerifier.builder().clock(clock);
        for (String s : secrets) {
            b.secret(s);
        }
        return b.build();
    }

    @Test
    void header_is_t_and_one_v1_per_secret_over_t_dot_body() {
        String header = new WebhookSigner(List.of(NEW, OLD), clock).sign(BODY);

        assertThat(header).matches("t=" + now + ",v1=[0-9a-f]{64},v1=[0-9a-f]{64}");
        // HMAC-SHA256(NEW, "1772636400." + body), computed independently of the signer
        assertThat(header.split(",")[1]).isEqualTo("v1=" + hmac(NEW, now + "." + new String(BODY, StandardCharsets.UTF_8)));
    }

    @Test
    void accepts_an_untouched_delivery() {
        String header = new WebhookSigner(List.of(NEW), clock).sign(BODY);

        assertThatCode(() -> verifier(NEW).verify(header, BODY)).doesNotThrowAnyException();
        assertThat(verifier(NEW).isValid(header, BODY)).isTrue();
    }

    @Test
    void rejects_a_body_with_one_changed_byte() {
        String header = new WebhookSigner(List.of(NEW), clock).sign(BODY);
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 0x01; // 120.50 -> 120.40

        assertThatThrownBy(() -> verifier(NEW).verify(header, tampered))
                .isInstanceOfSatisfying(WebhookSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE))
                .hasMessage("Handoff-Signature has 1 v1 signature and none matches the body under the 1 configured secret");
    }

    @Test
    void rejects_a_timestamp_301_seconds_off_either_way_and_accepts_300() {
        WebhookSigner signer = new WebhookSigner(List.of(NEW), clock);

        assertThatThrownBy(() -> verifier(NEW).verify(signer.sign(BODY, now - 301), BODY))
                .isInstanceOfSatisfying(WebhookSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TIMESTAMP_OUTSIDE_TOLERANCE))
                .hasMessage("Handoff-Signature timestamp " + (now - 301) + " is 301 s from this receiver's clock (" + now
                        + "); the tolerance is 300 s");
        assertThatThrownBy(() -> verifier(NEW).verify(signer.sign(BODY, now + 301), BODY))
                .isInstanceOf(WebhookSignatureException.class)
                .hasMessageContaining("is 301 s from");
        assertThatCode(() -> verifier(NEW).verify(signer.sign(BODY, now - 300), BODY)).doesNotThrowAnyException();
        assertThatCode(() -> verifier(NEW).verify(signer.sign(BODY, now + 300), BODY)).doesNotThrowAnyException();
    }

    @Test
    void rotated_keys_sender_signs_with_both_and_either_receiver_config_accepts() {
        String rotating = new WebhookSigner(List.of(NEW, OLD), clock).sign(BODY);
        String oldOnly = new WebhookSigner(List.of(OLD), clock).sign(BODY);

        // receivers not yet updated, updated, and mid-rotation all accept the sender that is rotating
        assertThat(verifier(OLD).isValid(rotating, BODY)).isTrue();
        assertThat(verifier(NEW).isValid(rotating, BODY)).isTrue();
        // a receiver mid-rotation still accepts a sender that has not started rotating
        assertThat(verifier(NEW, OLD).isValid(oldOnly, BODY)).isTrue();
        // once the old secret is dropped on the receiver, old-only signatures are refused
        assertThatThrownBy(() -> verifier(NEW).verify(oldOnly, BODY))
                .isInstanceOfSatisfying(WebhookSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_MATCHING_SIGNATURE));
        assertThat(verifier("whsec-unrelated-000000000").isValid(rotating, BODY)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v1=abc", "t=1772636400", "t=soon,v1=" + "ab", "t=1772636400,v1=xyz",
            "t=1,t=2,v1=0000000000000000000000000000000000000000000000000000000000000000", "garbage"})
    void rejects_malformed_headers_as_malformed(String header) {
        assertThatThrownBy(() -> verifier(NEW).verify(header, BODY))
                .isInstanceOfSatisfying(WebhookSignatureException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER));
    }

    @Test
    void a_missing_header_says_so() {
        assertThatThrownBy(() -> verifier(NEW).verify(null, BODY))
                .hasMessage("Handoff-Signature header is missing");
    }

    @Test
    void unknown_schemes_are_ignored_so_senders_can_add_them() {
        String header = new WebhookSigner(List.of(NEW), clock).sign(BODY) + ",v2=somethingnew";

        assertThat(verifier(NEW).isValid(header, BODY)).isTrue();
    }

    @Test
    void short_secrets_and_empty_configs_are_refused() {
        assertThatThrownBy(() -> WebhookVerifier.builder().secret("short"))
                .hasMessage("secret must be at least 16 bytes, was 5");
        assertThatThrownBy(() -> WebhookVerifier.builder().build())
                .hasMessage("a webhook verifier needs at least one secret");
        assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofSeconds(-1)))
                .hasMessage("tolerance must not be negative, was PT-1S");
    }

    private static String hmac(String secret, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
