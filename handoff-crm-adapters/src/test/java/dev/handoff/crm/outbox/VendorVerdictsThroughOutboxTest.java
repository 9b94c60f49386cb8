package dev.handoff.crm.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Commitment.Status;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.core.store.DeadLetter;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.hubspot.HubSpotAdapter;
import dev.handoff.crm.salesforce.SalesforceAdapter;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.RetryPolicy;
import dev.handoff.crm.zendesk.ZendeskAdapter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each vendor adapter behind the durable outbox ({@link OutboxDispatcher#asCrmAdapter()} on a {@link FileOutbox}): a verdict
 * the CRM answers 503 is retried by the outbox and written once; one the CRM refuses goes to the dead letters with a reason
 * naming the adapter, the call and the status.
 */
class VendorVerdictsThroughOutboxTest {

    private static final RetryPolicy FAST = new RetryPolicy(Integer.MAX_VALUE, Duration.ofMillis(20), 2.0, Duration.ofMillis(80),
            0.75, Duration.ofMinutes(1));
    private static final String NONE = "{\"total\":0,\"results\":[]}";
    private static final String TASK = "{\"tickets\":[{\"id\":9002,\"tags\":[\"handoff_commitment\"]}]}";

    @TempDir
    Path dir;

    private final MockWebServer crm = new MockWebServer();
    private final BlockingQueue<OutboxEntry> delivered = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> deadLettered = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() throws Exception {
        crm.shutdown();
    }

    /**
     * One vendor: how to build it, the context it gets, the answers to the first verdict (a 503, then success) and which
     * of its requests are writes, the answers to the second verdict (a refusal) and the dead letter's reason.
     */
    record Vendor(String name, BiFunction<CrmHttpClient, String, CrmAdapter> adapter, boolean withProfile, List<MockResponse> outageThenOk,
                  String writePath, List<MockResponse> refusal, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
    }

    static Stream<Arguments> vendors() {
        return Stream.of(
                Arguments.of(new Vendor("hubspot", (http, base) -> HubSpotAdapter.builder(http).baseUrl(base).build(), true,
                        List.of(json(200, NONE), json(503, "{}"), json(200, NONE), json(201, "{\"id\":\"7101\"}")),
                        "/crm/v3/objects/notes",
                        List.of(json(200, NONE), json(400, "{\"category\":\"VALIDATION_ERROR\"}")),
                        "hubspot POST /crm/v3/objects/notes was refused: HTTP 400 (VALIDATION_ERROR)")),
                Arguments.of(new Vendor("salesforce", (http, base) -> SalesforceAdapter.builder(http, base)
                        .externalIdField("Handoff_Key__c").build(), false,
                        List.of(json(503, "{}"), json(200, "{\"id\":\"00TB000000VrDcTIAZ\",\"success\":true,\"created\":false}")),
                        "/services/data/v60.0/sobjects/Task/Handoff_Key__c/salesforce:ctx-1001:c-1",
                        List.of(json(404, "[{\"errorCode\":\"NOT_FOUND\"}]")),
                        "salesforce PATCH /services/data/v60.0/sobjects/Task/Handoff_Key__c/salesforce:ctx-1001:c-2 was refused:"
                                + " HTTP 404 (NOT_FOUND)")),
                Arguments.of(new Vendor("zendesk", (http, base) -> ZendeskAdapter.builder(http, base).build(), false,
                        List.of(json(200, TASK), json(503, "{}"), json(200, TASK), json(200, "{\"ticket\":{\"id\":9002}}")),
                        "/api/v2/tickets/9002.json",
                        List.of(json(200, TASK.replace("9002", "9003")), json(404, "{\"error\":\"RecordNotFound\"}")),
                        "zendesk PUT /api/v2/tickets/9003.json was refused: HTTP 404 (RecordNotFound)")));
    }

    private static CrmHttpClient client(String name) {
        return CrmHttpClient.builder(name).auth(CrmAuth.bearer("token")).allowInsecureHttpForTesting(true)
                .retryPolicy(RetryPolicy.noRetries()).readTimeout(Duration.ofSeconds(5)).build();
    }

    @ParameterizedTest
    @MethodSource("vendors")
    void a_verdict_survives_an_outage_once_and_a_refused_one_is_dead_lettered(Vendor vendor) throws Exception {
        vendor.outageThenOk().forEach(crm::enqueue);
        vendor.refusal().forEach(crm::enqueue);
        crm.start();
        CrmAdapter adapter = vendor.adapter().apply(client(vendor.name()), crm.url("/").toString());
        HandoffContext context = vendor.withProfile() ? TestContexts.withProfile(TestContexts.sample(), vendor.name(), "512")
                : TestContexts.sample();
        HandoffContext corrected = TestContexts.withVerdict(context, "c-1", Status.CORRECTED, "a $5 credit");
        HandoffContext revoked = TestContexts.withVerdict(corrected, "c-2", Status.REVOKED, null);
        try (FileOutbox outbox = FileOutbox.open(dir);
             OutboxDispatcher dispatcher = OutboxDispatcher.builder(outbox).adapter(adapter).retryPolicy(FAST)
                     .listener(new OutboxListener() {
                         @Override
                         public void delivered(OutboxEntry entry, CrmAdapter.CrmReceipt receipt, int attempts) {
                             delivered.add(entry);
                         }

                         @Override
                         public void deadLettered(OutboxEntry entry, String reason) {
                             deadLettered.add(reason);
                         }
                     }).build()) {
            dispatcher.start();
            CrmAdapter crmSide = dispatcher.asCrmAdapter();

            crmSide.pushVerdict(corrected, "c-1", "ignored: the outbox makes the verdict's key");
            OutboxEntry first = delivered.poll(10, TimeUnit.SECONDS);
            List<RecordedRequest> firstRequests = take(vendor.outageThenOk().size());
            crmSide.pushVerdict(revoked, "c-2", "ignored");
            String reason = deadLettered.poll(10, TimeUnit.SECONDS);
            take(vendor.refusal().size());

            assertThat(first).as("the first verdict was delivered").isNotNull();
            assertThat(first.verdictCommitmentId()).contains("c-1");
            assertThat(first.idempotencyKey()).matches(vendor.name() + ":ctx-1001:verdict:c-1:CORRECTED:[0-9a-f]{8}");
            List<RecordedRequest> writes = firstRequests.stream().filter(r -> r.getPath().equals(vendor.writePath())).toList();
            assertThat(writes).as("the refused write and the one write that succeeded").hasSize(2);
            assertThat(writes.get(1).getBody().readUtf8()).isEqualTo(writes.get(0).getBody().readUtf8()).contains("a $5 credit")
                    .doesNotContain("I've applied a 15% discount");
            assertThat(reason).isEqualTo(vendor.reason());
            List<DeadLetter> dead = outbox.deadLetters();
            assertThat(dead).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(vendor.reason());
                assertThat(d.entry().verdictCommitmentId()).contains("c-2");
            });
            assertThat(dispatcher.pendingCount()).isZero();
            assertThat(crm.getRequestCount()).isEqualTo(vendor.outageThenOk().size() + vendor.refusal().size());
        }
    }

    private List<RecordedRequest> take(int n) throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordedRequest r = crm.takeRequest(10, TimeUnit.SECONDS);
            assertThat(r).as("request %d of %d reached the CRM", i + 1, n).isNotNull();
            out.add(r);
        }
        return out;
    }
}
