package dev.handoff.crm.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.crm.TestContexts;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldMappingTest {

    private final HandoffContext context = TestContexts.sample();

    @Test
    void maps_paths_with_conversions_and_defaults() {
        FieldMapping mapping = FieldMapping.fromYaml("""
                fields:
                  - from: $.customer.fields.email
                    to: email
                  - from: $.customer.accountIds.billing
                    to: billing_account
                  - from: $.semanticLedger.bant.budget.amount
                    to: amount
                    type: decimal
                  - from: $.metadata.durationSeconds
                    to: duration
                    type: integer
                  - from: $.createdAt
                    to: handoff_ms
                    type: epoch_millis
                  - from: $.createdAt
                    to: handoff_date
                    type: date
                  - from: $.transcript[1].signals.sentiment
                    to: first_sentiment
                    type: decimal
                  - from: $.commitments[0].kind
                    to: first_commitment
                  - from: $.crmProfile.displayName
                    to: crm_name
                    default: unknown
                  - from: $.semanticLedger.bant.authority
                    to: authority
                  - from: $.compliance.phi
                    to: phi
                    type: boolean
                  - from: $.semanticLedger.painPoints
                    to: pains
                    type: json
                """);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("email", "dana@example.com");
        expected.put("billing_account", "AC-1029");
        expected.put("amount", new BigDecimal("120.50"));
        expected.put("duration", 90L);
        expected.put("handoff_ms", 1772636400000L);
        expected.put("handoff_date", "2026-03-04");
        expected.put("first_sentiment", new BigDecimal("-0.4"));
        expected.put("first_commitment", "DISCOUNT");
        expected.put("crm_name", "unknown");
        expected.put("phi", false);
        Map<String, Object> actual = mapping.applyAsMap(context);
        assertThat(actual).containsAllEntriesOf(expected).doesNotContainKey("authority");
        assertThat(actual.get("pains").toString()).isEqualTo("[\"double charged for cleaning\"]");
        assertThat(actual.keySet()).containsSubsequence("email", "amount", "handoff_ms", "crm_name", "phi", "pains");
    }

    @Test
    void json_and_yaml_forms_are_the_same_mapping() {
        FieldMapping json = FieldMapping.fromJson("{\"fields\":[{\"from\":\"$.sessionId\",\"to\":\"session\"},"
                + "{\"from\":\"$.metadata.priority\",\"to\":\"prio\",\"type\":\"string\"}]}");
        FieldMapping yaml = FieldMapping.fromYaml("fields:\n  - {from: $.sessionId, to: session}\n  - {from: $.metadata.priority, to: prio}\n");

        assertThat(json.apply(context)).isEqualTo(yaml.apply(context));
        assertThat(json.applyAsMap(context)).containsExactly(Map.entry("session", "s-7"), Map.entry("prio", "HIGH"));
    }

    @Test
    void load_picks_the_format_from_the_file_name(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("hubspot.yml"), "fields:\n  - {from: $.contextId, to: handoff_id}\n");
        Path txt = Files.writeString(dir.resolve("hubspot.txt"), "");

        assertThat(FieldMapping.load(yaml).applyAsMap(context)).containsExactly(Map.entry("handoff_id", "ctx-1001"));
        assertThatThrownBy(() -> FieldMapping.load(txt))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid field mapping (1 violation):\n  - file: a name ending in .json, .yaml or .yml (was \"" + txt + "\")");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            typo in a record field        | {from: $.customer.feilds.email, to: email}            | fields[0].from    | a field of $.customer, one of [customerId, accountIds, fields, previousContacts]
            no leading dollar             | {from: customer.fields.email, to: email}             | fields[0].from    | a path starting with $ (such as $.customer.fields.email)
            bad step syntax               | {from: '$.customer..fields', to: email}              | fields[0].from    | a path of .name and [index] steps; cannot read from "..fields"
            index on a record             | {from: '$.customer[0]', to: email}                   | fields[0].from    | an index only after a list; $.customer is an object or array
            field below a leaf            | {from: $.contextId.value, to: id}                    | fields[0].from    | a path that ends at $.contextId (text), which has no fields
            unknown type                  | {from: $.contextId, to: id, type: uuid}              | fields[0].type    | one of [string, integer, decimal, boolean, datetime, epoch_millis, date, json]
            impossible conversion         | {from: $.createdAt, to: t, type: boolean}            | fields[0].type    | a type that $.createdAt (an instant) converts to: one of [string, datetime, epoch_millis, date, json]
            default of the wrong type     | {from: $.metadata.durationSeconds, to: d, type: integer, default: soon} | fields[0].default | expected a number
            missing target                | {from: $.contextId}                                  | fields[0].to      | a CRM field name
            unknown key                   | {from: $.contextId, to: id, requird: true}           | fields[0].requird | one of [default, from, required, to, type]
            """)
    void an_invalid_mapping_is_rejected_at_load_naming_the_path(String name, String entry, String path, String expected) {
        assertThatThrownBy(() -> FieldMapping.fromYaml("fields:\n  - " + entry + "\n"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.violations()).extracting(Violation::path).containsExactly(path);
                    assertThat(e.violations()).extracting(Violation::expected).containsExactly(expected);
                });
    }

    @Test
    void every_bad_entry_is_reported_at_once() {
        assertThatThrownBy(() -> FieldMapping.fromJson("{\"fields\":[{\"from\":\"$.customer.fields.email\",\"to\":\"email\"},"
                + "{\"from\":\"$.metadata.prioirty\",\"to\":\"p\"},{\"from\":\"$.contextId\",\"to\":\"email\"}]}"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Invalid field mapping (2 violations):\n"
                        + "  - fields[1].from: a field of $.metadata, one of [action, priority, triggerReasons, intents, routeHint,"
                        + " durationSeconds, language] (was \"$.metadata.prioirty\")\n"
                        + "  - fields[2].to: a field name not mapped by an earlier entry (was \"email\")");
    }

    @Test
    void a_document_without_fields_is_rejected() {
        assertThatThrownBy(() -> FieldMapping.fromJson("{\"field\":[]}"))
                .hasMessage("Invalid field mapping (1 violation):\n  - fields: an array of {from, to, type, default, required} entries (was \"\")");
        assertThatThrownBy(() -> FieldMapping.fromJson("{not json"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("Invalid field mapping (1 violation):\n  - $: a JSON document (");
    }

    @Test
    void a_required_value_that_is_missing_fails_the_push_naming_the_path() {
        FieldMapping mapping = FieldMapping.fromYaml("fields:\n  - {from: $.crmProfile.recordId, to: contact_id, required: true}\n");

        assertThatThrownBy(() -> mapping.apply(context))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("Field mapping: $.crmProfile.recordId has no value and no default, but contact_id is required");
    }

    @Test
    void a_value_that_cannot_convert_at_run_time_names_the_path_and_value() {
        FieldMapping mapping = FieldMapping.fromYaml("fields:\n  - {from: $.customer.fields.name, to: n, type: integer}\n");

        assertThatThrownBy(() -> mapping.apply(context))
                .isInstanceOf(NonRetriableHandoffException.class)
                .hasMessage("Field mapping: $.customer.fields.name = \"Dana Reyes\" cannot go to n: expected a number");
    }
}
