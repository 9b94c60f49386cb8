package dev.handoff.codecs.chatwoot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.internal.AttributeMap;
import dev.handoff.codecs.internal.CodecOptions;
import dev.handoff.codecs.internal.Fit;
import dev.handoff.codecs.internal.Input;
import dev.handoff.codecs.internal.Json;
import dev.handoff.codecs.internal.Texts;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.Envelope;
import java.util.Map;
import java.util.Set;

/**
 * Chatwoot: the agent inbox many teams run their bots in (Agent Bots, API channels). A handoff there is four API
 * calls on the conversation (see {@link ChatwootAdapter}): set conversation custom attributes, post a private note
 * with the whisper and the transcript, assign a team or agent, and set the status to {@code open} (a bot's
 * conversations are {@code pending}). Chatwoot reports status changes with the {@code conversation_status_changed}
 * webhook.
 *
 * <p>Shapes follow the Chatwoot API reference (<a href="https://developers.chatwoot.com/api-reference/conversations/update-custom-attributes">custom
 * attributes</a>: {@code {"custom_attributes": {...}}}; <a href="https://github.com/chatwoot/chatwoot/blob/develop/swagger/paths/application/conversation/messages/create.yml">messages</a>:
 * {@code {"content", "message_type": "outgoing", "private": true}}; <a href="https://github.com/chatwoot/chatwoot/blob/develop/swagger/paths/application/conversation/assignments.yml">assignments</a>:
 * {@code {"team_id"}} or {@code {"assignee_id"}}; <a href="https://github.com/chatwoot/chatwoot/blob/develop/swagger/paths/application/conversation/toggle_status.yml">toggle status</a>:
 * {@code {"status": "open"}}) and <a href="https://www.chatwoot.com/docs/product/others/webhook-events">Webhook events</a>
 * ({@code event}, {@code id}, {@code status}, {@code meta.assignee}).
 *
 * <p><b>Limits.</b> The note's {@code content} stays within {@value #DEFAULT_NOTE_MAX_CHARS} characters, Chatwoot's
 * validation of a message's content length: past it the note carries the latest turns and says how many were left
 * out and how to page them with the ticket. Custom attribute values stay within {@value #DEFAULT_ATTRIBUTE_MAX_CHARS}
 * characters (they show in the conversation sidebar; longer lines are shortened with an ellipsis and named in
 * {@code handoff_note}); the document itself goes in the note, not in an attribute.
 *
 * <p><b>Back.</b> {@link #parseWebhook}: {@code pending} → {@link PlatformUpdate.Kind#HANDED_BACK}, the one
 * agent-side action ({@code update.applyTo(actions)} calls {@code AgentActions.handBack}: an agent put the
 * conversation back in the bot's hands); {@code open} with an assignee → {@link PlatformUpdate.Kind#AGENT_ASSIGNED};
 * {@code resolved} → {@link PlatformUpdate.Kind#ENDED}; {@code snoozed}, {@code open} without an assignee and other
 * events → {@link PlatformUpdate.Kind#OTHER}.
 *
 * <p>Thread-safe.
 */
public final class ChatwootCodec {

    /** The platform name. */
    public static final String PLATFORM = "chatwoot";
    /** Chatwoot's limit on a message's content, in characters. */
    public static final int DEFAULT_NOTE_MAX_CHARS = 150_000;
    /** Default longest custom attribute value, in characters. */
    public static final int DEFAULT_ATTRIBUTE_MAX_CHARS = 255;
    /** The webhook event this codec reads. */
    public static final String STATUS_CHANGED = "conversation_status_changed";

    private static final Set<String> STATUSES = Set.of("open", "resolved", "pending", "snoozed");

    private final Fit.Packaging packaging;
    private final int noteMaxChars;
    private final int attributeMaxChars;

    private ChatwootCodec(Builder b) {
        this.packaging = b.options.packaging();
        this.noteMaxChars = b.noteMaxChars;
        this.attributeMaxChars = b.attributeMaxChars;
    }

