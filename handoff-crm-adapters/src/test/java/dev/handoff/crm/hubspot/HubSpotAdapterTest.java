package dev.handoff.crm.hubspot;

import static dev.handoff.crm.VendorServer.body;
import static dev.handoff.crm.VendorServer.parse;
import static dev.handoff.crm.VendorServer.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.VendorServer;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.mapping.FieldMapping;
import dev.handoff.crm.transport.CrmRefusedException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotAdapterTest {

    private final VendorServer vendor = new VendorServer();
    private final HubSpotAdapter adapter = HubSpotAdapter.builder(vendor.http("hubspot", CrmAuth.bearer("pat-na1-token")))
            .baseUrl(vendor.baseUrl()).portalId("8675309").build();

    HubSpotAdapterTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        vendor.close();
    }

    private void contactFound() {
        vendor.json(200, """
                {"total":1,"results":[{"id":"512","properties":{"email":"dana@example.com","firstname":"Dana","lastname":"Reyes",
                 "phone":"+15550100","lifecyclestage":"customer","company":null,"hs_object_id":"512"},
                 "createdAt":"2025-01-02T03:04:05Z","updatedAt":"2026-02-01T10:00:00Z","archived":false}]}""");
    }

    private void notesFound() {
        vendor.json(200, """
                {"total":1,"results":[{"id":"9001","properties":{"hs_note_body":"<p>Asked about <b>billing</b> dates</p>",
                 "hs_timestamp":"2026-02-01T10:00:00Z"}}]}""");
    }

    @Test
    void lookup_searches_contacts_by_email_then_reads_recent_notes() throws Exception {
        contactFound();
        notesFound();

        CrmProfile profile = adapter.lookup(new CustomerData(null, Map.of(), Map.of("email", "dana@example.com"), List.of()))
                .orElseThrow();

        assertThat(profile).isEqualTo(new CrmProfile("hubspot", "512", "Dana Reyes",
                Map.of("email", "dana@example.com", "phone", "+15550100", "lifecyclestage", "customer"),
                List.of(new CrmProfile.Interaction(Instant.parse("2026-02-01T10:00:00Z"), "note", "Asked about billing dates", null))));
        RecordedRequest search = vendor.take();
        assertThat(search.getMethod()).isEqualTo("POST");
        assertThat(search.getPath()).isEqualTo("/crm/v3/objects/contacts/search");
        assertThat(search.getHeader("Authorization")).isEqualTo("Bearer pat-na1-token");
        assertThat(search.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(body(search)).isEqualTo(parse("""
                {"filterGroups":[{"filters":[{"propertyName":"email","operator":"EQ","value":"dana@example.com"}]}],
                 "properties":["email","firstname","lastname","phone","company","lifecyclestage","hubspot_owner_id"],
                 "limit":1}"""));
        RecordedRequest notes = vendor.take();
        assertThat(notes.getPath()).isEqualTo("/crm/v3/objects/notes/search");
        assertThat(body(notes)).isEqualTo(parse("""
                {"filterGroups":[{"filters":[{"propertyName":"associations.contact","operator":"EQ","value":"512"}]}],
                 "sorts":[{"propertyName":"hs_timestamp","direction":"DESCENDING"}],
                 "properties":["hs_note_body","hs_timestamp"],"limit":5}"""));
    }

    @Test
    void lookup_prefers_the_hubspot_account_id_and_returns_empty_when_nothing_matches() throws Exception {
        vendor.json(200, "{\"total\":0,\"results\":[]}");

        assertThat(adapter.lookup(CustomerData.of("c", Map.of("hubspot", "512")).withField("email", "x@example.com"))).isEmpty();
        assertThat(body(vendor.take()).at("/filterGroups/0/filters/0")).isEqualTo(parse(
                "{\"propertyName\":\"hs_object_id\",\"operator\":\"EQ\",\"value\":\"512\"}"));
        assertThat(adapter.lookup(CustomerData.UNKNOWN)).isEmpty();
        assertThat(vendor.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void push_creates_a_note_on_the_contact_and_one_task_per_commitment() throws Exception {
        HandoffContext context = withHubSpotProfile(TestContexts.sample());
        vendor.json(201, "{\"id\":\"7001\",\"properties\":{}}");
        vendor.json(201, "{\"id\":\"8001\"}");
        vendor.json(201, "{\"id\":\"8002\"}");

        CrmReceipt receipt = adapter.push(context, "hubspot:ctx-1001");

        assertThat(receipt).isEqualTo(new CrmReceipt("hubspot", "7001", "https://app.hubspot.com/contacts/8675309/record/0-1/512"));
        RecordedRequest note = vendor.take();
        assertThat(note.getMethod()).isEqualTo("POST");
        assertThat(note.getPath()).isEqualTo("/crm/v3/objects/notes");
        assertThat(note.getHeader("Idempotency-Key")).isEqualTo("hubspot:ctx-1001");
        JsonNode noteBody = body(note);
        String html = remove(noteBody, "/properties", "hs_note_body");
        assertThat(noteBody).isEqualTo(parse("""
                {"properties":{"hs_timestamp":"2026-03-04T15:00:00Z"},
                 "associations":[{"to":{"id":"512"},
                                  "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}"""));
        assertThat(html).startsWith("Goal: Refund a duplicate cleaning charge<br>Obstacle: Was offered a discount instead<br>")
                .contains("AI commitments to verify:<br>  - HARD DISCOUNT 15%: &quot;I've applied a 15% discount to your next visit.&quot;"
                        + " (turn 2, PENDING_VERIFICATION)<br>")
                .contains("[14:58:40] CUSTOMER: I was double charged for my cleaning last week.<br>")
                .endsWith("Handoff key: hubspot:ctx-1001");

        RecordedRequest task1 = vendor.take();
        assertThat(task1.getPath()).isEqualTo("/crm/v3/objects/tasks");
        assertThat(task1.getHeader("Idempotency-Key")).isEqualTo("hubspot:ctx-1001:c-1");
        JsonNode t1 = body(task1);
        assertThat(remove(t1, "/properties", "hs_task_body")).startsWith("The AI promised: &quot;I've applied a 15% discount");
        assertThat(t1).isEqualTo(parse("""
                {"properties":{"hs_timestamp":"2026-03-04T15:01:00Z","hs_task_subject":"Verify AI commitment: DISCOUNT 15%",
                  "hs_task_status":"NOT_STARTED","hs_task_priority":"HIGH","hs_task_type":"TODO"},
                 "associations":[{"to":{"id":"512"},
                                  "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":204}]}]}"""));
        JsonNode t2 = body(vendor.take());
        assertThat(t2.at("/properties/hs_task_subject").asText()).isEqualTo("Verify AI commitment: CALLBACK 2026-03-05");
        assertThat(t2.at("/properties/hs_task_body").asText())
                .isEqualTo("The AI implied: &quot;Someone might call you back tomorrow.&quot;<br>Kind: CALLBACK, value: 2026-03-05<br>"
                        + "Said at turn 2 of session s-7 (context ctx-1001).<br>Confirm, correct or revoke it with the customer in the first minute.");
        assertThat(vendor.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void push_without_a_profile_looks_the_contact_up_and_adds_mapped_properties() throws Exception {
        HubSpotAdapter mapped = HubSpotAdapter.builder(vendor.http("hubspot", CrmAuth.bearer("t")))
                .baseUrl(vendor.baseUrl()).history(0)
                .mapping(FieldMapping.fromYaml("fields:\n  - {from: $.metadata.priority, to: handoff_priority}\n")).build();
        contactFound();
        vendor.json(201, "{\"id\":\"7002\"}");
        vendor.json(201, "{\"id\":\"8003\"}");
        vendor.json(201, "{\"id\":\"8004\"}");

        CrmReceipt receipt = mapped.push(TestContexts.sample(), "hubspot:ctx-1001");

        assertThat(receipt).isEqualTo(new CrmReceipt("hubspot", "7002", null));
        assertThat(vendor.take().getPath()).isEqualTo("/crm/v3/objects/contacts/search");
        JsonNode note = body(vendor.take());
        assertThat(note.at("/properties/handoff_priority").asText()).isEqualTo("HIGH");
        assertThat(note.at("/associations/0/to/id").asText()).isEqualTo("512");
    }

    @Test
    void a_refused_task_fails_the_push_without_retrying() throws Exception {
        vendor.json(201, "{\"id\":\"7001\"}");
        vendor.json(400, "{\"status\":\"error\",\"message\":\"Property values were not valid\",\"category\":\"VALIDATION_ERROR\"}");

        assertThatThrownBy(() -> adapter.push(withHubSpotProfile(TestContexts.sample()), "hubspot:ctx-1001"))
                .isInstanceOf(CrmRefusedException.class)
                .hasMessage("hubspot POST /crm/v3/objects/tasks was refused: HTTP 400 (VALIDATION_ERROR)");
        assertThat(vendor.server.getRequestCount()).isEqualTo(2);
    }

    private static HandoffContext withHubSpotProfile(HandoffContext c) {
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), c.transcript(), c.inFlight(),
                c.customer(), new CrmProfile("hubspot", "512", "Dana Reyes", Map.of(), List.of()), c.metadata(), c.semanticLedger(),
                c.sentiment(), c.commitments(), c.whisper(), c.tone(), c.compliance(), c.integrity(), c.extensions());
    }
}
