package dev.handoff.codecs.twilio;

import static dev.handoff.codecs.CodecFixtures.PACKAGER;
import static dev.handoff.codecs.CodecFixtures.TICKETS;
import static dev.handoff.codecs.CodecFixtures.form;
import static dev.handoff.codecs.CodecFixtures.json;
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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TwilioCodecTest {

    private final TwilioCodec codec = TwilioCodec.builder(PACKAGER).build();

    @Test
    void end_message_is_type_end_with_handoff_data_as_a_json_string_within_1024_characters() {
        PlatformPayload p = codec.endMessage(CodecFixtures.b2b(), "The caller wants to talk to a real person");

        Golden.assertMatches("/fixtures/twilio/end-message.golden.json", p.body());
        JsonNode end = json(p.body());
        assertThat(end.path("type").asText()).isEqualTo("end");
        assertThat(end.path("handoffData").isTextual()).isTrue();
        JsonNode data = json(end.path("handoffData").asText());
        assertThat(data.path("reasonCode").asText()).isEqualTo("live-agent-handoff");
        assertThat(end.path("handoffData").asText().length()).isEqualTo(p.size()).isLessThanOrEqualTo(1024);
        assertThat(TICKETS.redeem(data.path("handoff_ticket").asText())).isEqualTo(CodecFixtures.b2b().contextId());
    }

    @Test
    void the_action_callback_gives_our_ticket_back_round_trip() {
        PlatformPayload end = codec.endMessage(CodecFixtures.b2b(), "The caller wants to talk to a real person");
        Map<String, String> callback = new HashMap<>(form("/fixtures/twilio/relay-action-callback.json"));
        callback.put("HandoffData", json(end.body()).path("handoffData").asText());

        TwilioCodec.RelayHandoff relay = codec.parseRelayAction(callback);

        assertThat(relay.ticket()).isEqualTo(end.ticket());
        assertThat(relay.contextId()).isEqualTo(CodecFixtures.b2b().contextId());
        assertThat(relay.callSid()).isEqualTo("CA00000000000000000000000000000000");
        assertThat(relay.sessionStatus()).isEqualTo("ended");
        assertThat(codec.parseRelayAction(form("/fixtures/twilio/relay-action-callback.json")).reasonCode()).isEqualTo("live-agent-handoff");
    }

    @Test
    void flex_task_attributes_are_flat_json_within_1024_characters_and_enqueue_twiml_escapes_them() {
        PlatformPayload p = codec.taskAttributes(CodecFixtures.b2b());

        Golden.assertMatches("/fixtures/twilio/task-attributes.golden.json", p.body());
        assertThat(p.body().length()).isLessThanOrEqualTo(1024);
        assertThat(json(p.body()).path("handoff_priority").asText()).isEqualTo("HIGH");
        assertThat(p.form()).isEqualTo(Envelope.Form.TICKET_ONLY);
        String twiml = TwilioCodec.enqueueTwiml(p, "WW0123456789abcdef0123456789abcdef");
        assertThat(twiml).contains("<Enqueue workflowSid=\"WW0123456789abcdef0123456789abcdef\"><Task>{\"type\":\"handoff\"")
                .doesNotContain("we're stuck on API latency for your routing calls; let me give you the real p99 numbers for your region.\"}<");
    }

    @Test
    void a_300_turn_transcript_still_gives_1024_character_attributes_with_the_ticket_and_a_truncation_note() {
        HandoffContext context = CodecFixtures.longB2b(300);

        PlatformPayload attrs = codec.taskAttributes(context);
        PlatformPayload end = codec.endMessage(context, "The caller wants to talk to a real person");

        for (PlatformPayload p : new PlatformPayload[] {attrs, end}) {
            assertThat(p.size()).isLessThanOrEqualTo(1024);
            assertThat(p.form()).isEqualTo(Envelope.Form.TICKET_ONLY);
            assertThat(TICKETS.redeem(p.ticket())).isEqualTo(context.contextId());
        }
        JsonNode a = json(attrs.body());
        assertThat(a.path("handoff_note").asText()).contains("redeem the ticket for all 300 turns");
        assertThat(a.path("handoff_ticket").asText()).isEqualTo(attrs.ticket());
        assertThat(json(json(end.body()).path("handoffData").asText()).path("handoff_note").asText()).contains("all 300 turns");
    }

    @Test
    void a_whisper_line_over_the_field_limit_is_shortened_and_named_in_the_note() {
        PlatformPayload p = TwilioCodec.builder(PACKAGER).fieldMaxChars(60).build().taskAttributes(CodecFixtures.b2b());

        JsonNode a = json(p.body());
        assertThat(a.path("handoff_opening").asText()).hasSize(60).endsWith("…");
        assertThat(a.path("handoff_note").asText()).contains("shortened to 60 characters: goal, obstacle, sentiment, opening");
    }

    @Test
    void taskrouter_events_map_to_assigned_failed_and_ended() {
        assertThat(codec.parseTaskEvent(form("/fixtures/twilio/taskrouter-reservation-accepted.json"))).isEqualTo(new PlatformUpdate(
                "twilio-flex", PlatformUpdate.Kind.AGENT_ASSIGNED, "WT00000000000000000000000000000001", "ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e",
                "WK00000000000000000000000000000001", "reservation.accepted", "alice"));
        PlatformUpdate canceled = codec.parseTaskEvent(form("/fixtures/twilio/taskrouter-task-canceled.json"));
        assertThat(canceled.kind()).isEqualTo(PlatformUpdate.Kind.FAILED);
        assertThat(canceled.detail()).isEqualTo("hangup");
        assertThat(codec.parseTaskEvent(form("/fixtures/twilio/taskrouter-task-completed.json")).kind()).isEqualTo(PlatformUpdate.Kind.ENDED);
        assertThat(codec.parseTaskEvent(Map.of("EventType", "worker.activity.update", "ResourceSid", "WK1", "Extra", "x")).kind())
                .isEqualTo(PlatformUpdate.Kind.OTHER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no event type        | TaskSid=WT1                          | EventType: a non-empty form parameter",
            "a task without a sid | EventType=task.canceled              | TaskSid: a non-empty form parameter",
            "attributes not JSON  | EventType=task.created;TaskSid=WT1;TaskAttributes={oops | TaskAttributes: a JSON object (was \"{oops\")"})
    void a_malformed_task_event_is_rejected_naming_the_parameter(String name, String params, String expected) {
        assertThatThrownBy(() -> codec.parseTaskEvent(parse(params))).isInstanceOf(ValidationException.class).hasMessageContaining(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no call sid          | HandoffData={}                         | CallSid: a non-empty form parameter",
            "no handoff data      | CallSid=CA1                            | HandoffData: a non-empty form parameter",
            "handoff data not JSON| CallSid=CA1;HandoffData=reason: human  | HandoffData: valid JSON",
            "no ticket            | CallSid=CA1;HandoffData={\"reasonCode\":\"live-agent-handoff\"} | $.handoff_ticket: a string (was null)"})
    void a_malformed_action_callback_is_rejected_naming_the_parameter(String name, String params, String expected) {
        assertThatThrownBy(() -> codec.parseRelayAction(parse(params))).isInstanceOf(ValidationException.class).hasMessageContaining(expected);
    }

    private static Map<String, String> parse(String params) {
        Map<String, String> form = new HashMap<>();
        for (String pair : params.split(";")) {
            int eq = pair.indexOf('=');
            form.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return form;
    }
}
