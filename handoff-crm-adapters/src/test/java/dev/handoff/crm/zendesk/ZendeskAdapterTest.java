package dev.handoff.crm.zendesk;

import static dev.handoff.crm.VendorServer.body;
import static dev.handoff.crm.VendorServer.parse;
import static dev.handoff.crm.VendorServer.remove;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.VendorServer;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.mapping.FieldMapping;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ZendeskAdapterTest {

    private final VendorServer vendor = new VendorServer();
    private final ZendeskAdapter adapter = ZendeskAdapter.builder(
            vendor.http("zendesk", CrmAuth.basic("agent@example.com/token", "zd-api-token")), vendor.baseUrl()).build();

    ZendeskAdapterTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        vendor.close();
    }

    private void userFound() {
        vendor.json(200, """
                {"users":[{"id":35436,"name":"Dana Reyes","email":"dana@example.com","phone":"+15550100","role":"end-user",
                 "organization_id":57542,"time_zone":"America/New_York"}],"count":1,"next_page":null,"previous_page":null}""");
    }

    private void ticketsFound() {
        vendor.json(200, """
                {"tickets":[{"id":35,"subject":"Billing date question","status":"solved","created_at":"2026-02-01T10:00:00Z",
                 "via":{"channel":"voice"}}],"count":1}""");
    }

    @Test
    void lookup_searches_users_by_email_then_reads_requested_tickets() throws Exception {
        userFound();
        ticketsFound();

        CrmProfile profile = adapter.lookup(CustomerData.UNKNOWN.withField("email", "dana@example.com")).orElseThrow();

        assertThat(profile).isEqualTo(new CrmProfile("zendesk", "35436", "Dana Reyes",
                Map.of("email", "dana@example.com", "phone", "+15550100", "organization_id", "57542", "role", "end-user",
                        "time_zone", "America/New_York"),
                List.of(new CrmProfile.Interaction(Instant.parse("2026-02-01T10:00:00Z"), "voice",
                        "Ticket #35: Billing date question", "solved"))));
        RecordedRequest search = vendor.take();
        assertThat(search.getMethod()).isEqualTo("GET");
        assertThat(search.getRequestUrl().encodedPath()).isEqualTo("/api/v2/users/search.json");
        assertThat(search.getRequestUrl().queryParameter("query")).isEqualTo("email:dana@example.com");
        assertThat(search.getHeader("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("agent@example.com/token:zd-api-token".getBytes()));
        RecordedRequest tickets = vendor.take();
        assertThat(tickets.getPath()).isEqualTo("/api/v2/users/35436/tickets/requested.json?sort_by=created_at&sort_order=desc");
    }

    @Test
    void lookup_by_zendesk_user_id_uses_show_user() throws Exception {
        vendor.json(200, "{\"user\":{\"id\":35436,\"name\":\"Dana Reyes\"}}");
        vendor.json(200, "{\"tickets\":[]}");

        assertThat(adapter.lookup(CustomerData.of("c", Map.of("zendesk", "35436")))).map(CrmProfile::recordId).contains("35436");
        assertThat(vendor.take().getPath()).isEqualTo("/api/v2/users/35436.json");
    }

    @Test
    void push_creates_a_ticket_with_a_private_comment_and_a_task_ticket_per_commitment() throws Exception {
        ZendeskAdapter mapped = ZendeskAdapter.builder(vendor.http("zendesk", CrmAuth.bearer("oauth-token")), vendor.baseUrl())
                .history(0)
                .mapping(FieldMapping.fromYaml("""
                        fields:
                          - {from: $.metadata.routeHint, to: custom_fields.360001234}
                          - {from: $.sentiment.label, to: custom_fields.360005678}
                        """))
                .build();
        userFound();
        vendor.json(201, "{\"ticket\":{\"id\":35437,\"status\":\"new\"},\"audit\":{}}");
        vendor.json(201, "{\"ticket\":{\"id\":35438,\"status\":\"new\"}}");
        vendor.json(201, "{\"ticket\":{\"id\":35439,\"status\":\"new\"}}");

        CrmReceipt receipt = mapped.push(TestContexts.sample(), "zendesk:ctx-1001");

        assertThat(receipt).isEqualTo(new CrmReceipt("zendesk", "35437", vendor.server.url("/agent/tickets/35437").toString()));
        vendor.take();
        RecordedRequest create = vendor.take();
        assertThat(create.getMethod()).isEqualTo("POST");
        assertThat(create.getPath()).isEqualTo("/api/v2/tickets.json");
        assertThat(create.getHeader("Idempotency-Key")).isEqualTo("zendesk:ctx-1001");
        JsonNode ticket = body(create);
        String comment = remove(ticket, "/ticket/comment", "body");
        assertThat(ticket).isEqualTo(parse("""
                {"ticket":{"subject":"AI handoff: Refund a duplicate cleaning charge","comment":{"public":false},
                  "requester_id":35436,"priority":"high","tags":["handoff","handoff_voice"],"external_id":"zendesk:ctx-1001",
                  "custom_fields":[{"id":360001234,"value":"billing"},
                                   {"id":360005678,"value":"Entering conversation at High Urgency / Low Trust"}]}}"""));
        assertThat(comment).startsWith("Goal: Refund a duplicate cleaning charge\n").contains("\nTranscript:\n");

        RecordedRequest task = vendor.take();
        assertThat(task.getHeader("Idempotency-Key")).isEqualTo("zendesk:ctx-1001:c-1");
        JsonNode taskBody = body(task);
        assertThat(remove(taskBody, "/ticket/comment", "body")).startsWith("The AI promised: \"I've applied a 15% discount")
                .endsWith("\nHandoff ticket: #35437");
        assertThat(taskBody).isEqualTo(parse("""
                {"ticket":{"subject":"Verify AI commitment: DISCOUNT 15%","type":"task","due_at":"2026-03-04T15:01:00Z",
                  "comment":{"public":false},"requester_id":35436,"priority":"high",
                  "tags":["handoff_commitment","handoff_commitment_discount"],"external_id":"zendesk:ctx-1001:c-1"}}"""));
        JsonNode second = body(vendor.take());
        assertThat(second.at("/ticket/priority").asText()).isEqualTo("normal");
        assertThat(second.at("/ticket/external_id").asText()).isEqualTo("zendesk:ctx-1001:c-2");
        assertThat(vendor.server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void a_repeated_push_sends_the_same_idempotency_keys() throws Exception {
        for (int round = 0; round < 2; round++) {
            vendor.json(200, "{\"users\":[],\"count\":0}");
            vendor.json(201, "{\"ticket\":{\"id\":35437}}");
            vendor.json(201, "{\"ticket\":{\"id\":35438}}");
            vendor.json(201, "{\"ticket\":{\"id\":35439}}");
            adapter.push(TestContexts.sample(), "zendesk:ctx-1001");
        }
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(String.valueOf(vendor.take().getHeader("Idempotency-Key")));
        }
        assertThat(keys.subList(4, 8)).isEqualTo(keys.subList(0, 4))
                .containsExactly("null", "zendesk:ctx-1001", "zendesk:ctx-1001:c-1", "zendesk:ctx-1001:c-2");
    }
}
