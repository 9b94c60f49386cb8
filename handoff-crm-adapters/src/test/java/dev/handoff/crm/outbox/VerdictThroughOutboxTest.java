package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AgentActions;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A human's verdict on a commitment reaches the CRM through the durable outbox, once, even across an outage. */
class VerdictThroughOutboxTest {

    private static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(20), 2.0, Duration.ofMillis(80),
            0.75, Duration.ofMinutes(1));

    @TempDir
    Path dir;

    private final MockWebServer crm = new MockWebServer();
    private final ExecutorService agents = Executors.newSingleThreadExecutor();
    private final BlockingQueue<OutboxEntry> delivered = new LinkedBlockingQueue<>();

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
    void a_verdict_reaches_the_crm_exactly_once_after_an_outage_and_a_repeat() throws Exception {
        crm.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));   // the handoff's context
        crm.enqueue(new MockResponse().setResponseCode(503));                 // the verdict: the CRM is down
        crm.enqueue(new MockResponse().setResponseCode(503));
        crm.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
        crm.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));   // the next verdict
        crm.start();
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(webhook()).retryPolicy(FAST)
                     .listener(new OutboxListener() {
                         @Override
                         public void delivered(OutboxEntry entry, CrmAdapter.CrmReceipt receipt, int attempts) {
                             delivered.add(entry);
                         }
                     }).build();
             Handoff handoff = Handoff.builder().crmAdapter(dispatcher.asCrmAdapter()).build()) {
            dispatcher.start();
            AgentActions actions = connected(handoff);
            RecordedRequest context = crm.takeRequest(10, TimeUnit.SECONDS);
            assertThat(context.getHeader(WebhookAdapter.EVENT_HEADER)).isEqualTo(WebhookAdapter.EVENT_CONTEXT);
            assertThat(delivered.poll(10, TimeUnit.SECONDS).verdictCommitmentId()).isEmpty();

            actions.correct("c-1", "a $5 credit", "alice");
            List<RecordedRequest> attempts = List.of(crm.takeRequest(10, TimeUnit.SECONDS), crm.takeRequest(10, TimeUnit.SECONDS),
                    crm.takeRequest(10, TimeUnit.SECONDS));
            OutboxEntry verdict = delivered.poll(10, TimeUnit.SECONDS);
            // the agent's desk retries the same verdict, and the feedback repeats it: neither is written again
            actions.correct("c-1", "a $5 credit", "alice");
            actions.feedback(HandoffFeedback.builder("alice", HandoffFeedback.Escalation.NEEDED)
                    .commitment(HandoffFeedback.CommitmentVerdict.corrected("c-1", "a $5 credit"))
                    .commitment(HandoffFeedback.CommitmentVerdict.revoked("c-2")).build());
            RecordedRequest next = crm.takeRequest(10, TimeUnit.SECONDS);
            OutboxEntry nextEntry = delivered.poll(10, TimeUnit.SECONDS);

            assertThat(attempts).allSatisfy(r -> {
                assertThat(r.getHeader(WebhookAdapter.EVENT_HEADER)).isEqualTo(WebhookAdapter.EVENT_COMMITMENT);
                assertThat(r.getHeader(WebhookAdapter.COMMITMENT_HEADER)).isEqualTo("c-1");
                assertThat(r.getHeader("Idempotency-Key")).isEqualTo(attempts.get(0).getHeader("Idempotency-Key"))
                        .matches("webhook:ctx-[^:]+:verdict:c-1:CORRECTED:[0-9a-f]{8}").doesNotContain("credit");
                assertThat(r.getBody().readUtf8()).contains("\"correctedValue\":\"a $5 credit\"", "\"status\":\"CORRECTED\"");
            });
            assertThat(verdict.verdictCommitmentId()).contains("c-1");
            assertThat(next.getHeader(WebhookAdapter.COMMITMENT_HEADER)).as("the next write is the new verdict, not a repeat")
                    .isEqualTo("c-2");
            assertThat(nextEntry.verdictCommitmentId()).contains("c-2");
            assertThat(dispatcher.pendingCount()).isZero();
            assertThat(crm.getRequestCount()).isEqualTo(5);
        }
    }

    private AgentActions connected(Handoff handoff) throws Exception {
        AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
        support.signIn("alice");
        agents.submit(() -> support.take("alice", Duration.ofSeconds(10)).map(Offer::accept));
        HandoffSession chat = handoff.open(SessionId.of("verdict-1"), Channel.CHAT, CustomerData.UNKNOWN);
        chat.customer("My order is two weeks late.");
        chat.ai("I'm sorry. I've added a $10 credit to your account and waived the shipping fee.");
        HandoffOutcome outcome = chat.handOff(chat.customer("I want to talk to a person")).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        return handoff.agentActions(outcome.contextId()).orElseThrow();
    }
}
