package dev.handoff.codecs.connect;

import static dev.handoff.codecs.CodecFixtures.PACKAGER;
import static dev.handoff.codecs.CodecFixtures.SIGNER;
import static dev.handoff.codecs.CodecFixtures.TICKETS;
import static dev.handoff.codecs.CodecFixtures.json;
import static dev.handoff.codecs.CodecFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.CodecFixtures;
import dev.handoff.codecs.Golden;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.core.context.Envelope;
import dev.handoff.core.json.ContextJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AmazonConnectCodecTest {

    private final AmazonConnectCodec codec = AmazonConnectCodec.builder(PACKAGER).build();

    @Test
    void contact_attributes_are_a_flat_string_map_with_connect_safe_keys_and_the_whole_signed_context() {
        PlatformPayload p = codec.contactAttributes(CodecFixtures.b2b());

        Golden.assertMatches("/fixtures/connect/contact-attributes.golden.json", p.body());
        assertThat(p.attributes().keySet()).allMatch(k -> k.matches("[A-Za-z0-9_-]+"));
        assertThat(p.form()).isEqualTo(Envelope.Form.FULL);
        HandoffContext carried = SIGNER.verify(ContextJson.get().read(p.attributes().get("handoff_context")));
        assertThat(carried.transcript()).isEqualTo(CodecFixtures.b2b().transcript());
        assertThat(TICKETS.redeem(p.attributes().get("handoff_ticket"))).isEqualTo(carried.contextId());
        String request = AmazonConnectCodec.updateContactAttributesRequest(p, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "11111111-2222-3333-4444-555555555555");
        assertThat(json(request).path("Attributes").path("handoff_priority").asText()).isEqualTo("HIGH");
        assertThat(json(request).path("InstanceId").asText()).isEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    }

    @Test
    void a_300_turn_transcript_stays_within_32768_utf8_bytes_with_the_ticket_and_a_truncation_note() {
        HandoffContext context = CodecFixtures.longB2b(300);

        PlatformPayload p = codec.contactAttributes(context);

        int total = p.attributes().entrySet().stream()
                .mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(total).isEqualTo(p.size()).isLessThanOrEqualTo(32_768);
        assertThat(p.form()).isEqualTo(Envelope.Form.SUMMARY);
        assertThat(p.attributes().get("handoff_note")).matches("\\d+ of 300 turns included; page the other \\d+ with the ticket");
        assertThat(TICKETS.redeem(p.attributes().get("handoff_ticket"))).isEqualTo(context.contextId());
        HandoffContext carried = SIGNER.verify(ContextJson.get().read(p.attributes().get("handoff_context")));
        assertThat(carried.lastTurn().text()).isEqualTo(context.lastTurn().text());
    }

    @Test
    void a_smaller_budget_is_respected_and_multibyte_text_is_counted_in_bytes() {
        HandoffContext context = withLastTurn(CodecFixtures.longB2b(40), "Überweisung fehlgeschlagen — 日本語のテキスト — ça ne marche pas");
        AmazonConnectCodec tight = AmazonConnectCodec.builder(PACKAGER).maxTotalBytes(6_000).build();

        PlatformPayload p = tight.contactAttributes(context);

        assertThat(p.size()).isLessThanOrEqualTo(6_000);
        assertThat(p.body().getBytes(StandardCharsets.UTF_8).length).isGreaterThan(p.body().length());
    }

    @Test
    void card_numbers_never_reach_connect() {
        HandoffContext context = withLastTurn(CodecFixtures.b2b(), "my card is 4111 1111 1111 1111, charge it");

        PlatformPayload p = codec.contactAttributes(context);

        assertThat(p.body()).doesNotContain("4111 1111 1111 1111").contains("[REDACTED:card-number]");
    }

    @Test
    void contact_events_map_to_assigned_and_ended() {
        assertThat(codec.parseContactEvent(text("/fixtures/connect/contact-event-connected-to-agent.json"))).isEqualTo(new PlatformUpdate(
                "amazon-connect", PlatformUpdate.Kind.AGENT_ASSIGNED, "11111111-2222-3333-4444-555555555555", null,
                "arn:aws:connect:us-west-2:111122223333:instance/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee/agent/99999999-8888-7777-6666-555555555555",
                "CONNECTED_TO_AGENT", null));
        PlatformUpdate disconnected = codec.parseContactEvent(text("/fixtures/connect/contact-event-disconnected.json"));
        assertThat(disconnected.kind()).isEqualTo(PlatformUpdate.Kind.ENDED);
        assertThat(disconnected.detail()).isEqualTo("CUSTOMER_DISCONNECT");
        assertThat(codec.parseContactEvent(text("/fixtures/connect/contact-event-disconnected.json").replace("DISCONNECTED", "QUEUED")).kind())
                .isEqualTo(PlatformUpdate.Kind.OTHER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON           | {\"detail-type\":                                             | $: valid JSON",
            "another event kind | {\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{}} | $.detail-type: \"Amazon Connect Contact Event\" (was \"EC2 Instance State-change Notification\")",
            "no event type      | {\"detail-type\":\"Amazon Connect Contact Event\",\"detail\":{\"contactId\":\"c-1\"}} | $.detail.eventType: a string (was null)",
            "no contact id      | {\"detail-type\":\"Amazon Connect Contact Event\",\"detail\":{\"eventType\":\"QUEUED\"}} | $.detail.contactId: a string (was null)",
            "a numeric event    | {\"detail-type\":\"Amazon Connect Contact Event\",\"detail\":{\"eventType\":7,\"contactId\":\"c-1\"}} | $.detail.eventType: a non-empty string (was \"number\")"})
    void a_malformed_contact_event_is_rejected_naming_the_field(String name, String payload, String expected) {
        assertThatThrownBy(() -> codec.parseContactEvent(payload)).isInstanceOf(ValidationException.class).hasMessageContaining(expected);
    }

    @Test
    void unknown_fields_in_a_contact_event_are_ignored() {
        String extra = text("/fixtures/connect/contact-event-connected-to-agent.json")
                .replace("\"channel\": \"VOICE\",", "\"channel\": \"VOICE\", \"newField2030\": {\"x\": [1, 2]}, \"tags\": {\"aws:connect:team\": \"a\"},");

        assertThat(codec.parseContactEvent(extra).kind()).isEqualTo(PlatformUpdate.Kind.AGENT_ASSIGNED);
    }

    @Test
    void update_request_ids_are_checked() {
        PlatformPayload p = codec.contactAttributes(CodecFixtures.b2b());

        assertThatThrownBy(() -> AmazonConnectCodec.updateContactAttributesRequest(p, "bad id", "c-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instanceId must be");
    }

    static HandoffContext withLastTurn(HandoffContext c, String text) {
        List<Turn> turns = new ArrayList<>(c.transcript());
        Turn last = turns.remove(turns.size() - 1);
        turns.add(new Turn(last.index(), Speaker.CUSTOMER, text, last.timestamp(), last.signals(), false));
        return new HandoffContext(c.schema(), c.contextId(), c.sessionId(), c.channel(), c.createdAt(), turns, c.inFlight(), c.customer(),
                c.crmProfile(), c.metadata(), c.semanticLedger(), c.sentiment(), c.commitments(), c.whisper(), c.tone(), c.compliance(),
                null, Map.of());
    }
}