    /**
     * A builder.
     *
     * @param packager core's per-destination packager: {@code new DestinationPackager(handoff.signer(), handoff.tickets(), profile)}
     * @return a builder with the documented defaults
     * @throws NullPointerException naming {@code packager} when it is null
     */
    public static Builder builder(DestinationPackager packager) {
        return new Builder(packager);
    }

    /** {@code {"custom_attributes": {"handoff_ticket": ..., "handoff_priority": ..., ...}}}. */
    public PlatformPayload customAttributes(HandoffContext context) {
        return Fit.fit(PLATFORM, packaging, context, attributeMaxChars, Fit.Unit.CHARACTERS, false,
                "the private note carries the context", (e, redacted) -> {
            Map<String, String> map = new AttributeMap(Fit.Unit.CHARACTERS, attributeMaxChars).standard(e, redacted).note(e).map();
            ObjectNode body = Input.MAPPER.createObjectNode();
            ObjectNode attrs = body.putObject("custom_attributes");
            map.forEach(attrs::put);
            int longest = map.values().stream().mapToInt(String::length).max().orElse(0);
            return new Fit.Built(Json.write(body), map, longest);
        });
    }

    /**
     * The private note: {@code {"content": "...", "message_type": "outgoing", "private": true}}. The content is
     * Markdown: the whisper first, the AI's commitments, the transcript (all of it, or the latest turns with a line
     * saying how many were left out), then the ticket.
     */
    public PlatformPayload privateNote(HandoffContext context) {
        return Fit.fit(PLATFORM, packaging, context, noteMaxChars, Fit.Unit.CHARACTERS, true, (e, redacted) -> {
            String content = content(e, redacted);
            ObjectNode body = Input.MAPPER.createObjectNode();
            body.put("content", content);
            body.put("message_type", "outgoing");
            body.put("private", true);
            return new Fit.Built(Json.write(body), null, content.length());
        });
    }

    private static String content(Envelope e, HandoffContext r) {
        StringBuilder s = new StringBuilder();
        s.append("**Handoff from the bot** (priority ").append(r.metadata().priority());
        if (r.metadata().routeHint() != null) {
            s.append(", route ").append(Texts.singleLine(r.metadata().routeHint()));
        }
        s.append(")\n\n");
        s.append("- **Goal:** ").append(Texts.singleLine(r.whisper().goal())).append('\n');
        s.append("- **Obstacle:** ").append(Texts.singleLine(r.whisper().obstacle())).append('\n');
        s.append("- **Sentiment:** ").append(Texts.singleLine(r.whisper().sentiment())).append('\n');
        s.append("- **Open with:** ").append(Texts.singleLine(r.whisper().suggestedOpening())).append('\n');
        if (!r.commitments().isEmpty()) {
            s.append("\n**The bot promised (verify):**\n");
            for (Commitment c : r.commitments()) {
                s.append("- ").append(Texts.singleLine(c.text())).append(" (").append(c.status()).append(")\n");
            }
        }
        s.append("\n**Transcript** (").append(e.note()).append("):\n");
        if (e.context() != null) {
            for (Turn t : e.context().transcript()) {
                s.append("- ").append(t.timestamp()).append(' ').append(t.speaker() == Speaker.AI ? "Bot" : cap(t.speaker()))
                        .append(": ").append(Texts.singleLine(t.text())).append('\n');
            }
        }
        s.append("\nTicket: `").append(e.ticket()).append("` (context ").append(e.contextId()).append(")");
        return s.toString();
    }

