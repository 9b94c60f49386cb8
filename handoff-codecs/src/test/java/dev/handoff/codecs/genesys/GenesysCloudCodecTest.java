package dev.handoff.codecs.genesys;

import static dev.handoff.codecs.CodecFixtures.PACKAGER;
import static dev.handoff.codecs.CodecFixtures.TICKETS;
import static dev.handoff.codecs.CodecFixtures.json;
import static dev.handoff.codecs.CodecFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.CodecFixtures;
import dev.handoff.codecs.Golden;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.core.context.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GenesysCloudCodecTest {

    private final GenesysCloudCodec codec = GenesysCloudCodec.builder(PACKAGER).build();

    @Test
    void participant_attributes_are_the_patch_body_with_values_within_256_characters() {
        PlatformPayload p = codec.participantAttributes(CodecFixtures.b2b());

        Golden.assertMatches("/fixtures/genesys/participant-attributes.golden.json", p.body());
        assertThat(json(p.body()).path("attributes").size()).isEqualTo(p.attributes().size()).isLessThanOrEqualTo(GenesysCloudCodec.ATTRIBUTES_SET);
        assertThat(p.attributes().values()).allMatch(v -> v.length() <= 256);
        assertThat(p.form()).isEqualTo(Envelope.Form.TICKET_ONLY);
        assertThat(TICKETS.redeem(p.attributes().get("handoff_ticket"))).isEqualTo(CodecFixtures.b2b().contextId());
    }

    @Test
    void a_300_turn_transcript_gives_the_ticket_and_a_note_in_256_character_values() {
        HandoffContext context = CodecFixtures.longB2b(300);

        PlatformPayload p = codec.participantAttributes(context);

        assertThat(p.attributes().values()).allMatch(v -> v.length() <= 256);
        assertThat(p.size()).isLessThanOrEqualTo(256);
        assertThat(p.attributes().get("handoff_note")).startsWith("the context does not fit in genesys-cloud's limit of 256 characters; redeem the ticket for all 300 turns");
        assertThat(TICKETS.redeem(p.attributes().get("handoff_ticket"))).isEqualTo(context.contextId());
    }

    @Test
    void a_long_whisper_line_is_shortened_and_named_in_the_note() {
        String goal = "Roll out the Business tier for about forty agents across three regions, with SSO, audit export and a sandbox, "
                + "live by the end of Q3, within a budget of around seventy-five thousand dollars a year, signed off by the VP of Support";
        PlatformPayload p = GenesysCloudCodec.builder(PACKAGER).maxValueChars(200).build()
                .participantAttributes(CodecFixtures.withWhisperGoal(CodecFixtures.b2b(), goal));

        assertThat(p.attributes().values()).allMatch(v -> v.length() <= 200);
        assertThat(p.attributes().get("handoff_goal")).hasSize(200).endsWith("…").startsWith(goal.substring(0, 150));
        assertThat(p.attributes().get("handoff_note")).endsWith("; shortened to 200 characters: goal");
    }

    @Test
    void conversation_events_map_to_assigned_and_ended_with_the_wrapup_code() {
        assertThat(codec.parseConversationEvent(text("/fixtures/genesys/user-start.json"))).isEqualTo(new PlatformUpdate("genesys-cloud",
                PlatformUpdate.Kind.AGENT_ASSIGNED, "4d1f2a3b-5c6d-4e7f-8a9b-0c1d2e3f4a5b", null, "7f8e9d0c-1b2a-4c3d-8e4f-5a6b7c8d9e0f",
                "user.start", null));
        PlatformUpdate acw = codec.parseConversationEvent(text("/fixtures/genesys/acw.json"));
        assertThat(acw.kind()).isEqualTo(PlatformUpdate.Kind.ENDED);
        assertThat(acw.detail()).isEqualTo("Resolved - discount applied");
        assertThat(codec.parseConversationEvent(text("/fixtures/genesys/user-start.json").replace(".user.start\"", ".acd.start\"")).kind())
                .isEqualTo(PlatformUpdate.Kind.OTHER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON          | topicName=x                                          | $: valid JSON",
            "no topic          | {\"eventBody\":{\"conversationId\":\"c-1\"}}          | $.topicName: a string (was null)",
            "another topic     | {\"topicName\":\"v2.users.u-1.presence\",\"eventBody\":{\"conversationId\":\"c-1\"}} | $.topicName: v2.detail.events.conversation.<conversationId>.<event> (was \"v2.users.u-1.presence\")",
            "no conversation   | {\"topicName\":\"v2.detail.events.conversation.c-1.user.start\",\"eventBody\":{}} | $.eventBody.conversationId: a string (was null)"})
    void a_malformed_conversation_event_is_rejected_naming_the_field(String name, String payload, String expected) {
        assertThatThrownBy(() -> codec.parseConversationEvent(payload)).isInstanceOf(ValidationException.class).hasMessageContaining(expected);
    }
}
