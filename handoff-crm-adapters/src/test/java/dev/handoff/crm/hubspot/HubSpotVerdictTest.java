package dev.handoff.crm.hubspot;

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

/** A human's verdict on a commitment is a note on the contact, written once: a repeat finds it by the verdict's token. */
class HubSpotVerdictTest {

    private static final String NONE = "{\"total\":0,\"results\":[]}";

    private final VendorServer vendor = new VendorServer();
    private final HubSpotAdapter adapter = HubSpotAdapter.builder(vendor.http("hubspot", CrmAuth.bearer("pat-na1-token")))
            .baseUrl(vendor.baseUrl()).portalId("8675309").build();

    HubSpotVerdictTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        vendor.close();
    }

    private static HandoffContext verdict(Status status, String correctedValue) {
        return TestContexts.withVerdict(TestContexts.withProfile(TestContexts.sample(), "hubspot", "512"), "c-1", status, correctedValue);
    }

    private static String key(HandoffContext context) {
        return OutboxEntry.verdictKey("hubspot:ctx-1001", context.commitments().get(0));
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of(Status.CONFIRMED, null, "Verdict on AI commitment c-1: CONFIRMED: it stands as promised"),
                Arguments.of(Status.CORRECTED, "a $5 credit", "Verdict on AI commitment c-1: CORRECTED to &quot;a $5 credit&quot;"),
                Arguments.of(Status.REVOKED, null, "Verdict on AI commitment c-1: REVOKED: it was withdrawn"));
    }

    @ParameterizedTest
    @MethodSource("verdicts")
    void a_verdict_is_a_note_on_the_contact_after_a_search_finds_none(Status status, String corrected, String first)
            throws Exception {
        HandoffContext context = verdict(status, corrected);
        vendor.json(200, NONE);
        vendor.json(201, "{\"id\":\"7101\",\"properties\":{}}");

        CrmReceipt receipt = adapter.pushVerdict(context, "c-1", key(context));

        assertThat(receipt).isEqualTo(new CrmReceipt("hubspot", "7101", "https://app.hubspot.com/contacts/8675309/record/0-1/512"));
        String token = TestContexts.verdictToken(key(context));
        RecordedRequest search = vendor.take();
        assertThat(search.getMethod()).isEqualTo("POST");
        assertThat(search.getPath()).isEqualTo("/crm/v3/objects/notes/search");
        assertThat(body(search)).isEqualTo(parse("""
                {"filterGroups":[{"filters":[{"propertyName":"hs_note_body","operator":"CONTAINS_TOKEN","value":"%s"}]}],
                 "properties":["hs_timestamp"],"limit":1}""".formatted(token)));
        RecordedRequest note = vendor.take();
        assertThat(note.getMethod()).isEqualTo("POST");
        assertThat(note.getPath()).isEqualTo("/crm/v3/objects/notes");
        assertThat(note.getHeader("Authorization")).isEqualTo("Bearer pat-na1-token");
        assertThat(note.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(note.getHeader("Idempotency-Key")).isEqualTo(key(context)).startsWith("hubspot:ctx-1001:verdict:c-1:" + status);
        String html = first + "<br>By alice at 2026-03-04T15:02:00Z<br>Commitment: HARD DISCOUNT 15% (turn 2)<br>"
                + "Context ctx-1001, verdict key " + key(context) + "<br>Ref: " + token;
        assertThat(body(note)).isEqualTo(parse("""
                {"properties":{"hs_timestamp":"2026-03-04T15:02:00Z","hs_note_body":%s},
                 "associations":[{"to":{"id":"512"},
                                  "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}"""
                .formatted(ContextJson.get().mapper().getNodeFactory().textNode(html))));
        assertThat(TestContexts.transcriptWords()).allSatisfy(words -> assertThat(html).doesNotContain(asHtml(words)));
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void after_a_503_the_outbox_retries_from_the_search_and_a_repeat_finds_the_note_it_wrote() throws Exception {
        HandoffContext context = verdict(Status.CORRECTED, "a $5 credit");
        vendor.json(200, NONE);
        vendor.json(503, "{\"status\":\"error\",\"category\":\"SERVICE_UNAVAILABLE\"}");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessage("hubspot POST /crm/v3/objects/notes failed: HTTP 503 (SERVICE_UNAVAILABLE) after 1 attempt");

        vendor.json(200, NONE);                              // the outbox's retry: nothing was written
        vendor.json(201, "{\"id\":\"7101\"}");
        CrmReceipt first = adapter.pushVerdict(context, "c-1", key(context));
        // the outbox sends it again after losing the answer: the search finds the note by its token
        vendor.json(200, "{\"total\":1,\"results\":[{\"id\":\"7101\",\"properties\":{\"hs_timestamp\":\"2026-03-04T15:02:00Z\"}}]}");
        CrmReceipt again = adapter.pushVerdict(context, "c-1", key(context));

        assertThat(first.recordId()).isEqualTo("7101");
        assertThat(again).isEqualTo(new CrmReceipt("hubspot", "7101", null));
        var search = body(vendor.take());   // a recorded body can be read once
        RecordedRequest refused = vendor.take();
        assertThat(body(vendor.take())).isEqualTo(search);
        RecordedRequest written = vendor.take();
        RecordedRequest repeat = vendor.take();
        assertThat(refused.getPath()).isEqualTo(written.getPath()).isEqualTo("/crm/v3/objects/notes");
        assertThat(written.getHeader("Idempotency-Key")).isEqualTo(refused.getHeader("Idempotency-Key"));
        assertThat(body(written)).isEqualTo(body(refused));
        assertThat(repeat.getPath()).as("the repeat only searches").isEqualTo("/crm/v3/objects/notes/search");
        assertThat(body(repeat)).isEqualTo(search);
        assertThat(vendor.server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void a_connection_lost_after_the_note_create_is_left_to_the_outbox_instead_of_repeated_blindly() {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, NONE);
        vendor.server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(RetriableHandoffException.class)
                .hasMessageStartingWith("hubspot POST /crm/v3/objects/notes failed: ").hasMessageEndingWith(" after 1 attempt");
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void different_verdicts_on_one_commitment_are_different_notes() throws Exception {
        HandoffContext confirmed = verdict(Status.CONFIRMED, null);
        HandoffContext corrected = verdict(Status.CORRECTED, "a $5 credit");
        HandoffContext correctedAgain = verdict(Status.CORRECTED, "a $10 credit");

        assertThat(java.util.Set.of(TestContexts.verdictToken(key(confirmed)), TestContexts.verdictToken(key(corrected)), TestContexts.verdictToken(key(correctedAgain)))).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404})
    void a_refused_note_is_final_and_names_the_adapter_and_status(int status) {
        HandoffContext context = verdict(Status.REVOKED, null);
        vendor.json(200, NONE);
        vendor.json(status, "{\"status\":\"error\",\"message\":\"dana@example.com is invalid\",\"category\":\""
                + (status == 404 ? "OBJECT_NOT_FOUND" : "VALIDATION_ERROR") + "\"}");

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(CrmRefusedException.class)
                .hasMessage("hubspot POST /crm/v3/objects/notes was refused: HTTP " + status + " ("
                        + (status == 404 ? "OBJECT_NOT_FOUND" : "VALIDATION_ERROR") + ")");
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                Arguments.of("<html/>", null, "hubspot verdict note search answered with a body that is not JSON"),
                Arguments.of("{\"total\":0}", null, "hubspot verdict note search answer has no /results array"),
                Arguments.of("{\"total\":1,\"results\":[{}]}", null, "hubspot verdict note search answer has no /id"),
                Arguments.of(NONE, "{\"properties\":{}}", "hubspot verdict note create answer has no /id"));
    }

    @ParameterizedTest
    @MethodSource("malformedAnswers")
    void an_answer_without_what_is_expected_is_a_clear_final_error(String search, String create, String message) {
        HandoffContext context = verdict(Status.CONFIRMED, null);
        vendor.json(200, search);
        if (create != null) {
            vendor.json(201, create);
        }

        assertThatThrownBy(() -> adapter.pushVerdict(context, "c-1", key(context)))
                .isInstanceOf(NonRetriableHandoffException.class).hasMessage(message);
    }

    /** The words as the note's HTML would carry them. */
    private static String asHtml(String words) {
        return dev.handoff.crm.internal.ContextText.html(words);
    }
}
