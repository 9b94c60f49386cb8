package dev.handoff.crm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import java.io.IOException;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a CRM answers stays out of messages and logs (it may echo the request: a customer's SSN, a card number),
 * and an answer cannot fill the heap.
 */
class CrmAnswerContainmentTest {

    private static final String ECHO = "{\"category\":\"VALIDATION_ERROR\",\"message\":\"bad note: ssn 123-45-6789, card 4111 1111 1111 1111\"}";

    private final MockWebServer server = new MockWebServer();

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private CrmHttpClient.Builder client() {
        return CrmHttpClient.builder("acme").allowInsecureHttpForTesting(true).sleeper(new RecordingSleeper()).random(() -> 0.5)
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), 2.0, Duration.ofMillis(2), 0.75, Duration.ofSeconds(60)));
    }

    private CrmRequest post() {
        return CrmRequest.post(server.url("/v1/notes"), "{\"note\":\"ssn 123-45-6789\"}");
    }

    @Test
    void a_refusal_that_echoes_the_request_carries_the_status_and_the_crms_error_code_only() {
        server.enqueue(new MockResponse().setResponseCode(400).setBody(ECHO));

        assertThatThrownBy(() -> client().build().execute(post()))
                .isInstanceOfSatisfying(CrmRefusedException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).contains("VALIDATION_ERROR");
                })
                .hasMessage("acme POST /v1/notes was refused: HTTP 400 (VALIDATION_ERROR)");
    }

    @Test
    void a_server_error_that_echoes_the_request_is_reported_without_its_body() {
        server.enqueue(new MockResponse().setResponseCode(500).setBody(ECHO));
        server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>ssn 123-45-6789</html>"));

        assertThatThrownBy(() -> client().build().execute(post()))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessage("acme POST /v1/notes failed: HTTP 502 after 2 attempts")
                .hasMessageNotContaining("123-45-6789");
    }

    @Test
    void an_error_code_that_is_not_a_plain_token_is_left_out() {
        server.enqueue(new MockResponse().setResponseCode(422).setBody("{\"error\":\"4111 1111 1111 1111 is invalid\"}"));

        assertThatThrownBy(() -> client().build().execute(post()))
                .hasMessage("acme POST /v1/notes was refused: HTTP 422");
    }

    @Test
    void an_answer_larger_than_the_limit_is_refused_without_reading_it_all() {
        Buffer big = new Buffer();
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int i = 0; i < 48; i++) {
            big.write(chunk);
        }
        server.enqueue(new MockResponse().setResponseCode(200).setChunkedBody(big, 8192));
        server.enqueue(new MockResponse().setResponseCode(200).setBody(new Buffer().write(new byte[3 * 1024 * 1024])));

        CrmHttpClient http = client().maxResponseBytes(1024 * 1024).build();

        assertThatThrownBy(() -> http.execute(post()))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("acme POST /v1/notes answered with more than 1048576 bytes; the limit is maxResponseBytes");
        assertThatThrownBy(() -> http.execute(post()))
                .hasMessage("acme POST /v1/notes answered with more than 1048576 bytes; the limit is maxResponseBytes");
        assertThat(CrmHttpClient.DEFAULT_MAX_RESPONSE_BYTES).isEqualTo(4 * 1024 * 1024);
        assertThatThrownBy(() -> client().maxResponseBytes(0))
                .hasMessage("maxResponseBytes must be at least 1024, was 0");
    }
}