    private static String cap(Speaker s) {
        String n = s.name().toLowerCase();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** {@code {"team_id": n}}: assign the conversation to a team. */
    public static String assignTeam(long teamId) {
        ObjectNode body = Input.MAPPER.createObjectNode();
        body.put("team_id", positive("teamId", teamId));
        return Json.write(body);
    }

    /** {@code {"assignee_id": n}}: assign the conversation to an agent. */
    public static String assignAgent(long assigneeId) {
        ObjectNode body = Input.MAPPER.createObjectNode();
        body.put("assignee_id", positive("assigneeId", assigneeId));
        return Json.write(body);
    }

    /** {@code {"status": "open"}}: out of the bot's {@code pending} state, to the humans. */
    public static String openStatus() {
        return "{\"status\":\"open\"}";
    }

    /**
     * Reads a webhook delivery. Events other than {@value #STATUS_CHANGED} give {@link PlatformUpdate.Kind#OTHER};
     * unknown fields are ignored.
     *
     * @throws dev.handoff.api.ValidationException naming {@code $.event}, {@code $.id} or {@code $.status} when
     *                                             missing or wrong
     */
    public PlatformUpdate parseWebhook(String json) {
        Input in = new Input("Chatwoot webhook");
        JsonNode root = in.object(json);
        String event = in.text(root, "event");
        in.check();
        if (!STATUS_CHANGED.equals(event)) {
            String ref = root.path("id").isValueNode() ? root.path("id").asText() : root.path("conversation").path("id").asText("");
            return new PlatformUpdate(PLATFORM, PlatformUpdate.Kind.OTHER, Input.clean(ref), null, null, Input.clean(event), null);
        }
        String id = in.id(root, "id");
        String status = in.oneOf(root, "status", STATUSES);
        JsonNode assigneeNode = root.path("meta").path("assignee");
        String assignee = assigneeNode.isObject() ? in.id(root, "meta.assignee.id") : null;
        String assigneeName = assigneeNode.isObject() ? in.optionalText(root, "meta.assignee.name") : null;
        String contextId = in.optionalText(root, "custom_attributes." + AttributeMap.CONTEXT_ID);
        in.check();
        PlatformUpdate.Kind kind;
        String detail;
        switch (status) {
            case "pending" -> {
                kind = PlatformUpdate.Kind.HANDED_BACK;
                detail = "conversation set to pending in Chatwoot: the bot owns it again";
            }
            case "open" -> {
                kind = assignee == null ? PlatformUpdate.Kind.OTHER : PlatformUpdate.Kind.AGENT_ASSIGNED;
                detail = assignee == null ? "open, not assigned yet" : assigneeName;
            }
            case "resolved" -> {
                kind = PlatformUpdate.Kind.ENDED;
                detail = "resolved";
            }
            default -> {
                kind = PlatformUpdate.Kind.OTHER;
                detail = status;
            }
        }
        return new PlatformUpdate(PLATFORM, kind, id, Input.clean(contextId), Input.clean(assignee), status, Input.clean(detail));
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be a positive Chatwoot id, was " + value);
        }
        return value;
    }

    /** Options; every default is a {@code DEFAULT_*} constant. */
    public static final class Builder {
        private final CodecOptions options;
        private int noteMaxChars = DEFAULT_NOTE_MAX_CHARS;
        private int attributeMaxChars = DEFAULT_ATTRIBUTE_MAX_CHARS;

        private Builder(DestinationPackager packager) {
            this.options = new CodecOptions(packager);
        }

        /** True when the Chatwoot account is cleared for protected data; default false. */
        public Builder phiAllowed(boolean value) {
            options.phiAllowed(value);
            return this;
        }

        /**
         * Turns per transcript page named in a summary's paging note; default {@link dev.handoff.core.context.DestinationLimits#DEFAULT_PAGE_SIZE}.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException naming {@code pageSize} and the value when it is under 1
         */
        public Builder pageSize(int value) {
            options.pageSize(value);
            return this;
        }

        /** Default {@link #DEFAULT_NOTE_MAX_CHARS}; 2,048 to 150,000. */
        public Builder noteMaxChars(int value) {
            this.noteMaxChars = CodecOptions.between("noteMaxChars", value, 2048, DEFAULT_NOTE_MAX_CHARS);
            return this;
        }

        /** Default {@link #DEFAULT_ATTRIBUTE_MAX_CHARS}; at least 200 (a ticket is up to 128). */
        public Builder attributeMaxChars(int value) {
            this.attributeMaxChars = CodecOptions.atLeast("attributeMaxChars", value, 200);
            return this;
        }

        /**
         * The codec.
         *
         * @return the codec; thread-safe, build one and share it
         */
        public ChatwootCodec build() {
            return new ChatwootCodec(this);
        }
    }
}
