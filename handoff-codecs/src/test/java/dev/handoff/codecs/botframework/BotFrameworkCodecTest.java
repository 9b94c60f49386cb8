package dev.handoff.codecs.botframework;

import static dev.handoff.codecs.CodecFixtures.PACKAGER;
import static dev.handoff.codecs.CodecFixtures.SIGNER;
import static dev.handoff.codecs.CodecFixtures.TICKETS;
import static dev.handoff.codecs.CodecFixtures.json;
import static dev.handoff.codecs.CodecFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.CodecFixtures;
import dev.handoff.codecs.Golden;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.core.context.Envelope;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BotFrameworkCodecTest {

    private final BotFrameworkCodec codec = BotFrameworkCodec.builder(PACKAGER).clock(CodecFixtures.CLOCK).build();

    @Test
    void initiate_is_the_documented_event_activity_with_value_and_transcript_attachment() {
        PlatformPayload p = codec.initiate(CodecFixtures.b2b(), text("/fixtures/botframework/incoming-message.json"));

        Golden.assertMatches("/fixtures/botframework/handoff-initiate.golden.json", p.body());
        JsonNode a = json(p.body());
        assertThat(a.path("type").asText()).isEqualTo("event");
        assertThat(a.path("name").asText()).isEqualTo("handoff.initiate");
        assertThat(a.path("conversation").path("id").asText()).isEqualTo("6Fj3HvFSaHx8Gw5Ghqa7SG-eu");
        assertThat(a.path("replyToId").asText()).isEqualTo("6Fj3HvFSaHx8Gw5Ghqa7SG-eu|0000004");
        assertThat(a.path("from").path("role").asText()).isEqualTo("bot");
        JsonNode attachment = a.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/json");
        assertThat(attachment.path("name").asText()).isEqualTo("Transcript");
        assertThat(attachment.path("content").path("activities")).hasSize(5);
        assertThat(attachment.path("content").path("activities").get(3).path("text").asText()).startsWith("My real worry is API latency");
        assertThat(p.form()).isEqualTo(Envelope.Form.FULL);
    }

    @Test
    void the_context_in_value_round_trips_and_its_signature_and_ticket_verify() {
        HandoffContext context = CodecFixtures.b2b();
        PlatformPayload p = codec.initiate(context, text("/fixtures/botframework/incoming-message.json"));

        JsonNode value = json(p.body()).path("value");
        HandoffContext carried = ContextJson.get().read(value.path("context").toString().getBytes(StandardCharsets.UTF_8));
        assertThat(SIGNER.verify(carried).contextId()).isEqualTo(context.contextId());
        assertThat(carried.transcript()).isEqualTo(context.transcript());
        assertThat(carried.whisper()).isEqualTo(context.whisper());
        assertThat(TICKETS.redeem(value.path("handoff").path("ticket").asText())).isEqualTo(context.contextId());
    }

    @Test
    void a_300_turn_transcript_gives_a_summary_under_the_limit_with_the_ticket_and_a_truncation_note() {
        BotFrameworkCodec small = BotFrameworkCodec.builder(PACKAGER).maxBytes(16 * 1024).build();
        HandoffContext context = CodecFixtures.longB2b(300);

        PlatformPayload p = small.initiate(context, text("/fixtures/botframework/incoming-message.json"));

        assertThat(p.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(16 * 1024).isEqualTo(p.size());
        assertThat(p.form()).isEqualTo(Envelope.Form.SUMMARY);
        JsonNode value = json(p.body()).path("value");
        assertThat(value.path("handoff").path("note").asText()).matches("\\d+ of 300 turns included; page the other \\d+ with the ticket");
        assertThat(TICKETS.redeem(value.path("handoff").path("ticket").asText())).isEqualTo(context.contextId());
        HandoffContext carried = SIGNER.verify(ContextJson.get().read(value.path("context").toString()));
        assertThat(carried.extensions()).containsKey("transcriptPaging");
        JsonNode activities = json(p.body()).path("attachments").get(0).path("content").path("activities");
        assertThat(activities.size()).isEqualTo(carried.transcript().size()).isLessThan(300);
        assertThat(activities.get(activities.size() - 1).path("text").asText()).isEqualTo(context.lastTurn().text());
    }

    @Test
    void status_accepted_failed_and_completed_map_to_assigned_failed_and_handed_back() {
        PlatformUpdate accepted = codec.parseStatus(text("/fixtures/botframework/handoff-status-accepted.json"));
        PlatformUpdate failed = codec.parseStatus(text("/fixtures/botframework/handoff-status-failed.json"));
        PlatformUpdate completed = codec.parseStatus(text("/fixtures/botframework/handoff-status-completed.json"));

        assertThat(accepted).isEqualTo(new PlatformUpdate("botframework", PlatformUpdate.Kind.AGENT_ASSIGNED, "6Fj3HvFSaHx8Gw5Ghqa7SG-eu",
                null, "agent-hub", "accepted", null));
        assertThat(failed.kind()).isEqualTo(PlatformUpdate.Kind.FAILED);
        assertThat(failed.detail()).isEqualTo("No agents are available in the queue");
        assertThat(completed.kind()).isEqualTo(PlatformUpdate.Kind.HANDED_BACK);
        assertThat(completed.detail()).isEqualTo("Agent closed the session; customer only needs a receipt");
    }

    @Test
    void unknown_fields_in_a_status_are_ignored() {
        String withExtras = text("/fixtures/botframework/handoff-status-failed.json")
                .replace("\"type\": \"event\",", "\"type\": \"event\", \"entities\": [{\"type\": \"ClientCapabilities\"}], \"locale\": \"en-US\",")
                .replace("\"state\": \"failed\",", "\"state\": \"failed\", \"queue\": {\"name\": \"sales\"},");

        assertThat(codec.parseStatus(withExtras).kind()).isEqualTo(PlatformUpdate.Kind.FAILED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON                 | {\"type\": \"event\", | $: valid JSON",
            "an array                 | [1,2]                                                                                   | $: a JSON object (was \"array\")",
            "no state                 | {\"type\":\"event\",\"name\":\"handoff.status\",\"conversation\":{\"id\":\"c1\"},\"value\":{}} | $.value.state: a string",
            "an unknown state         | {\"type\":\"event\",\"name\":\"handoff.status\",\"conversation\":{\"id\":\"c1\"},\"value\":{\"state\":\"maybe\"}} | $.value.state: one of [accepted, completed, failed] (was \"maybe\")",
            "the wrong event          | {\"type\":\"event\",\"name\":\"handoff.initiate\",\"conversation\":{\"id\":\"c1\"},\"value\":{\"state\":\"accepted\"}} | $.name: \"handoff.status\" (was \"handoff.initiate\")",
            "no conversation          | {\"type\":\"event\",\"name\":\"handoff.status\",\"value\":{\"state\":\"accepted\"}} | $.conversation.id: a string",
            "a numeric message        | {\"type\":\"event\",\"name\":\"handoff.status\",\"conversation\":{\"id\":\"c1\"},\"value\":{\"state\":\"failed\",\"message\":[1]}} | $.value.message: a string (was \"array\")",
            "control characters       | {\"type\":\"event\",\"name\":\"handoff.status\",\"conversation\":{\"id\":\"c1\"},\"value\":{\"state\":\"acc\\u001b[31mepted\"}} | $.value.state: one of [accepted, completed, failed] (was \"acc[31mepted\")"})
    void a_malformed_status_is_rejected_naming_the_field(String name, String payload, String expected) {
        assertThatThrownBy(() -> codec.parseStatus(payload))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void an_incoming_activity_without_a_conversation_is_rejected_naming_the_field() {
        assertThatThrownBy(() -> codec.initiate(CodecFixtures.b2b(), "{\"type\":\"message\",\"text\":\"hi\"}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("$.conversation.id: a string (was null)");
    }
}
