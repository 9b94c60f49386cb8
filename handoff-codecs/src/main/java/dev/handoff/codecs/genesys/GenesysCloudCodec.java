package dev.handoff.codecs.genesys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.internal.AttributeMap;
import dev.handoff.codecs.internal.CodecOptions;
import dev.handoff.codecs.internal.Fit;
import dev.handoff.codecs.internal.Input;
import dev.handoff.codecs.internal.Json;
import dev.handoff.core.context.DestinationPackager;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Genesys Cloud: participant data is a set of string attributes on the customer participant that travel with the
 * interaction through flows, queues and transfers and show in the agent's script and screen pop. A bot sets them
 * with Architect's Set Participant Data action or {@code PATCH /api/v2/conversations/{conversationId}/participants/{participantId}/attributes}
 * ({@code {"attributes": {...}}}); Genesys reports the conversation's life on the analytics detail-event notification
 * topics {@code v2.detail.events.conversation.{id}.*}.
 *
 * <p>Limits from <a href="https://help.mypurecloud.com/articles/set-participant-data-action/">Set Participant Data
 * action</a> (for bot flows): at most 50 attributes set per session and "the maximum length of an attribute value is
 * 256 characters". This codec keeps every value within {@link Builder#maxValueChars} (default
 * {@value #DEFAULT_MAX_VALUE_CHARS}) and sets {@value #ATTRIBUTES_SET} attributes. No document fits in 256
 * characters, so Genesys gets the signed ticket, the context id, the form, priority, route hint and the whisper's four
 * lines; a longer line is shortened with an ellipsis and named in {@code handoff_note}. Events follow the
 * notification topic schemas in <a href="https://developer.genesys.cloud/notificationsalerts/notifications/available-topics">Available
 * topics</a> ({@code topicName}, {@code eventBody.conversationId}, {@code userId}, {@code disconnectType},
 * {@code wrapupCode}).
 *
 * <p><b>Back.</b> {@link #parseConversationEvent}: {@code user.start} (an agent joined) →
 * {@link PlatformUpdate.Kind#AGENT_ASSIGNED} (user id); {@code customer.end} → {@link PlatformUpdate.Kind#ENDED}
 * (disconnect type); {@code acw} (the agent's wrap-up) → {@link PlatformUpdate.Kind#ENDED} (wrap-up code, the
 * outcome); everything else → {@link PlatformUpdate.Kind#OTHER}. No agent-side action.
 *
 * <p>Thread-safe.
 */
public final class GenesysCloudCodec {

    /** The platform name. */
    public static final String PLATFORM = "genesys-cloud";
    /** Longest attribute value, from Set Participant Data's bot-flow limit. */
    public static final int DEFAULT_MAX_VALUE_CHARS = 256;
    /** How many attributes this codec sets (of the 50 a bot session may set). */
    public static final int ATTRIBUTES_SET = 10;

    private static final Pattern TOPIC = Pattern.compile("v2\\.detail\\.events\\.conversation\\.([^.]+)\\.(.+)");

    private final Fit.Packaging packaging;
    private final int maxValueChars;

    private GenesysCloudCodec(Builder b) {
        this.packaging = b.options.packaging();
        this.maxValueChars = b.maxValueChars;
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

    /**
     * The participant data; {@code body()} is the PATCH body {@code {"attributes": {...}}}, {@code attributes()} the
     * map (for Architect or a data action). {@code size()} is the longest value.
     */
    public PlatformPayload participantAttributes(HandoffContext context) {
        return Fit.fit(PLATFORM, packaging, context, maxValueChars, Fit.Unit.CHARACTERS,
                false, (e, redacted) -> {
                    AttributeMap attrs = new AttributeMap(Fit.Unit.CHARACTERS, maxValueChars).standard(e, redacted).note(e);
                    Map<String, String> map = attrs.map();
                    ObjectNode body = Input.MAPPER.createObjectNode();
                    ObjectNode a = body.putObject("attributes");
                    map.forEach(a::put);
                    int longest = map.values().stream().mapToInt(String::length).max().orElse(0);
                    return new Fit.Built(Json.write(body), map, longest);
                });
    }

    /**
     * Reads a detail-event notification ({@code {"topicName": "v2.detail.events.conversation.<id>.<event>",
     * "eventBody": {...}}}). Unknown fields and events are accepted.
     *
     * @throws dev.handoff.api.ValidationException naming {@code $.topicName} or {@code $.eventBody.conversationId}
     */
    public PlatformUpdate parseConversationEvent(String json) {
        Input in = new Input("Genesys Cloud conversation event");
        JsonNode root = in.object(json);
        String topic = in.text(root, "topicName");
        String conversationId = in.text(root, "eventBody.conversationId");
        String userId = in.optionalText(root, "eventBody.userId");
        String disconnectType = in.optionalText(root, "eventBody.disconnectType");
        String wrapupCode = in.optionalText(root, "eventBody.wrapupCode");
        String event = null;
        if (topic != null) {
            Matcher m = TOPIC.matcher(topic);
            if (m.matches()) {
                event = m.group(2);
            } else {
                in.fail("$.topicName", topic, "v2.detail.events.conversation.<conversationId>.<event>");
            }
        }
        in.check();
        PlatformUpdate.Kind kind;
        String detail = null;
        String agent = null;
        switch (event) {
            case "user.start" -> {
                kind = PlatformUpdate.Kind.AGENT_ASSIGNED;
                agent = userId;
            }
            case "customer.end" -> {
                kind = PlatformUpdate.Kind.ENDED;
                detail = disconnectType;
            }
            case "acw" -> {
                kind = PlatformUpdate.Kind.ENDED;
                agent = userId;
                detail = wrapupCode;
            }
            default -> {
                kind = PlatformUpdate.Kind.OTHER;
                agent = userId;
                detail = disconnectType;
            }
        }
        return new PlatformUpdate(PLATFORM, kind, Input.clean(conversationId), null, Input.clean(agent), Input.clean(event),
                Input.clean(detail));
    }

    /** Options; every default is a {@code DEFAULT_*} constant. */
    public static final class Builder {
        private final CodecOptions options;
        private int maxValueChars = DEFAULT_MAX_VALUE_CHARS;

        private Builder(DestinationPackager packager) {
            this.options = new CodecOptions(packager);
        }

        /** True when Genesys is cleared for protected data; default false. */
        public Builder phiAllowed(boolean value) {
            options.phiAllowed(value);
            return this;
        }

        /** Default {@link #DEFAULT_MAX_VALUE_CHARS}; at least 200 (the ticket alone is up to 128). */
        public Builder maxValueChars(int value) {
            this.maxValueChars = CodecOptions.atLeast("maxValueChars", value, 200);
            return this;
        }

        /**
         * The codec.
         *
         * @return the codec; thread-safe, build one and share it
         */
        public GenesysCloudCodec build() {
            return new GenesysCloudCodec(this);
        }
    }
}
