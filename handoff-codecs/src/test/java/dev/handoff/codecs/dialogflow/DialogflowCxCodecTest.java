package dev.handoff.codecs.dialogflow;

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
import dev.handoff.core.context.Envelope;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DialogflowCxCodecTest {

    private final DialogflowCxCodec codec = DialogflowCxCodec.builder(PACKAGER).build();

    @Test
    void handoff_response_has_live_agent_handoff_metadata_and_a_sip_transfer_carrying_the_ticket() {
        PlatformPayload p = codec.handoffResponse(CodecFixtures.b2b(), "Connecting you to a solutions engineer.",
                "sip:solutions@pbx.example.com:5061;transport=tls");

        Golden.assertMatches("/fixtures/dialogflow/webhook-response.golden.json", p.body());
        JsonNode messages = json(p.body()).path("fulfillmentResponse").path("messages");
        assertThat(messages.get(0).path("text").path("text").get(0).asText()).isEqualTo("Connecting you to a solutions engineer.");
        JsonNode metadata = messages.get(1).path("liveAgentHandoff").path("metadata");
        HandoffContext carried = SIGNER.verify(ContextJson.get().read(metadata.path("context").toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(carried.transcript()).isEqualTo(CodecFixtures.b2b().transcript());
        assertThat(messages.get(2).path("telephonyTransferCall").path("sipUri").asText())
                .isEqualTo("sip:solutions@pbx.example.com:5061;transport=tls;x-handoff=" + p.ticket());
        assertThat(json(p.body()).path("sessionInfo").path("parameters").path("handoff_ticket").asText()).isEqualTo(p.ticket());
        assertThat(TICKETS.redeem(p.ticket())).isEqualTo(carried.contextId());
    }

    @Test
    void the_ticket_goes_before_uri_headers() {
        assertThat(DialogflowCxCodec.withTicket("sip:q@h?X-Queue=sales", "t.1.k.m")).isEqualTo("sip:q@h;x-handoff=t.1.k.m?X-Queue=sales");
    }

    @Test
    void a_300_turn_transcript_gives_a_summary_under_the_limit_with_the_ticket_and_a_truncation_note() {
        DialogflowCxCodec small = DialogflowCxCodec.builder(PACKAGER).maxBytes(12 * 1024).build();
        HandoffContext context = CodecFixtures.longB2b(300);

        PlatformPayload p = small.handoffResponse(context, null, "sip:solutions@pbx.example.com");

        assertThat(p.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(12 * 1024);
        assertThat(p.form()).isEqualTo(Envelope.Form.SUMMARY);
        JsonNode handoff = json(p.body()).path("fulfillmentResponse").path("messages").get(0).path("liveAgentHandoff").path("metadata").path("handoff");
        assertThat(handoff.path("note").asText()).matches("\\d+ of 300 turns included; page the other \\d+ with the ticket");
        assertThat(TICKETS.redeem(handoff.path("ticket").asText())).isEqualTo(context.contextId());
    }

    @Test
    void the_default_64_kib_limit_holds_for_300_turns() {
        PlatformPayload p = codec.handoffResponse(CodecFixtures.longB2b(300), null, null);

        assertThat(p.size()).isLessThanOrEqualTo(64 * 1024);
        assertThat(p.limit()).isEqualTo(64 * 1024);
    }

    @Test
    void a_bad_sip_uri_is_refused_naming_it() {
        assertThatThrownBy(() -> codec.handoffResponse(CodecFixtures.b2b(), null, "tel:+15550100"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sipUri must be a sip: or sips: URI");
        assertThatThrownBy(() -> codec.handoffResponse(CodecFixtures.b2b(), null, "sip:q@h;x-handoff=old"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-handoff");
    }

    @Test
    void a_webhook_request_gives_the_session_and_tag_and_ignores_unknown_fields() {
        DialogflowCxCodec.WebhookCall call = codec.parseWebhookRequest(text("/fixtures/dialogflow/webhook-request.json"));

        assertThat(call).isEqualTo(new DialogflowCxCodec.WebhookCall("projects/acme/locations/global/agents/8e3e1a2b/sessions/chat-b2b-1042",
                "chat-b2b-1042", "handoff", "I want to talk to a person about the API latency", "en"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON        | {sessionInfo:                                      | $: valid JSON",
            "no session      | {\"fulfillmentInfo\":{\"tag\":\"handoff\"}}        | $.sessionInfo.session: a string (was null)",
            "not a path      | {\"sessionInfo\":{\"session\":\"chat-1\"}}          | $.sessionInfo.session: projects/<p>/locations/<l>/agents/<a>/[environments/<e>/]sessions/<id> (was \"chat-1\")",
            "a numeric tag   | {\"sessionInfo\":{\"session\":\"projects/p/locations/l/agents/a/sessions/s\"},\"fulfillmentInfo\":{\"tag\":{}}} | $.fulfillmentInfo.tag: a string (was \"object\")"})
    void a_malformed_webhook_request_is_rejected_naming_the_field(String name, String payload, String expected) {
        assertThatThrownBy(() -> codec.parseWebhookRequest(payload)).isInstanceOf(ValidationException.class).hasMessageContaining(expected);
    }
}
