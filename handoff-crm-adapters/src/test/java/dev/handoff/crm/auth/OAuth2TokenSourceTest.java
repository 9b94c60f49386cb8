package dev.handoff.crm.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.core.testing.ManualTime;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRefusedException;
import dev.handoff.crm.transport.CrmRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OAuth2TokenSourceTest {

    private static final String SECRET = "s3cr3t-client-secret";

    private final MockWebServer server = new MockWebServer();
    private final ManualTime clock = new ManualTime(Instant.parse("2026-03-04T15:00:00Z"));
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> apiAuthorizations = new CopyOnWriteArrayList<>();
    /** Tokens the API rejects with 401. */
    private final Map<String, Boolean> revoked = new ConcurrentHashMap<>();
    private volatile long expiresIn = 3600;
    private volatile int tokenDelayMillis;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getPath().equals("/oauth/token")) {
                    tokenRequests.add(request);
                    if (tokenDelayMillis > 0) {
                        Thread.sleep(tokenDelayMillis);
                    }
                    int n = tokensIssued.incrementAndGet();
                    return new MockResponse().setHeader("Content-Type", "application/json")
                            .setBody("{\"access_token\":\"token-" + n + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresIn
                                    + ",\"refresh_token\":\"refresh-" + n + "\"}");
                }
                String auth = request.getHeader("Authorization");
                apiAuthorizations.add(auth);
                if (auth == null || revoked.containsKey(auth)) {
                    return new MockResponse().setResponseCode(401).setBody("{\"message\":\"expired\"}");
                }
                return new MockResponse().setBody("{\"ok\":true}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private OAuth2TokenSource.Builder clientCredentials() {
        return OAuth2TokenSource.clientCredentials(server.url("/oauth/token").toString(), "client-1", SECRET)
                .clock(clock).allowInsecureHttpForTesting(true);
    }

    private CrmHttpClient api(CrmAuth auth) {
        return CrmHttpClient.builder("acme").auth(auth).allowInsecureHttpForTesting(true).clock(clock)
                .sleeper(new RecordingSleeper()).build();
    }

    private void call(CrmHttpClient http) {
        http.execute(CrmRequest.get(server.url("/api/contacts")));
    }

    @Test
    void client_credentials_grant_posts_the_form_and_sends_the_bearer_token() {
        OAuth2TokenSource tokens = clientCredentials().scope("crm.read").build();

        call(api(tokens));

        assertThat(tokenRequests).hasSize(1);
        RecordedRequest token = tokenRequests.get(0);
        assertThat(token.getMethod()).isEqualTo("POST");
        assertThat(token.getHeader("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(token.getBody().readUtf8())
                .isEqualTo("grant_type=client_credentials&scope=crm.read&client_id=client-1&client_secret=" + SECRET);
        assertThat(apiAuthorizations).containsExactly("Bearer token-1");
    }

    @Test
    void basic_client_authentication_puts_the_secret_in_the_header_not_the_body() {
        OAuth2TokenSource tokens = clientCredentials()
                .clientAuthentication(OAuth2TokenSource.ClientAuthentication.BASIC_HEADER).build();

        call(api(tokens));

        RecordedRequest token = tokenRequests.get(0);
        assertThat(token.getHeader("Authorization")).isEqualTo(okhttp3.Credentials.basic("client-1", SECRET));
        assertThat(token.getBody().readUtf8()).isEqualTo("grant_type=client_credentials");
    }

    @Test
    void refreshes_sixty_seconds_before_expiry_on_the_injected_clock() {
        OAuth2TokenSource tokens = clientCredentials().build();
        CrmHttpClient http = api(tokens);
        call(http);
        assertThat(tokens.refreshDueAt()).contains(Instant.parse("2026-03-04T15:59:00Z"));

        clock.advance(Duration.ofSeconds(3600 - 61));
        call(http);
        assertThat(tokensIssued).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        call(http);
        assertThat(tokensIssued).hasValue(2);
        assertThat(apiAuthorizations).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
    }

    @Test
    void a_401_forces_one_refresh_and_one_repeat() {
        OAuth2TokenSource tokens = clientCredentials().build();
        CrmHttpClient http = api(tokens);
        call(http);
        revoked.put("Bearer token-1", true); // the CRM revoked it before its expiry

        call(http);

        assertThat(tokensIssued).hasValue(2);
        assertThat(apiAuthorizations).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
    }

    @Test
    void a_second_401_after_the_refresh_is_final_with_no_loop() {
        OAuth2TokenSource tokens = clientCredentials().build();
        CrmHttpClient http = api(tokens);
        call(http);
        revoked.put("Bearer token-1", true);
        revoked.put("Bearer token-2", true);

        assertThatThrownBy(() -> call(http))
                .isInstanceOfSatisfying(CrmRefusedException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessage("acme GET /api/contacts was refused: HTTP 401 Unauthorized again after a credential refresh");
        assertThat(tokensIssued).hasValue(2);
        assertThat(apiAuthorizations).hasSize(3);
    }

    @Test
    void an_expired_token_under_100_concurrent_callers_gives_exactly_one_token_request() throws Exception {
        OAuth2TokenSource tokens = clientCredentials().build();
        CrmHttpClient http = api(tokens);
        call(http);
        clock.advance(Duration.ofHours(2)); // token-1 is long expired
        tokenDelayMillis = 200;             // keep the refresh in flight while the others arrive
        int callers = 100;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    call(http);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : results) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tokenRequests).hasSize(2); // the first token and exactly one refresh
        assertThat(tokens.tokenRequests()).isEqualTo(2);
        assertThat(apiAuthorizations.subList(1, apiAuthorizations.size())).hasSize(callers).containsOnly("Bearer token-2");
    }

    @Test
    void refresh_token_grant_sends_the_refresh_token_and_keeps_a_rotated_one() {
        OAuth2TokenSource tokens = OAuth2TokenSource.refreshToken(server.url("/oauth/token").toString(), "client-1", SECRET,
                "refresh-0").clock(clock).allowInsecureHttpForTesting(true).build();
        CrmHttpClient http = api(tokens);

        call(http);
        clock.advance(Duration.ofHours(1));
        call(http);

        assertThat(tokenRequests.get(0).getBody().readUtf8())
                .isEqualTo("grant_type=refresh_token&refresh_token=refresh-0&client_id=client-1&client_secret=" + SECRET);
        assertThat(tokenRequests.get(1).getBody().readUtf8()).startsWith("grant_type=refresh_token&refresh_token=refresh-1&");
    }

    @Test
    void a_token_without_expiry_is_kept_until_a_401() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().equals("/oauth/token")) {
                    tokensIssued.incrementAndGet();
                    return new MockResponse().setBody("{\"access_token\":\"sf-token\",\"instance_url\":\"https://x\",\"token_type\":\"Bearer\"}");
                }
                return new MockResponse().setBody("{}");
            }
        });
        OAuth2TokenSource tokens = clientCredentials().build();
        CrmHttpClient http = api(tokens);

        call(http);
        clock.advance(Duration.ofDays(3));
        call(http);

        assertThat(tokensIssued).hasValue(1);
        assertThat(tokens.refreshDueAt()).isEmpty();
    }

    @Test
    void a_refused_client_gets_a_clear_error_without_the_secret() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(401)
                        .setBody("{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + SECRET + "\"}");
            }
        });
        OAuth2TokenSource tokens = clientCredentials().build();

        assertThatThrownBy(() -> call(api(tokens)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("OAuth2 token request to " + server.url("/oauth/token") + " was refused: HTTP 401 invalid_client;"
                        + " check the client id, secret and scope")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThat(tokens.toString()).isEqualTo("OAuth2TokenSource[" + server.url("/oauth/token") + ", client_credentials]")
                .doesNotContain(SECRET);
    }

    @Test
    void static_credentials_do_not_retry_a_401_and_never_show_in_toString() {
        CrmAuth bearer = CrmAuth.bearer("pat-na1-secret-token");
        CrmHttpClient http = api(bearer);
        revoked.put("Bearer pat-na1-secret-token", true);

        assertThatThrownBy(() -> call(http))
                .isInstanceOf(CrmRefusedException.class)
                .hasMessage("acme GET /api/contacts was refused: HTTP 401 Unauthorized");
        assertThat(apiAuthorizations).hasSize(1);
        assertThat(bearer.header().orElseThrow().toString()).isEqualTo("AuthHeader[Authorization: ****]");
        assertThat(CrmAuth.basic("agent@example.com/token", "zd-token").header().orElseThrow().value())
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("agent@example.com/token:zd-token".getBytes()));
        assertThat(CrmAuth.apiKey("X-Api-Key", "k-123").header()).contains(new AuthHeader("X-Api-Key", "k-123"));
    }

    @Test
    void an_http_token_url_is_refused_outside_test_mode() {
        assertThatThrownBy(() -> OAuth2TokenSource.clientCredentials("http://login.example.com/token", "c", SECRET).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("OAuth2 tokenUrl must use https, was \"http://login.example.com/token\""
                        + " (allowInsecureHttpForTesting(true) permits http in tests)");
    }
}
