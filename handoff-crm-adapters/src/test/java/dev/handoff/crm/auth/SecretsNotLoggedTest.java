package dev.handoff.crm.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;

/** Runs a full token lifecycle (fetch, refresh ahead of expiry, 401, 503 retry) and reads everything that was logged. */
class SecretsNotLoggedTest {

    private static final String CLIENT_SECRET = "client-secret-zz91";
    private static final String REFRESH_TOKEN = "refresh-token-qq42";

    @Test
    void tokens_and_secrets_never_reach_the_log() throws Exception {
        AtomicInteger issued = new AtomicInteger();
        AtomicInteger apiCalls = new AtomicInteger();
        ManualTime clock = new ManualTime(Instant.parse("2026-03-04T15:00:00Z"));
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    if (request.getPath().equals("/oauth/token")) {
                        int n = issued.incrementAndGet();
                        return new MockResponse().setBody("{\"access_token\":\"access-token-" + n + "-secret\",\"expires_in\":600,"
                                + "\"refresh_token\":\"rotated-refresh-" + n + "\"}");
                    }
                    int call = apiCalls.incrementAndGet();
                    return switch (call) {
                        case 2 -> new MockResponse().setResponseCode(401);
                        case 4 -> new MockResponse().setResponseCode(503);
                        default -> new MockResponse().setBody("{}");
                    };
                }
            });
            server.start();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            OAuth2TokenSource tokens = OAuth2TokenSource.refreshToken(server.url("/oauth/token").toString(), "client-1",
                    CLIENT_SECRET, REFRESH_TOKEN).clock(clock).allowInsecureHttpForTesting(true).build();
            CrmHttpClient http = CrmHttpClient.builder("acme").auth(tokens).allowInsecureHttpForTesting(true)
                    .sleeper(new RecordingSleeper()).clock(clock).build();

            http.execute(CrmRequest.get(server.url("/api/1")));            // fetch
            http.execute(CrmRequest.get(server.url("/api/2")));            // 401 -> refresh -> repeat
            clock.advance(Duration.ofMinutes(10));
            http.execute(CrmRequest.get(server.url("/api/3")));            // refresh ahead of expiry, 503, retry
        } finally {
            System.setErr(originalErr);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the capture works: the lifecycle was logged")
                .contains("Obtained an OAuth2 token from", "answered 401; repeating once", "attempt 1 failed (HTTP 503");
        assertThat(issued).hasValue(3);
        assertThat(log).doesNotContain(CLIENT_SECRET, REFRESH_TOKEN, "access-token-", "rotated-refresh-", "Bearer ");
    }
}
