package dev.handoff.crm.salesforce;

import static dev.handoff.crm.VendorServer.body;
import static dev.handoff.crm.VendorServer.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Commitment.Status;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.VendorServer;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.transport.CrmRefusedException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A human's verdict on a commitment updates the commitment's Task by its external id: one record however often it is sent. */
class SalesforceVerdictTest {

    private static final String TASK_PATH = "/services/data/v60.0/sobjects/Task/Handoff_Key__c/salesforce:ctx-1001:c-1";
    private static final String UPDATED = "{\"id\":\"00TB000000VrDcTIAZ\",\"success\":true,\"errors\":[],\"created\":false}";

    private final VendorServer vendor = new VendorServer();
    private final SalesforceAdapter adapter = SalesforceAdapter.builder(vendor.http("salesforce", CrmAuth.bearer("00Dxx!token")),
            vendor.baseUrl()).externalIdField("Handoff_Key__c").build();

    SalesforceVerdictTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        vendor.close();
    }

    private static HandoffContext verdict(Status status, String correctedValue) {
        return TestContexts.withVerdict(TestContexts.sample(), "c-1", status, correctedValue);
    }

    private static String key(HandoffContext context) {
        return OutboxEntry.verdictKey("salesforce:ctx-1001", context.commitments().get(0));
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of(Status.CONFIRMED, null, "AI commitment CONFIRMED: DISCOUNT 15%",
                        "Verdict on AI commitment c-1: CONFIRMED: it stands as promised"),
                Arguments.of(Status.CORRECTED, "a $5 credit", "AI commitment CORRECTED: DISCOUNT 15% -> a $5 credit",
                        "Verdict on AI commitment c-1: CORRECTED to \"a $5 credit\""),
                Arguments.of(Status.REVOKED, null, "AI commitment REVOKED: DISCOUNT 15%",
                        "Verdict on AI commitment c-1: REVOKED: it was withdrawn"));
    }

    @ParameterizedTest
    @MethodSource("verdicts")
    void a_verdict_upserts_the_commitments_task_by_its_external_id(Status status, String corrected, String subject, String first)
            throws Exception {
        HandoffContext context = verdict(status, corrected);
        vendor.json(200, UPDATED);

        CrmReceipt receipt = adapter.pushVerdict(context, "c-1", key(context));

        assertThat(receipt).isEqualTo(new CrmReceipt("salesforce", "00TB000000VrDcTIAZ",
                vendor.server.url("/lightning/r/Task/00TB000000VrDcTIAZ/view").toString()));
        RecordedRequest patch = vendor.take();
        assertThat(patch.getMethod()).isEqualTo("PATCH");
        assertThat(patch.getPath()).isEqualTo(TASK_PATH);
        assertThat(patch.getHeader("Authorization")).isEqualTo("Bearer 00Dxx!token");
        assertThat(patch.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(patch.getHeader("Idempotency-Key")).isEqualTo(key(context)).startsWith("salesforce:ctx-1001:verdict:c-1:" + status);
        String description = first + "\nBy alice at 2026-03-04T15:02:00Z\nCommitment: HARD DISCOUNT 15% (turn 2)\n"
                + "Context ctx-1001, verdict key " + key(context) + "\n";
        assertThat(body(patch)).isEqualTo(parse("{\"Status\":\"Completed\",\"Subject\":" + quote(subject) + ",\"Description\":"
                + quote(description) + "}"));
        assertThat(TestContexts.transcriptWords()).allSatisfy(words -> assertThat(description).doesNotContain(words));
        assertThat(vendor.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void a_503_is_retried_and_every_write_addresses_the_one_task() throws Exception {
        HandoffContext context = verdict(Status.CORRECTED, "a $5 credit");
        vendor.json(503, "[{\"errorCode\":\"SERVER_UNAVAILABLE\",\"message\":\"try later\"}]");
        vendor.json(200, UPDATED);
        vendor.json(200, UPDATED);   // the outbox sends it again after losing the answer

        CrmReceipt first = adapter.pushVerdict(context, "c-1", key(context));
        CrmReceipt again = adapter.pushVerdict(context, "c-1", key(context));

        assertThat(again).isEqualTo(first);
        List<RecordedRequest> writes = List.of(vendor.take(), vendor.take(), vendor.take());
        assertThat(writes).allSatisfy(w -> {
            assertThat(w.getMethod()).as("an upsert, never a create").isEqualTo("PATCH");
            assertThat(w.getPath()).isEqualTo(TASK_PATH);
            assertThat(w.getHeader("Idempotency-Key")).isEqualTo(key(context));
        });
        assertThat(body(writes.get(2))).isEqualTo(body(writes.get(1)));
    }

    @Test
    void a_503_through_every_attempt_is_retriable() {
        HandoffContext context = verdict(Status.REVOKED, null);
        for (int i = 0; i < 4; i++) {
            vendor.json(503, "{}");
        }

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessage("salesforce PATCH " + TASK_PATH + " failed: HTTP 503 after 4 attempts");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404})
    void a_refused_verdict_is_final_and_names_the_adapter_and_status(int status) {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(status, "[{\"message\":\"Dana Reyes is not valid\",\"errorCode\":\"" + (status == 404 ? "NOT_FOUND" : "INVALID_FIELD")
                + "\"}]");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(CrmRefusedException.class)
                .hasMessage("salesforce PATCH " + TASK_PATH + " was refused: HTTP " + status + " ("
                        + (status == 404 ? "NOT_FOUND" : "INVALID_FIELD") + ")");
        assertThat(vendor.server.getRequestCount()).isEqualTo(1);
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                Arguments.of("<html>maintenance</html>", "salesforce Task verdict upsert answered with a body that is not JSON"),
                Arguments.of("{\"success\":true}", "salesforce Task verdict upsert answer has no /id"),
                Arguments.of("{\"success\":false,\"errors\":[{\"statusCode\":\"FIELD_INTEGRITY_EXCEPTION\",\"message\":\"dana@example.com\"}]}",
                        "salesforce Task verdict upsert reported success=false (FIELD_INTEGRITY_EXCEPTION)"));
    }

    @ParameterizedTest
    @MethodSource("malformedAnswers")
    void an_answer_without_the_tasks_id_is_a_clear_final_error(String answer, String message) {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, answer);

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(NonRetriableHandoffException.class).hasMessage(message);
    }

    @Test
    void without_an_external_id_field_a_verdict_is_refused_before_any_request() {
        SalesforceAdapter plain = SalesforceAdapter.builder(vendor.http("salesforce", CrmAuth.bearer("t")), vendor.baseUrl()).build();
        HandoffContext context = verdict(Status.CONFIRMED, null);

        assertThatThrownBy(() -> plain.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("salesforce cannot write the verdict on commitment c-1 of context ctx-1001: externalIdField is not set;"
                        + " expected an External ID field on Task (such as Handoff_Key__c) to find the commitment's Task by its key");
        assertThat(vendor.server.getRequestCount()).isZero();
    }

    private static String quote(String text) {
        return dev.handoff.core.json.ContextJson.get().mapper().getNodeFactory().textNode(text).toString();
    }
}
