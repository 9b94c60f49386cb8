package dev.handoff.crm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrmHttpClientTest {

    private final MockWebServer server = new MockWebServer();
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-04T15:00:00Z"));

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private CrmHttpClient.Builder client() {
        return CrmHttpClient.builder("acme")
                .allowInsecureHttpForTesting(true)
                .sleeper(sleeper)
                .clock(clock)
                .random(() -> 0.5)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(5));
    }

    private CrmRequest post() {
        return CrmRequest.post(server.url("/v1/handoffs"), "{\"a\":1}").withIdempotencyKey("acme:ctx-1");
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the server").isNotNull();
        return r;
    }

    @Test
    void retries_503_503_then_succeeds_with_the_same_idempotency_key_and_backoff() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"ok\":true}"));

        CrmResponse response = client().build().execute(post());

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(response.attempts()).isEqualTo(3);
        assertThat(server.getRequestCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            RecordedRequest r = take();
            assertThat(r.getHeader("Idempotency-Key")).isEqualTo("acme:ctx-1");
            assertThat(r.getBody().readUtf8()).isEqualTo("{\"a\":1}");
        }
        // 500 ms and 1000 ms, each x 0.875 with the injected random 0.5
        assertThat(sleeper.waits).containsExactly(Duration.ofNanos(437_500_000), Duration.ofMillis(875));
    }

    @Test
    void execute_once_hands_a_429_to_the_caller_with_its_retry_after_and_never_waits() {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));

        assertThatThrownBy(() -> client().build().executeOnce(post()))
                .isInstanceOfSatisfying(RetriableHandoffException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)))
                .hasMessage("acme POST /v1/handoffs failed: HTTP 429 after 1 attempt");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void honours_retry_after_seconds_on_429() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
        server.enqueue(new MockResponse().setResponseCode(201).setBody("{}"));

        CrmResponse response = client().build().execute(post());

        assertThat(response.code()).isEqualTo(201);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
        assertThat(take().getHeader("Idempotency-Key")).isEqualTo(take().getHeader("Idempotency-Key"));
    }

    @Test
    void honours_retry_after_http_date_on_503() {
        String inTwelveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plusSeconds(12).atZone(ZoneOffset.UTC));
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", inTwelveSeconds));
        server.enqueue(new MockResponse().setResponseCode(200));

        client().build().execute(post());

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void a_retry_after_longer_than_the_in_process_limit_is_handed_to_the_caller() {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "3600"));

        assertThatThrownBy(() -> client().build().execute(post()))
                .isInstanceOfSatisfying(RetriableHandoffException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofHours(1)))
                .hasMessage("acme POST /v1/handoffs failed: HTTP 503 after 1 attempt");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void does_not_retry_400_and_names_the_call_and_the_crm_error_code() {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"category\":\"VALIDATION_ERROR\",\"message\":\"Property values were not valid\"}"));

        assertThatThrownBy(() -> client().build().execute(post()))
                .isInstanceOfSatisfying(CrmRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("acme POST /v1/handoffs was refused: HTTP 400 (VALIDATION_ERROR)");
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void retries_409_but_not_404() {
        server.enqueue(new MockResponse().setResponseCode(409));
        server.enqueue(new MockResponse().setResponseCode(200));
        client().build().execute(post());
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(new MockResponse().setResponseCode(404));
        assertThatThrownBy(() -> client().build().execute(post())).isInstanceOf(CrmRefusedException.class);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void a_connection_lost_after_the_request_is_retried_with_the_same_key() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));

        CrmResponse response = client().build().execute(post());

        assertThat(response.attempts()).isEqualTo(2);
        RecordedRequest first = take();
        RecordedRequest second = take();
        assertThat(first.getBody().readUtf8()).isEqualTo("{\"a\":1}");
        assertThat(second.getHeader("Idempotency-Key")).isEqualTo(first.getHeader("Idempotency-Key")).isEqualTo("acme:ctx-1");
    }

    @Test
    void no_response_times_out_and_is_retried() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));

        CrmResponse response = client().readTimeout(Duration.ofMillis(200)).build().execute(post());

        assertThat(response.attempts()).isEqualTo(2);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_crm_that_never_answers_ends_in_a_retriable_timeout_after_every_attempt() {
        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        }

        assertThatThrownBy(() -> client().readTimeout(Duration.ofMillis(150))
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(2)).build().execute(post()))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessageStartingWith("acme POST /v1/handoffs failed: read timed out")
                .hasMessageEndingWith(" after 2 attempts");
        assertThat(sleeper.waits).hasSize(1);
    }

    @Test
    void a_slow_body_hits_the_call_timeout_and_is_retried() {
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"slow\":\"" + "x".repeat(64) + "\"}")
                .throttleBody(4, 100, TimeUnit.MILLISECONDS));
        server.enqueue(new MockResponse().setResponseCode(200).setBody("{\"fast\":true}"));

        CrmResponse response = client().readTimeout(Duration.ofSeconds(2)).connectTimeout(Duration.ofMillis(300))
                .callTimeout(Duration.ofMillis(400)).build().execute(post());

        assertThat(response.body()).isEqualTo("{\"fast\":true}");
        assertThat(response.attempts()).isEqualTo(2);
    }

    @Test
    void connection_refused_is_retried_then_reported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpUrl nowhere = HttpUrl.get("http://127.0.0.1:" + closedPort + "/v1/handoffs");

        assertThatThrownBy(() -> client().build().execute(CrmRequest.post(nowhere, "{}")))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessageStartingWith("acme POST /v1/handoffs failed: could not connect")
                .hasMessageEndingWith("after 4 attempts");
        assertThat(sleeper.waits).hasSize(3);
    }

    @Test
    void circuit_opens_after_repeated_failures_and_stops_calling_until_the_probe() {
        CrmHttpClient client = client().retryPolicy(RetryPolicy.noRetries()).build();
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(502));
            assertThatThrownBy(() -> client.execute(post())).isInstanceOf(RetriableHandoffException.class);
        }
        assertThat(client.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> client.execute(post()))
                .isInstanceOfSatisfying(RetriableHandoffException.class,
                        e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)))
                .hasMessage("acme POST /v1/handoffs not sent: the circuit breaker is open after repeated failures; next probe in 30000 ms");
        assertThat(server.getRequestCount()).isEqualTo(5);

        clock.advance(Duration.ofSeconds(30));
        server.enqueue(new MockResponse().setResponseCode(200));
        client.execute(post());
        assertThat(server.getRequestCount()).isEqualTo(6);
        assertThat(client.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void a_quiet_endpoint_does_not_open_on_a_few_failures_spread_over_the_window() {
        CrmHttpClient client = client().retryPolicy(RetryPolicy.noRetries()).build();
        for (int i = 0; i < 8; i++) {
            server.enqueue(new MockResponse().setResponseCode(i % 2 == 0 ? 503 : 200));
            try {
                client.execute(post());
            } catch (RetriableHandoffException expected) {
                // half of them fail
            }
            clock.advance(Duration.ofMinutes(3)); // older calls age out of the 10-minute window
        }
        assertThat(client.circuitBreaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void refuses_plain_http_outside_test_mode() {
        CrmHttpClient strict = CrmHttpClient.builder("acme").build();

        assertThatThrownBy(() -> strict.requireUrl("baseUrl", "http://crm.example.com"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("acme baseUrl must use https, was \"http://crm.example.com\""
                        + " (allowInsecureHttpForTesting(true) permits http in tests)");
        assertThatThrownBy(() -> strict.execute(post()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("acme refuses to send to a non-https URL: http://" + server.getHostName() + "/v1/handoffs");
        assertThat(server.getRequestCount()).isZero();
        assertThat(strict.requireUrl("baseUrl", "https://crm.example.com").isHttps()).isTrue();
    }

    @Test
    void rejects_bad_transport_settings_with_the_value() {
        assertThatThrownBy(() -> CrmHttpClient.builder("Acme CRM"))
                .hasMessage("system must be 1-64 characters of [a-z0-9._-], was \"Acme CRM\"");
        assertThatThrownBy(() -> CrmHttpClient.builder("acme").readTimeout(Duration.ZERO))
                .hasMessage("readTimeout must be positive, was PT0S");
        assertThatThrownBy(() -> CrmHttpClient.builder("acme").connectTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(1)).build())
                .hasMessage("callTimeout PT1S must not be shorter than connectTimeout PT10S");
    }

    @Test
    void unreadable_retry_after_falls_back_to_backoff() {
        CrmHttpClient client = client().build();
        assertThat(client.parseRetryAfter("soon")).isNull();
        assertThat(client.parseRetryAfter("-5")).isEqualTo(Duration.ZERO);
        assertThat(client.parseRetryAfter(" 3 ")).isEqualTo(Duration.ofSeconds(3));
        assertThat(List.of()).isEmpty();
    }
}
