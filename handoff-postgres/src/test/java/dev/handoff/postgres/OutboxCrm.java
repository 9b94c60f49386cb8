package dev.handoff.postgres;

import dev.handoff.crm.transport.CircuitBreaker;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.webhook.WebhookAdapter;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real local HTTP CRM for the outbox tests (MockWebServer): answers 503 while {@link #down}, 200 otherwise, and
 * counts the pushes it accepted per idempotency key. The adapter is the real signed webhook over OkHttp.
 */
final class OutboxCrm implements AutoCloseable {

    static final String PATH = "/hooks/handoff";
    static final String SECRET = "whsec-0123456789abcdef";
    /** Back-off for tests: 20 ms doubling to 200 ms. */
    static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(20), 2.0, Duration.ofMillis(200), 0.75,
            Duration.ofMinutes(5));

    final MockWebServer server = new MockWebServer();
    final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    final AtomicInteger refusedWhileDown = new AtomicInteger();
    volatile boolean down;
    /** When set, every push is answered with this (e.g. a permanent 400). */
    volatile MockResponse fixed;

    OutboxCrm() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (fixed != null) {
                    return fixed;
                }
                if (down) {
                    refusedWhileDown.incrementAndGet();
                    return new MockResponse().setResponseCode(503);
                }
                accepted.computeIfAbsent(String.valueOf(request.getHeader("Idempotency-Key")), k -> new AtomicInteger()).incrementAndGet();
                return new MockResponse().setResponseCode(200);
            }
        });
        server.start();
    }

    String url() {
        return server.url(PATH).toString();
    }

    /** The real webhook adapter pointed at {@code url}, with no retries of its own (the dispatcher retries). */
    static WebhookAdapter webhook(String url) {
        CircuitBreaker.Config d = CircuitBreaker.Config.defaults();
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).retryPolicy(RetryPolicy.noRetries())
                .readTimeout(Duration.ofSeconds(10))
                // the real breaker opens while the CRM is down; probing again after 1 s keeps the tests short
                .circuitBreaker(new CircuitBreaker.Config(d.windowSize(), d.minimumCalls(), d.failureRateThreshold(), d.windowMaxAge(),
                        Duration.ofSeconds(1)))
                .build();
        return WebhookAdapter.builder(http).endpoint(url).secret(SECRET).build();
    }

    WebhookAdapter webhook() {
        return webhook(url());
    }

    /** Keys the CRM accepted more than once. */
    Map<String, Integer> duplicates() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        accepted.forEach((k, v) -> {
            if (v.get() != 1) {
                out.put(k, v.get());
            }
        });
        return out;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
