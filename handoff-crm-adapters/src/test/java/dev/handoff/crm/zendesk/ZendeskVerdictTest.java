package dev.handoff.crm.zendesk;

import static dev.handoff.crm.VendorServer.body;
import static dev.handoff.crm.VendorServer.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Commitment.Status;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.VendorServer;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.transport.CrmRefusedException;
import java.io.IOException;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A human's verdict on a commitment solves the commitment's task ticket, found by its external_id, once. */
class ZendeskVerdictTest {

    private static final String TASK = """
            {"tickets":[{"id":9002,"external_id":"zendesk:ctx-1001:c-1","type":"task","status":"open",
             "tags":["handoff_commitment","handoff_commitment_discount"]}],"count":1,"next_page":null}""";

    private final VendorServer vendor = new VendorServer();
    private final ZendeskAdapter adapter = ZendeskAdapter.builder(
            vendor.http("zendesk", CrmAuth.basic("agent@example.com/token", "zd-api-token")), vendor.baseUrl()).build();

    ZendeskVerdictTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        vendor.close();
    }

    private static HandoffContext verdict(Status status, String correctedValue) {
        return TestContexts.withVerdict(TestContexts.sample(), "c-1", status, correctedValue);
    }

    private static String key(HandoffContext context) {
        return OutboxEntry.verdictKey("zendesk:ctx-1001", context.commitments().get(0));
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of(Status.CONFIRMED, null, "Verdict on AI commitment c-1: CONFIRMED: it stands as promised"),
                Arguments.of(Status.CORRECTED, "a $5 credit", "Verdict on AI commitment c-1: CORRECTED to \"a $5 credit\""),
                Arguments.of(Status.REVOKED, null, "Verdict on AI commitment c-1: REVOKED: it was withdrawn"));
    }

    @ParameterizedTest
    @MethodSource("verdicts")
    void a_verdict_solves_the_task_ticket_found_by_its_external_id_with_a_private_comment(Status status, String corrected,
                                                                                          String first) throws Exception {
        HandoffContext context = verdict(status, corrected);
        vendor.json(200, TASK);
        vendor.json(200, "{\"ticket\":{\"id\":9002,\"status\":\"solved\"},\"audit\":{\"id\":1}}");

        CrmReceipt receipt = adapter.pushVerdict(context, "c-1", key(context));

        assertThat(receipt).isEqualTo(new CrmReceipt("zendesk", "9002", vendor.server.url("/agent/tickets/9002").toString()));
        RecordedRequest search = vendor.take();
        assertThat(search.getMethod()).isEqualTo("GET");
        assertThat(search.getRequestUrl().encodedPath()).isEqualTo("/api/v2/tickets.json");
        assertThat(search.getRequestUrl().queryParameter("external_id")).isEqualTo("zendesk:ctx-1001:c-1");
        RecordedRequest update = vendor.take();
        assertThat(update.getMethod()).isEqualTo("PUT");
        assertThat(update.getPath()).isEqualTo("/api/v2/tickets/9002.json");
        assertThat(update.getHeader("Authorization")).startsWith("Basic ");
        assertThat(update.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        String comment = first + "\nBy alice at 2026-03-04T15:02:00Z\nCommitment: HARD DISCOUNT 15% (turn 2)\n"
                + "Context ctx-1001, verdict key " + key(context) + "\n";
        assertThat(body(update)).isEqualTo(parse("{\"ticket\":{\"status\":\"solved\",\"comment\":{\"body\":"
                + ContextJson.get().mapper().getNodeFactory().textNode(comment) + ",\"public\":false},"
                + "\"additional_tags\":[\"handoff_verdict_" + status.name().toLowerCase() + "\",\"" + TestContexts.verdictToken(key(context)) + "\"]}}"));
        assertThat(TestContexts.transcriptWords()).allSatisfy(words -> assertThat(comment).doesNotContain(words));
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_correction_writes_the_comment_the_readme_shows() throws Exception {
        HandoffContext context = verdict(Status.CORRECTED, "a $5 credit");
        vendor.json(200, TASK);
        vendor.json(200, "{\"ticket\":{\"id\":9002}}");

        adapter.pushVerdict(context, "c-1", key(context));

        vendor.take();
        assertThat(body(vendor.take()).at("/ticket/comment/body").asText()).isEqualTo("""
                Verdict on AI commitment c-1: CORRECTED to "a $5 credit"
                By alice at 2026-03-04T15:02:00Z
                Commitment: HARD DISCOUNT 15% (turn 2)
                Context ctx-1001, verdict key zendesk:ctx-1001:verdict:c-1:CORRECTED:d183b840
                """);
    }

    @Test
    void after_a_503_the_outbox_retries_from_the_search_and_a_repeat_finds_the_verdict_already_on_the_ticket() throws Exception {
        HandoffContext context = verdict(Status.CORRECTED, "a $5 credit");
        vendor.json(200, TASK);
        vendor.json(503, "{\"error\":\"ServiceUnavailable\"}");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessage("zendesk PUT /api/v2/tickets/9002.json failed: HTTP 503 (ServiceUnavailable) after 1 attempt");

        vendor.json(200, TASK);                              // the outbox's retry: nothing was written, no token yet
        vendor.json(200, "{\"ticket\":{\"id\":9002}}");
        CrmReceipt first = adapter.pushVerdict(context, "c-1", key(context));
        // the outbox sends it again after losing the answer: the ticket carries the verdict's tag now
        vendor.json(200, TASK.replace("\"handoff_commitment_discount\"", "\"handoff_commitment_discount\",\"handoff_verdict_corrected\",\""
                + TestContexts.verdictToken(key(context)) + "\""));
        CrmReceipt again = adapter.pushVerdict(context, "c-1", key(context));

        assertThat(again).isEqualTo(first);
        assertThat(vendor.take().getMethod()).isEqualTo("GET");
        RecordedRequest refused = vendor.take();
        assertThat(vendor.take().getMethod()).isEqualTo("GET");
        RecordedRequest written = vendor.take();
        assertThat(written.getPath()).isEqualTo(refused.getPath()).isEqualTo("/api/v2/tickets/9002.json");
        assertThat(body(written)).isEqualTo(body(refused));
        assertThat(vendor.take().getMethod()).as("the repeat only looks").isEqualTo("GET");
        assertThat(vendor.server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void a_connection_lost_after_the_update_is_left_to_the_outbox_instead_of_repeated_blindly() {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, TASK);
        vendor.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessageStartingWith("zendesk PUT /api/v2/tickets/9002.json failed: ").hasMessageEndingWith(" after 1 attempt");
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_verdict_whose_task_ticket_is_not_there_yet_is_retried_later() {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, "{\"tickets\":[],\"count\":0}");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessage("zendesk verdict on commitment c-1 of context ctx-1001: no task ticket has its external_id yet"
                        + " (the handoff's push may still be pending)");
        assertThat(vendor.server.getRequestCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404})
    void a_refused_update_is_final_and_names_the_adapter_and_status(int status) {
        HandoffContext context = verdict(Status.REVOKED, null);
        vendor.json(200, TASK);
        vendor.json(status, "{\"error\":\"" + (status == 404 ? "RecordNotFound" : "RecordInvalid")
                + "\",\"description\":\"Dana Reyes dana@example.com\"}");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(CrmRefusedException.class)
                .hasMessage("zendesk PUT /api/v2/tickets/9002.json was refused: HTTP " + status + " ("
                        + (status == 404 ? "RecordNotFound" : "RecordInvalid") + ")");
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    static Stream<Arguments> malformedSearches() {
        return Stream.of(
                Arguments.of("not json", "zendesk task ticket search answered with a body that is not JSON"),
                Arguments.of("{\"count\":1}", "zendesk task ticket search answer has no /tickets array"),
                Arguments.of("{\"tickets\":[{\"subject\":\"x\"}]}", "zendesk task ticket search answer has no /id"),
                Arguments.of("{\"tickets\":[{\"id\":\"../users/1\"}]}", "zendesk task ticket search answer has an /id that is not a ticket number"));
    }

    @ParameterizedTest
    @MethodSource("malformedSearches")
    void a_search_answer_without_a_ticket_number_is_a_clear_final_error(String answer, String message) {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, answer);

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(NonRetriableHandoffException.class).hasMessage(message);
        assertThat(vendor.server.getRequestCount()).as("nothing is written on a guess").isEqualTo(1);
    }

    @Test
    void an_update_answer_without_the_ticket_is_a_clear_final_error() {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, TASK);
        vendor.json(200, "{\"audit\":{}}");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(NonRetriableHandoffException.class).hasMessage("zendesk task ticket update answer has no /id");
    }
}
