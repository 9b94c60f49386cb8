package dev.handoff.crm.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import dev.handoff.crm.mapping.FieldMapping;
import dev.handoff.crm.transport.CrmHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookAdapterTest {

    private static final String SECRET = "whsec-0123456789abcdef";

    private final MockWebServer server = new MockWebServer();
    private final MockWebServer second = new MockWebServer();
    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-04T15:00:30Z"));
    private final HandoffContext context = TestContexts.sample();

    @BeforeEach
    void start() throws IOException {
        server.start();
        second.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
        second.shutdown();
    }

    private CrmHttpClient http() {
        return CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).clock(clock)
                .sleeper(d -> clock.advance(d)).random(() -> 0.0).build();
    }

    private RecordedRequest take(MockWebServer s) throws InterruptedException {
        RecordedRequest r = s.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void push_posts_the_canonical_context_signed_to_every_endpoint() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(202));
        second.enqueue(new MockResponse().setResponseCode(200));
        WebhookAdapter adapter = WebhookAdapter.builder(http()).endpoint(server.url("/hooks/handoff").toString())
                .endpoint(second.url("/crm").toString()).secret(SECRET).clock(clock).build();

        CrmReceipt receipt = adapter.push(context, "webhook:ctx-1001");

        assertThat(receipt).isEqualTo(new CrmReceipt("webhook", "webhook:ctx-1001", null));
        WebhookVerifier receiver = WebhookVerifier.builder().secret(SECRET).clock(clock).build();
        for (RecordedRequest r : List.of(take(server), take(second))) {
            byte[] body = r.getBody().readByteArray();
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
            assertThat(r.getHeader("Idempotency-Key")).isEqualTo("webhook:ctx-1001");
            assertThat(r.getHeader("Handoff-Event")).isEqualTo("handoff.context");
            assertThat(r.getHeader("Handoff-Signature")).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
            receiver.verify(r.getHeader("Handoff-Signature"), body);
            assertThat(new String(body, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(ContextJson.get().writeString(context));
            HandoffContext received = ContextJson.get().read(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(received).isEqualTo(context);
            assertThat(received.commitments()).extracting(c -> c.id()).containsExactly("c-1", "c-2");
        }
    }

    @Test
    void a_retry_keeps_the_idempotency_key_and_signs_afresh() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "2"));
        server.enqueue(new MockResponse().setResponseCode(200));
        WebhookAdapter adapter = WebhookAdapter.builder(http()).endpoint(server.url("/hooks").toString()).secret(SECRET)
                .clock(clock).build();

        adapter.push(context, "webhook:ctx-1001");

        RecordedRequest first = take(server);
        RecordedRequest retry = take(server);
        assertThat(retry.getHeader("Idempotency-Key")).isEqualTo(first.getHeader("Idempotency-Key"));
        long t1 = Long.parseLong(first.getHeader("Handoff-Signature").replaceAll("^t=(\\d+),.*$", "$1"));
        long t2 = Long.parseLong(retry.getHeader("Handoff-Signature").replaceAll("^t=(\\d+),.*$", "$1"));
        assertThat(t2 - t1).isEqualTo(2);
        assertThat(retry.getBody().readUtf8()).isEqualTo(first.getBody().readUtf8());
    }

    @Test
    void with_a_mapping_the_body_is_the_mapped_object() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        FieldMapping mapping = FieldMapping.fromYaml("""
                fields:
                  - from: $.customer.fields.email
                    to: email
                  - from: $.metadata.priority
                    to: priority
                  - from: $.semanticLedger.bant.budget.amount
                    to: budget
                    type: decimal
                """);
        WebhookAdapter adapter = WebhookAdapter.builder(http()).endpoint(server.url("/flat").toString()).secret(SECRET)
                .mapping(mapping).clock(clock).build();

        adapter.push(context, "k-1");

        assertThat(take(server).getBody().readUtf8())
                .isEqualTo("{\"email\":\"dana@example.com\",\"priority\":\"HIGH\",\"budget\":120.50}");
    }

    @Test
    void lookup_posts_the_customer_and_reads_a_profile_or_empty_on_404() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"system\":\"webhook\",\"recordId\":\"C-9\",\"displayName\":\"Dana Reyes\","
                + "\"interactions\":[{\"at\":\"2026-02-01T10:00:00Z\",\"channel\":\"phone\",\"summary\":\"Billing question\"}]}"));
        server.enqueue(new MockResponse().setResponseCode(404));
        WebhookAdapter adapter = WebhookAdapter.builder(http()).endpoint(server.url("/hooks").toString())
                .lookupUrl(server.url("/lookup").toString()).secret(SECRET).clock(clock).build();
        CustomerData dana = CustomerData.of("cust-42", Map.of()).withField("email", "dana@example.com");

        assertThat(adapter.lookup(dana)).contains(new CrmProfile("webhook", "C-9", "Dana Reyes", Map.of(),
                List.of(new CrmProfile.Interaction(Instant.parse("2026-02-01T10:00:00Z"), "phone", "Billing question", null))));
        RecordedRequest r = take(server);
        assertThat(r.getHeader("Handoff-Event")).isEqualTo("handoff.lookup");
        assertThat(r.getBody().readUtf8()).isEqualTo("{\"customer\":{\"customerId\":\"cust-42\",\"fields\":{\"email\":\"dana@example.com\"}}}");
        assertThat(adapter.lookup(dana)).isEmpty();
    }

    @Test
    void needs_an_endpoint_and_a_secret_and_https() {
        assertThatThrownBy(() -> WebhookAdapter.builder(http()).secret(SECRET).build())
                .hasMessage("a webhook adapter needs at least one endpoint");
        assertThatThrownBy(() -> WebhookAdapter.builder(http()).endpoint("https://crm.example.com/h").build())
                .hasMessage("a webhook adapter needs at least one signing secret");
        CrmHttpClient strict = CrmHttpClient.builder("webhook").build();
        assertThatThrownBy(() -> WebhookAdapter.builder(strict).endpoint("https://a.example.com/h")
                .endpoint("http://b.example.com/h").secret(SECRET).build())
                .hasMessage("webhook endpoint[1] must use https, was \"http://b.example.com/h\""
                        + " (allowInsecureHttpForTesting(true) permits http in tests)");
        assertThat(Duration.ZERO).isZero();
    }
}
