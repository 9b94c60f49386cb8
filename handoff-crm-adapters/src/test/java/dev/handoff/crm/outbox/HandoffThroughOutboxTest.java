package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.webhook.WebhookAdapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing lost: a real Handoff pushes its context through the durable outbox while the CRM is down. */
class HandoffThroughOutboxTest {

    private static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(20), 2.0, Duration.ofMillis(80),
            0.75, Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private final MockWebServer crm = new MockWebServer();
    private final ExecutorService agents = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws Exception {
        agents.shutdownNow();
        crm.shutdown();
    }

    private WebhookAdapter webhook() {
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).retryPolicy(RetryPolicy.noRetries())
                .readTimeout(Duration.ofSeconds(5)).build();
        return WebhookAdapter.builder(http).endpoint(crm.url("/hooks/handoff").toString()).secret("whsec-0123456789abcdef").build();
    }

    @Test
    void a_crm_outage_neither_delays_the_handoff_nor_loses_the_context() throws Exception {
        crm.enqueue(new MockResponse().setResponseCode(503));
        crm.enqueue(new MockResponse().setResponseCode(503));
        crm.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
        crm.start();
        CountDownLatch acknowledged = new CountDownLatch(1);
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(FAST)
                     .listener(new OutboxListener() {
                         @Override
                         public void delivered(OutboxEntry entry, CrmAdapter.CrmReceipt receipt, int attempts) {
                             acknowledged.countDown();
                         }
                     }).build();
             Handoff handoff = Handoff.builder().crmAdapter(dispatcher.asCrmAdapter()).build()) {
            dispatcher.start();
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(Offer::accept));
            HandoffSession chat = handoff.open(SessionId.of("outage-1"), Channel.CHAT, CustomerData.of("cus-1", Map.of("billing", "AC-1")));
            chat.customer("The router you sent me does not power on");

            HandoffOutcome outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            RecordedRequest first = crm.takeRequest(10, TimeUnit.SECONDS);
            RecordedRequest second = crm.takeRequest(10, TimeUnit.SECONDS);
            RecordedRequest delivered = crm.takeRequest(10, TimeUnit.SECONDS);
            assertThat(delivered).isNotNull();
            assertThat(delivered.getBody().readUtf8()).contains("\"contextId\":\"" + outcome.contextId() + "\"",
                    "The router you sent me does not power on");
            assertThat(first.getHeader("Idempotency-Key")).isEqualTo(second.getHeader("Idempotency-Key"))
                    .isEqualTo(delivered.getHeader("Idempotency-Key"));
            assertThat(acknowledged.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(dispatcher.pendingCount()).isZero();
        }
    }
}
