package dev.handoff.crm.salesforce;

import static dev.handoff.crm.VendorServer.body;
import static dev.handoff.crm.VendorServer.parse;
import static dev.handoff.crm.VendorServer.remove;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.VendorServer;
import dev.handoff.crm.auth.CrmAuth;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceAdapterTest {

    private final VendorServer vendor = new VendorServer();
    private final SalesforceAdapter adapter = SalesforceAdapter.builder(vendor.http("salesforce", CrmAuth.bearer("00Dxx!token")),
            vendor.baseUrl()).build();

    SalesforceAdapterTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        vendor.close();
    }

    private void contactFound() {
        vendor.json(200, """
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact",
                 "url":"/services/data/v60.0/sobjects/Contact/003B000000XyZabIAF"},
                 "Id":"003B000000XyZabIAF","Name":"Dana Reyes","Email":"dana@example.com","Phone":"+15550100",
                 "AccountId":"001B000000AbCdeIAF","Account":{"attributes":{"type":"Account"},"Name":"Bright Dental Patients"}}]}""");
    }

    private void casesFound() {
        vendor.json(200, """
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Case"},"Id":"500B000000QwErTIAZ",
                 "CaseNumber":"00001027","Subject":"Billing date question","Status":"Closed","Origin":"Phone",
                 "CreatedDate":"2026-02-01T10:00:00.000+0000"}]}""");
    }

    @Test
    void lookup_queries_contact_by_email_with_soql_then_recent_cases() throws Exception {
        contactFound();
        casesFound();

        CrmProfile profile = adapter.lookup(CustomerData.of(null, Map.of()).withField("email", "dana@example.com")).orElseThrow();

        assertThat(profile).isEqualTo(new CrmProfile("salesforce", "003B000000XyZabIAF", "Dana Reyes",
                Map.of("email", "dana@example.com", "phone", "+15550100", "accountId", "001B000000AbCdeIAF",
                        "accountName", "Bright Dental Patients"),
                List.of(new CrmProfile.Interaction(Instant.parse("2026-02-01T10:00:00Z"), "phone",
                        "Case 00001027: Billing date question", "Closed"))));
        RecordedRequest query = vendor.take();
        assertThat(query.getMethod()).isEqualTo("GET");
        assertThat(query.getRequestUrl().encodedPath()).isEqualTo("/services/data/v60.0/query");
        assertThat(query.getRequestUrl().queryParameter("q"))
                .isEqualTo("SELECT Id, Name, Email, Phone, AccountId, Account.Name FROM Contact WHERE Email = 'dana@example.com' LIMIT 1");
        assertThat(query.getHeader("Authorization")).isEqualTo("Bearer 00Dxx!token");
        assertThat(vendor.take().getRequestUrl().queryParameter("q"))
                .isEqualTo("SELECT Id, CaseNumber, Subject, Status, Origin, CreatedDate FROM Case"
                        + " WHERE ContactId = '003B000000XyZabIAF' ORDER BY CreatedDate DESC LIMIT 5");
    }

    @Test
    void soql_literals_are_escaped_so_input_cannot_change_the_query() throws Exception {
        vendor.json(200, "{\"totalSize\":0,\"done\":true,\"records\":[]}");

        assertThat(adapter.lookup(CustomerData.UNKNOWN.withField("email", "x' OR Name != '\\"))).isEmpty();

        assertThat(vendor.take().getRequestUrl().queryParameter("q"))
                .isEqualTo("SELECT Id, Name, Email, Phone, AccountId, Account.Name FROM Contact WHERE Email = 'x\\' OR Name != \\'\\\\' LIMIT 1");
    }

    @Test
    void push_creates_a_case_and_one_task_per_commitment() throws Exception {
        contactFound();
        casesFound();
        vendor.json(201, "{\"id\":\"500B000000NeWcAIAZ\",\"success\":true,\"errors\":[]}");
        vendor.json(201, "{\"id\":\"00TB000000TaSk1IAB\",\"success\":true,\"errors\":[]}");
        vendor.json(201, "{\"id\":\"00TB000000TaSk2IAB\",\"success\":true,\"errors\":[]}");

        CrmReceipt receipt = adapter.push(TestContexts.sample(), "salesforce:ctx-1001");

        assertThat(receipt).isEqualTo(new CrmReceipt("salesforce", "500B000000NeWcAIAZ",
                vendor.server.url("/lightning/r/Case/500B000000NeWcAIAZ/view").toString()));
        vendor.take();
        vendor.take();
        RecordedRequest kase = vendor.take();
        assertThat(kase.getMethod()).isEqualTo("POST");
        assertThat(kase.getPath()).isEqualTo("/services/data/v60.0/sobjects/Case");
        assertThat(kase.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        JsonNode caseBody = body(kase);
        String description = remove(caseBody, "", "Description");
        assertThat(caseBody).isEqualTo(parse("""
                {"Subject":"AI handoff: Refund a duplicate cleaning charge","Origin":"Phone","Priority":"High","Status":"New",
                 "ContactId":"003B000000XyZabIAF","AccountId":"001B000000AbCdeIAF"}"""));
        assertThat(description).startsWith("Goal: Refund a duplicate cleaning charge\nObstacle:")
                .contains("\n[14:58:55] AI: I'm sorry about that. I've applied a 15% discount to your next visit.\n")
                .endsWith("Handoff key: salesforce:ctx-1001");

        RecordedRequest task = vendor.take();
        assertThat(task.getPath()).isEqualTo("/services/data/v60.0/sobjects/Task");
        JsonNode taskBody = body(task);
        assertThat(remove(taskBody, "", "Description")).startsWith("The AI promised: \"I've applied a 15% discount");
        assertThat(taskBody).isEqualTo(parse("""
                {"Subject":"Verify AI commitment: DISCOUNT 15%","WhatId":"500B000000NeWcAIAZ","WhoId":"003B000000XyZabIAF",
                 "Status":"Not Started","Priority":"High","ActivityDate":"2026-03-04"}"""));
        assertThat(body(vendor.take()).path("Priority").asText()).isEqualTo("Normal");
    }

    @Test
    void with_an_external_id_field_creates_become_upserts_keyed_by_the_idempotency_key() throws Exception {
        SalesforceAdapter upserting = SalesforceAdapter.builder(vendor.http("salesforce", CrmAuth.bearer("t")), vendor.baseUrl())
                .apiVersion("v61.0").externalIdField("Handoff_Key__c").history(0).build();
        vendor.json(200, "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        vendor.json(201, "{\"id\":\"500B000000NeWcAIAZ\",\"success\":true,\"errors\":[],\"created\":true}");
        vendor.json(200, "{\"id\":\"00TB000000TaSk1IAB\",\"success\":true,\"errors\":[],\"created\":false}");
        vendor.json(201, "{\"id\":\"00TB000000TaSk2IAB\",\"success\":true,\"errors\":[],\"created\":true}");

        upserting.push(TestContexts.sample(), "salesforce:ctx-1001");

        vendor.take();
        RecordedRequest kase = vendor.take();
        assertThat(kase.getMethod()).isEqualTo("PATCH");
        assertThat(kase.getPath()).isEqualTo("/services/data/v61.0/sobjects/Case/Handoff_Key__c/salesforce:ctx-1001");
        RecordedRequest task = vendor.take();
        assertThat(task.getPath()).isEqualTo("/services/data/v61.0/sobjects/Task/Handoff_Key__c/salesforce:ctx-1001:c-1");
        assertThat(body(task).has("WhoId")).isFalse();
    }

    @Test
    void a_validation_error_is_reported_with_salesforces_error_code() {
        vendor.json(200, "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        vendor.json(400, "[{\"message\":\"Priority: bad value for restricted picklist field: High\",\"errorCode\":\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\",\"fields\":[\"Priority\"]}]");

        assertThatThrownBy(() -> adapter.push(TestContexts.sample(), "salesforce:ctx-1001"))
                .hasMessage("salesforce POST /services/data/v60.0/sobjects/Case was refused: HTTP 400"
                        + " (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST)");
    }

    @Test
    void rejects_bad_settings() {
        assertThatThrownBy(() -> SalesforceAdapter.builder(vendor.http("salesforce", CrmAuth.none()), vendor.baseUrl()).apiVersion("60"))
                .hasMessage("apiVersion must look like v60.0, was \"60\"");
        assertThatThrownBy(() -> SalesforceAdapter.builder(vendor.http("salesforce", CrmAuth.none()), vendor.baseUrl())
                .externalIdField("Handoff Key"))
                .hasMessage("externalIdField must be a field API name such as Handoff_Key__c, was \"Handoff Key\"");
    }
}
