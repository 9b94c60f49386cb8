package dev.handoff.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.context.HandoffContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextJsonTest {

    private final ContextJson json = ContextJson.get();

    static String resource(String path) {
        try (InputStream in = ContextJsonTest.class.getResourceAsStream(path)) {
            assertThat(in).as("resource %s", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String golden(String name) {
        return resource("/schema/examples/" + name + ".json");
    }

    @ParameterizedTest
    @ValueSource(strings = {GoldenContexts.DENTAL, GoldenContexts.B2B})
    void golden_document_round_trips_byte_for_byte(String name) {
        String text = golden(name);

        String written = json.writePretty(json.read(text));

        assertThat(written).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {GoldenContexts.DENTAL, GoldenContexts.B2B})
    void golden_document_maps_one_to_one_to_the_records(String name) {
        assertThat(json.read(golden(name))).isEqualTo(GoldenContexts.byName(name));
        assertThat(json.writePretty(GoldenContexts.byName(name))).isEqualTo(golden(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {GoldenContexts.DENTAL, GoldenContexts.B2B})
    void golden_document_validates_against_the_published_json_schema(String name) throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(resource("/schema/handoff.context.v1.schema.json"));

        Set<ValidationMessage> errors = schema.validate(json.mapper().readTree(golden(name)));

        assertThat(errors).isEmpty();
    }

    @Test
    void published_schema_rejects_what_the_validator_rejects() throws IOException {
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(resource("/schema/handoff.context.v1.schema.json"));
        String bad = golden(GoldenContexts.B2B).replace("\"speaker\": \"AI\"", "\"speaker\": \"ROBOT\"");

        assertThat(schema.validate(json.mapper().readTree(bad))).isNotEmpty();
    }

    @Test
    void unknown_fields_are_kept_on_read_and_written_back() {
        String text = golden(GoldenContexts.B2B)
                .replaceFirst("\\{", "{\n  \"x-vendor\": {\"queueHint\": \"emea\", \"weights\": [1, 2]},")
                .replace("\"routeHint\": \"solutions-engineer\",", "\"routeHint\": \"solutions-engineer\",\n    \"x-region\": \"eu-west\",");

        HandoffContext context = json.read(text);
        String written = json.writePretty(context);

        assertThat(context.extensions()).containsKey("x-vendor");
        assertThat(context.metadata().extensions()).containsEntry("x-region", "eu-west");
        assertThat(written).contains("\"x-vendor\": {", "\"queueHint\": \"emea\"", "\"x-region\": \"eu-west\"");
        assertThat(json.read(written)).isEqualTo(context);
    }

    @Test
    void invalid_document_lists_every_violation_with_path_value_and_expectation() {
        String text = golden(GoldenContexts.B2B)
                .replace("\"schema\": \"handoff.context/v1\"", "\"schema\": \"handoff.context/v0\"")
                .replace("\"confidence\": 0.88", "\"confidence\": 1.7")
                .replace("\"goal\": \"Roll out the Business tier for ~40 agents, live by end of Q3 (budget ~$75k/yr)\"", "\"goal\": \" \"")
                .replace("\"label\": \"Entering conversation at Medium Urgency / Low Trust\",", "")
                .replace("\"text\": \"OK. I'm the VP of Support, I sign off, but we need to go live by end of Q3.\",", "");

        assertThatThrownBy(() -> json.read(text))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).violations()).containsExactly(
                        new Violation("$.schema", "handoff.context/v0", "must match \"handoff\\.context/v1\""),
                        new Violation("$.sentiment.label", null, "must not be blank"),
                        new Violation("$.transcript[0].signals.confidence", 1.7, "must be less than or equal to 1.0"),
                        new Violation("$.transcript[2].text", null, "must not be null"),
                        new Violation("$.whisper.goal", " ", "must not be blank")))
                .hasMessageStartingWith("Invalid handoff context document (5 violations):")
                .hasMessageContaining("$.transcript[2].text: must not be null (was null)");
    }

    @Test
    void unknown_enum_value_names_the_path_and_the_accepted_values() {
        String text = golden(GoldenContexts.DENTAL).replace("\"channel\": \"VOICE\"", "\"channel\": \"FAX\"");

        assertThatThrownBy(() -> json.read(text))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).violations())
                        .containsExactly(new Violation("$.channel", "FAX", "one of [VOICE, CHAT]")));
    }

    @Test
    void wrong_type_names_the_path() {
        String text = golden(GoldenContexts.DENTAL).replace("\"durationSeconds\": 20", "\"durationSeconds\": \"long\"");

        assertThatThrownBy(() -> json.read(text))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).violations()).singleElement()
                        .satisfies(v -> assertThat(v.path()).isEqualTo("$.metadata.durationSeconds")));
    }

    @Test
    void malformed_json_is_reported_with_its_position() {
        assertThatThrownBy(() -> json.read("{\"schema\": \"handoff.context/v1\", "))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$: well-formed JSON");
    }

    @Test
    void empty_transcript_is_rejected() {
        HandoffContext c = GoldenContexts.dental();
        HandoffContext empty = new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), java.util.List.of(),
                null, c.customer(), null, c.metadata(), c.semanticLedger(), c.sentiment(), c.commitments(), c.whisper(), c.tone(),
                c.compliance(), null, Map.of());

        assertThat(json.validate(empty)).containsExactly(new Violation("$.transcript", "0 items", "must not be empty"));
    }

    /**
     * The golden documents are committed files a person reviewed (see {@code schema/examples/README.md}); no test writes
     * them. This pins what the review checked, read with a plain parser rather than the writer under test: the whisper an
     * agent reads keeps its rules (three lines of at most 120 characters, no raw sentiment scores, no quotes in the
     * opening), and the commitment and sentiment fields say what the conversation says.
     */
    @ParameterizedTest
    @ValueSource(strings = {GoldenContexts.DENTAL, GoldenContexts.B2B})
    void reviewed_golden_documents_show_a_whisper_an_agent_can_read(String name) throws IOException {
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(golden(name));
        com.fasterxml.jackson.databind.JsonNode w = doc.get("whisper");

        for (String line : java.util.List.of("goal", "obstacle", "sentiment")) {
            assertThat(w.get(line).asText()).as(line).hasSizeLessThanOrEqualTo(120).doesNotContainPattern("[-+]?[01]?\\.\\d\\d");
        }
        assertThat(w.get("suggestedOpening").asText()).hasSizeLessThanOrEqualTo(160).doesNotContain("\"");
        assertThat(doc.at("/sentiment/label").asText()).endsWith(doc.at("/sentiment/urgency").asText().charAt(0)
                + doc.at("/sentiment/urgency").asText().substring(1).toLowerCase(java.util.Locale.ROOT) + " Urgency / "
                + doc.at("/sentiment/trust").asText().charAt(0) + doc.at("/sentiment/trust").asText().substring(1).toLowerCase(java.util.Locale.ROOT)
                + " Trust");
        if (name.equals(GoldenContexts.B2B)) {
            assertThat(doc.at("/commitments/0/kind").asText()).isEqualTo("DISCOUNT");
            assertThat(doc.at("/commitments/0/strength").asText()).isEqualTo("SOFT");
            assertThat(doc.at("/commitments/0/value").asText()).isEqualTo("15%");
            assertThat(doc.at("/semanticLedger/bant/budget/amount").asInt()).isEqualTo(75000);
        } else {
            assertThat(doc.get("commitments")).isEmpty();
            assertThat(doc.at("/inFlight/partial").asBoolean()).isTrue();
        }
    }
}
