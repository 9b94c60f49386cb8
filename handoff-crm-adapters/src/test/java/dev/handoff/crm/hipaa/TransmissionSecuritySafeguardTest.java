package dev.handoff.crm.hipaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Channel;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRequest;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.webhook.WebhookAdapter;
import dev.handoff.crm.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * HIPAA 45 CFR 164.312(e)(1), transmission security: integrity controls and encryption of what leaves the process.
 * The CRM transport refuses plain HTTP (only a test mode allows it), every webhook body is HMAC-signed so the
 * receiver detects a change in transit, and a CRM that is not declared PHI-capable receives a redacted copy.
 *
 * <p>Remains the deployer's duty: TLS everywhere the SDK does not dial itself — the agent desktop's listener (issue
 * 14), SIP over TLS with SRTP for the voice legs, the database connection; business associate agreements with the
 * CRM and LLM vendors that receive contexts; declaring a destination PHI-capable only when it is.
 */
class TransmissionSecuritySafeguardTest {

    private static final String SECRET = "whsec-0123456789abcdef";

    @Test
    void plain_http_is_refused_outside_test_mode() {
        CrmHttpClient strict = CrmHttpClient.builder("ehr").build();

        assertThatThrownBy(() -> strict.execute(CrmRequest.post(HttpUrl.get("http://crm.example.com/notes"), "{}")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("ehr refuses to send to a non-https URL: http://crm.example.com/notes");
        assertThatThrownBy(() -> strict.requireUrl("baseUrl", "http://crm.example.com"))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void the_crm_copy_is_signed_for_integrity_in_transit_and_redacted_for_a_non_phi_crm() throws Exception {
        try (MockWebServer crm = new MockWebServer()) {
            crm.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
            crm.start();
            CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).retryPolicy(RetryPolicy.noRetries()).build();
            WebhookAdapter webhook = WebhookAdapter.builder(http).endpoint(crm.url("/hooks").toString()).secret(SECRET).build();
            RecordedRequest sent;
            try (Handoff handoff = Handoff.builder().crmAdapter(webhook).transferTimeout(java.time.Duration.ofMillis(200)).build()) {
                HandoffSession chat = handoff.open(SessionId.of("hipaa-tx-1"), Channel.CHAT, CustomerData.of("pat-1", Map.of()));
                chat.customer("my SSN is 123-45-6789 and my number is (555) 555-0142");
                HandoffOutcome outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
                assertThat(outcome).isNotNull();
                sent = crm.takeRequest(20, TimeUnit.SECONDS); // before close: the push runs on Handoff's own threads
            }
            assertThat(sent).isNotNull();
            byte[] body = sent.getBody().readByteArray();
            WebhookVerifier receiver = WebhookVerifier.builder().secret(SECRET).build();

            assertThat(receiver.isValid(sent.getHeader(WebhookVerifier.HEADER), body)).isTrue();
            byte[] changed = body.clone();
            changed[changed.length / 2] ^= 0x01;
            assertThat(receiver.isValid(sent.getHeader(WebhookVerifier.HEADER), changed)).isFalse();
            String text = new String(body, StandardCharsets.UTF_8);
            assertThat(text).contains("[REDACTED:ssn]", "[REDACTED:phone]", "\"phi\":false").doesNotContain("123-45-6789", "555-0142");
        }
    }
}
