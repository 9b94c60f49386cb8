package dev.handoff.codecs.chatwoot;

import static dev.handoff.codecs.CodecFixtures.PACKAGER;
import static dev.handoff.codecs.CodecFixtures.TICKETS;
import static dev.handoff.codecs.CodecFixtures.json;
import static dev.handoff.codecs.CodecFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.SessionId;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Commitment;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.CodecFixtures;
import dev.handoff.codecs.Golden;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.core.context.Envelope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatwootCodecTest {

    private final ChatwootCodec codec = ChatwootCodec.builder(PACKAGER).build();

    @Test
    void the_private_note_is_an_outgoing_private_message_with_whisper_commitments_transcript_and_ticket() {
        PlatformPayload p = codec.privateNote(CodecFixtures.b2b());

        Golden.assertMatches("/fixtures/chatwoot/private-note.golden.json", p.body());
        JsonNode note = json(p.body());
        assertThat(note.path("message_type").asText()).isEqualTo("outgoing");
        assertThat(note.path("private").asBoolean()).isTrue();
        String content = note.path("content").asText();
        assertThat(content).startsWith("**Handoff from the bot** (priority HIGH, route solutions-engineer)")
                .contains("- **Goal:** Roll out the Business tier")
                .contains("15% off the first year. (PENDING_VERIFICATION)")
                .contains("**Transcript** (all 5 turns included):")
                .endsWith("Ticket: `" + p.ticket() + "` (context ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e)");
    }

    @Test
    void custom_attributes_carry_the_ticket_and_whisper_within_255_characters() {
        PlatformPayload p = codec.customAttributes(CodecFixtures.b2b());

        Golden.assertMatches("/fixtures/chatwoot/custom-attributes.golden.json", p.body());
        assertThat(p.attributes().values()).allMatch(v -> v.length() <= 255);
        assertThat(TICKETS.redeem(json(p.body()).path("custom_attributes").path("handoff_ticket").asText())).isEqualTo(CodecFixtures.b2b().contextId());
    }

    @Test
    void a_300_turn_transcript_still_gives_a_note_within_the_limit_with_the_ticket_and_a_truncation_note() {
        ChatwootCodec small = ChatwootCodec.builder(PACKAGER).noteMaxChars(8_000).build();
        HandoffContext context = CodecFixtures.longB2b(300);

        PlatformPayload p = small.privateNote(context);

        String content = json(p.body()).path("content").asText();
        assertThat(content.length()).isEqualTo(p.size()).isLessThanOrEqualTo(8_000);
        assertThat(p.form()).isEqualTo(Envelope.Form.SUMMARY);
        assertThat(content).containsPattern("\\*\\*Transcript\\*\\* \\(\\d+ of 300 turns included; page the other \\d+ with the ticket\\)")
                .contains(context.lastTurn().text()).contains(p.ticket());
        assertThat(TICKETS.redeem(p.ticket())).isEqualTo(context.contextId());
        assertThat(codec.privateNote(context).form()).as("300 turns fit Chatwoot's own 150,000 characters").isEqualTo(Envelope.Form.FULL);
    }

    @Test
    void status_changes_map_to_assigned_handed_back_and_ended() {
        assertThat(codec.parseWebhook(text("/fixtures/chatwoot/conversation-status-changed-open.json")))
                .isEqualTo(new PlatformUpdate("chatwoot", PlatformUpdate.Kind.AGENT_ASSIGNED, "10", null, "1", "open", "John"));
        assertThat(codec.parseWebhook(text("/fixtures/chatwoot/conversation-status-changed-pending.json")).kind())
                .isEqualTo(PlatformUpdate.Kind.HANDED_BACK);
        assertThat(codec.parseWebhook(text("/fixtures/chatwoot/conversation-status-changed-resolved.json")).kind())
                .isEqualTo(PlatformUpdate.Kind.ENDED);
        assertThat(codec.parseWebhook("{\"event\":\"message_created\",\"id\":118,\"content\":\"hi\"}").kind())
                .isEqualTo(PlatformUpdate.Kind.OTHER);
    }

    @Test
    void pending_hands_the_conversation_back_through_agent_actions() {
        RecordingActions actions = new RecordingActions();

        PlatformUpdate update = codec.parseWebhook(text("/fixtures/chatwoot/conversation-status-changed-pending.json"));
        boolean acted = update.applyTo(actions);
        boolean actedOnOpen = codec.parseWebhook(text("/fixtures/chatwoot/conversation-status-changed-open.json")).applyTo(actions);

        assertThat(acted).isTrue();
        assertThat(actedOnOpen).isFalse();
        assertThat(actions.calls).containsExactly("handBack(chatwoot:1, conversation set to pending in Chatwoot: the bot owns it again)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON          | event=conversation_status_changed                  | $: valid JSON",
            "no event          | {\"id\":10,\"status\":\"open\"}                     | $.event: a string (was null)",
            "no id             | {\"event\":\"conversation_status_changed\",\"status\":\"open\"} | $.id: a string or integer id (was null)",
            "an unknown status | {\"event\":\"conversation_status_changed\",\"id\":10,\"status\":\"closed\"} | $.status: one of [open, pending, resolved, snoozed] (was \"closed\")",
            "a bad assignee    | {\"event\":\"conversation_status_changed\",\"id\":10,\"status\":\"open\",\"meta\":{\"assignee\":{\"name\":\"John\"}}} | $.meta.assignee.id: a string or integer id (was null)"})
    void a_malformed_webhook_is_rejected_naming_the_field(String name, String payload, String expected) {
        assertThatThrownBy(() -> codec.parseWebhook(payload)).isInstanceOf(ValidationException.class).hasMessageContaining(expected);
    }

    /** Records what the codec asked the agent side to do. */
    static final class RecordingActions implements AgentActions {
        final List<String> calls = new ArrayList<>();

        @Override
        public String handoffId() {
            return "h-1";
        }

        @Override
        public SessionId sessionId() {
            return SessionId.of("chatwoot-10");
        }

        @Override
        public String contextId() {
            return "ctx-1";
        }

        @Override
        public boolean confirmRead(String agentId) {
            calls.add("confirmRead(" + agentId + ")");
            return true;
        }

        @Override
        public List<Commitment> commitments() {
            return List.of();
        }

        @Override
        public List<Commitment> feedback(dev.handoff.api.HandoffFeedback feedback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Commitment confirm(String commitmentId, String agentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Commitment correct(String commitmentId, String correctedValue, String agentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.handoff.api.Turn send(String agentId, String text) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AgentActions from(String clientAddress) {
            return this;
        }

        @Override
        public Commitment revoke(String commitmentId, String agentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void handBack(String agentId, String note) {
            calls.add("handBack(" + agentId + ", " + note + ")");
        }
    }
}
