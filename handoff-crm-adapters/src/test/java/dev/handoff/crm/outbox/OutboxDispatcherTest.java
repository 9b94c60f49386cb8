package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.webhook.WebhookAdapter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxDispatcherTest {

    private static final String SECRET = "whsec-0123456789abcdef";
    private static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(10), 2.0, Duration.ofMillis(40),
            0.75, Duration.ofMinutes(1));
    private static final RetryPolicy SLOW = new RetryPolicy(Integer.MAX_VALUE, Duration.ofHours(1), 2.0, Duration.ofHours(1),
            0.75, Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private final MockWebServer server = new MockWebServer();
    private final Events events = new Events();

    /** Collects what the dispatcher reports. */
    static final class Events implements OutboxListener {
        final BlockingQueue<String> log = new LinkedBlockingQueue<>();
        final BlockingQueue<Duration> delays = new LinkedBlockingQueue<>();

        @Override
        public void delivered(OutboxEntry entry, CrmReceipt receipt, int attempts) {
            log.add("delivered " + entry.contextId() + " after " + attempts);
        }

        @Override
        public void retryScheduled(OutboxEntry entry, int failures, Duration delay, HandoffException cause) {
            delays.add(delay);
            log.add("retry " + entry.contextId() + " after failure " + failures);
        }

        @Override
        public void deadLettered(OutboxEntry entry, String reason) {
            log.add("dead " + entry.contextId() + ": " + reason);
        }

        String next() throws InterruptedException {
            String e = log.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("an outbox event within 10 s").isNotNull();
            return e;
        }
    }

    @BeforeEach
    void start() throws IOException {
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private WebhookAdapter webhook() {
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true)
                .retryPolicy(RetryPolicy.noRetries()).sleeper(new RecordingSleeper()).readTimeout(Duration.ofSeconds(5)).build();
        return WebhookAdapter.builder(http).endpoint(server.url("/hooks/handoff").toString()).secret(SECRET).build();
    }

    private static HandoffContext context(String id) {
        return TestContexts.sample(id, CustomerData.of("cust-42", Map.of()).withField("email", "dana@example.com"));
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void a_pending_push_is_delivered_by_a_restarted_client_and_an_acknowledged_one_is_not_resent() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(200));
        server.enqueue(new MockResponse().setResponseCode(503));
        String failedKey;
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(SLOW).listener(events).build()) {
            dispatcher.start();
            dispatcher.submit(context("ctx-A"));
            assertThat(events.next()).isEqualTo("delivered ctx-A after 1");
            dispatcher.submit(context("ctx-B"));
            assertThat(events.next()).isEqualTo("retry ctx-B after failure 1"); // the CRM is down; next try in an hour
            take();
            failedKey = take().getHeader("Idempotency-Key");
            assertThat(dispatcher.pendingCount()).isEqualTo(1);
        } // the process stops here with ctx-B undelivered

        server.enqueue(new MockResponse().setResponseCode(200));
        Events afterRestart = new Events();
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(SLOW)
                     .listener(afterRestart).build()) {
            assertThat(outbox.pending()).extracting(OutboxEntry::contextId).containsExactly("ctx-B");

            dispatcher.start();

            assertThat(afterRestart.next()).isEqualTo("delivered ctx-B after 1");
            RecordedRequest redelivery = take();
            assertThat(redelivery.getHeader("Idempotency-Key")).isEqualTo(failedKey).isEqualTo("webhook:ctx-B");
            assertThat(ContextJson.get().read(redelivery.getBody().readUtf8()).contextId()).isEqualTo("ctx-B");
            assertThat(outbox.pending()).isEmpty();
        }
        assertThat(server.getRequestCount()).isEqualTo(3); // A once, B twice: A was never re-sent
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            assertThat(outbox.pending()).isEmpty();
        }
    }

    @Test
    void retries_with_backoff_until_the_crm_acknowledges() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503));
        server.enqueue(new MockResponse().setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST));
        server.enqueue(new MockResponse().setResponseCode(200));
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(FAST)
                     .random(() -> 0.0).listener(events).build()) {
            dispatcher.start();
            dispatcher.submit(context("ctx-C"));

            assertThat(events.next()).isEqualTo("retry ctx-C after failure 1");
            assertThat(events.next()).isEqualTo("retry ctx-C after failure 2");
            assertThat(events.next()).isEqualTo("delivered ctx-C after 3");
            assertThat(events.delays).containsExactly(Duration.ofNanos(7_500_000), Duration.ofMillis(15));
            assertThat(List.of(take(), take(), take())).extracting(r -> r.getHeader("Idempotency-Key")).containsOnly("webhook:ctx-C");
        }
    }

    @Test
    void the_crms_retry_after_sets_the_next_attempt() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "120"));
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(FAST).listener(events).build()) {
            dispatcher.start();
            dispatcher.submit(context("ctx-D"));

            assertThat(events.next()).isEqualTo("retry ctx-D after failure 1");
            assertThat(events.delays).containsExactly(Duration.ofMinutes(2));
        }
    }

    @Test
    void a_refusal_goes_to_the_dead_letter_file_and_is_not_retried_and_the_crms_echo_is_never_logged() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(400).setBody("{\"error\":\"unknown field in ssn 123-45-6789\"}"));
        java.io.PrintStream originalErr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(FAST).listener(events).build()) {
            dispatcher.start();
            dispatcher.submit(context("ctx-E"));

            assertThat(events.next()).isEqualTo("dead ctx-E: webhook POST /hooks/handoff was refused: HTTP 400");
            assertThat(outbox.pending()).isEmpty();
            assertThat(outbox.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.entry().contextId()).isEqualTo("ctx-E");
                assertThat(d.reason()).isEqualTo("webhook POST /hooks/handoff was refused: HTTP 400");
            });
        } finally {
            System.setErr(originalErr);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).as("the capture works")
                .contains("refused context ctx-E for good").doesNotContain("123-45-6789");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void submit_returns_once_the_push_is_on_disk_while_the_crm_is_still_busy() throws Exception {
        CountDownLatch crmMayAnswer = new CountDownLatch(1);
        CountDownLatch crmReceived = new CountDownLatch(1);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                crmReceived.countDown();
                crmMayAnswer.await(10, TimeUnit.SECONDS);
                return new MockResponse().setResponseCode(200);
            }
        });
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).listener(events).build()) {
            dispatcher.start();

            List<OutboxEntry> written = dispatcher.submit(context("ctx-F"));

            // we are back on the call's thread while the CRM has not answered
            assertThat(written).extracting(OutboxEntry::idempotencyKey).containsExactly("webhook:ctx-F");
            assertThat(crmReceived.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(outbox.pending()).containsExactlyElementsOf(written);
            crmMayAnswer.countDown();
            assertThat(events.next()).isEqualTo("delivered ctx-F after 1");
        }
    }

    @Test
    void entries_for_an_adapter_that_is_not_registered_stay_pending() throws Exception {
        try (FileOutbox outbox = FileOutbox.open(dir)) {
            outbox.append("legacy-crm", "legacy-crm:ctx-G", context("ctx-G"));
        }
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).listener(events).build()) {
            dispatcher.start();
            server.enqueue(new MockResponse().setResponseCode(200));
            dispatcher.submit(context("ctx-H"));

            assertThat(events.next()).isEqualTo("delivered ctx-H after 1");
            assertThat(outbox.pending()).extracting(OutboxEntry::adapter).containsExactly("legacy-crm");
        }
    }

    @Test
    void idempotency_keys_are_stable_and_header_safe() {
        assertThat(OutboxDispatcher.idempotencyKey("hubspot", "ctx-1001")).isEqualTo("hubspot:ctx-1001");
        assertThat(OutboxDispatcher.idempotencyKey("hubspot", "contexte n°1"))
                .isEqualTo(OutboxDispatcher.idempotencyKey("hubspot", "contexte n°1"))
                .matches("hubspot:[0-9a-f\\-]{36}");
    }
}
