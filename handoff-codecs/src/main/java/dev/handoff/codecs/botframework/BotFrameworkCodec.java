package dev.handoff.codecs.botframework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.internal.CodecOptions;
import dev.handoff.codecs.internal.Fit;
import dev.handoff.codecs.internal.Input;
import dev.handoff.codecs.internal.Json;
import dev.handoff.codecs.internal.Whisper;
import dev.handoff.core.context.DestinationLimits;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.Envelope;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Microsoft Bot Framework's handoff protocol: the bot sends an {@code event} activity named
 * {@code handoff.initiate} whose {@code value} is the agent hub's context and whose attachments carry a
 * {@code Transcript} ({@code contentType: application/json}, {@code content: {activities: [...]}}); the channel
 * answers with an {@code event} activity named {@code handoff.status} whose {@code value} has {@code state}
 * ({@code accepted}, {@code failed} or {@code completed}) and an optional {@code message}.
 *
 * <p>Field names and values follow the Bot Builder {@code EventFactory.createHandoffInitiation} /
 * {@code createHandoffStatus} reference:
 * <a href="https://learn.microsoft.com/en-us/javascript/api/botbuilder/eventfactory?view=botbuilder-ts-latest">EventFactory class</a>
 * and <a href="https://learn.microsoft.com/en-us/dotnet/api/microsoft.bot.builder.eventfactory.createhandoffstatus?view=botbuilder-dotnet-stable">EventFactory.CreateHandoffStatus</a>.
 *
 * <p><b>Out.</b> {@link #initiate} addresses the activity from the incoming one (conversation, channel, service URL,
 * reply-to id, a {@code relatesTo} conversation reference) and puts in {@code value}
 * {@code {handoff: {schema, contextId, ticket, form, note, priority, routeHint, whisper}, context: <signed
 * handoff.context/v1 copy>}}; the transcript attachment holds the copy's turns as {@code message} activities. The
 * whole activity stays under {@link Builder#maxBytes} (default {@value #DEFAULT_MAX_BYTES} bytes of UTF-8 JSON): past
 * it the copy becomes a summary with the latest turns, then the ticket alone, and {@code value.handoff.note} says so.
 *
 * <p><b>Back.</b> {@link #parseStatus}: {@code accepted} → {@link PlatformUpdate.Kind#AGENT_ASSIGNED};
 * {@code failed} → {@link PlatformUpdate.Kind#FAILED} (the bot resumes); {@code completed} →
 * {@link PlatformUpdate.Kind#HANDED_BACK}, the one agent-side action ({@code update.applyTo(actions)} calls
 * {@code AgentActions.handBack}): the hub is done and the conversation is the bot's again.
 *
 * <p>Thread-safe; build one per bot and share it.
 */
public final class BotFrameworkCodec {

    /** The platform name in payloads and updates. */
    public static final String PLATFORM = "botframework";
    /** The event name of the request. */
    public static final String INITIATE = "handoff.initiate";
    /** The event name of the channel's answer. */
    public static final String STATUS = "handoff.status";
    /**
     * Default limit of the whole activity: 256 KiB of UTF-8 JSON. Lower it to your channel's own activity limit
     * (Microsoft Teams takes less).
     */
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private static final Set<String> STATES = Set.of("accepted", "failed", "completed");

    private final Fit.Packaging packaging;
    private final int maxBytes;
    private final Clock clock;

    private BotFrameworkCodec(Builder b) {
        this.packaging = b.options.packaging();
        this.maxBytes = b.maxBytes;
        this.clock = b.clock;
    }

    /** @param packager core's per-destination packager: {@code new DestinationPackager(handoff.signer(), handoff.tickets(), profile)} */
    public static Builder builder(DestinationPackager packager) {
        return new Builder(packager);
    }

    /**
     * The {@code handoff.initiate} event activity answering {@code incomingActivityJson} (the activity of the turn
     * that triggered the handoff, as the channel sent it; only {@code conversation.id} is required).
     *
     * @throws dev.handoff.api.ValidationException when the incoming activity is not JSON or has no conversation id
     */
    public PlatformPayload initiate(HandoffContext context, String incomingActivityJson) {
        Input in = new Input("Bot Framework activity");
        JsonNode incoming = in.object(incomingActivityJson);
        in.text(incoming, "conversation.id");
        in.check();
        return Fit.fit(PLATFORM, packaging, context, maxBytes, Fit.Unit.BYTES, true, (e, redacted) -> {
            String body = Json.write(activity(incoming, e, redacted));
            return new Fit.Built(body, null, Fit.Unit.BYTES.measure(body));
        });
    }

    private ObjectNode activity(JsonNode incoming, Envelope e, HandoffContext redacted) {
        ObjectNode a = Input.MAPPER.createObjectNode();
        a.put("type", "event");
        a.put("name", INITIATE);
        a.put("timestamp", clock.instant().toString());
        copy(incoming, a, "channelId");
        copy(incoming, a, "serviceUrl");
        a.set("conversation", incoming.get("conversation").deepCopy());
        if (incoming.hasNonNull("recipient")) {
            a.set("from", incoming.get("recipient").deepCopy());
        }
        if (incoming.hasNonNull("from")) {
            a.set("recipient", incoming.get("from").deepCopy());
        }
        if (incoming.hasNonNull("id")) {
            a.put("replyToId", incoming.get("id").asText());
        }
        ObjectNode ref = a.putObject("relatesTo");
        copy(incoming, ref, "id", "activityId");
        copy(incoming, ref, "from", "user");
        copy(incoming, ref, "recipient", "bot");
        ref.set("conversation", incoming.get("conversation").deepCopy());
        copy(incoming, ref, "channelId", "channelId");
        copy(incoming, ref, "serviceUrl", "serviceUrl");

        ObjectNode value = a.putObject("value");
        value.set("handoff", Whisper.summary(e, redacted));
        if (e.context() != null) {
            value.set("context", Json.tree(e.context()));
        }
        ObjectNode transcript = Input.MAPPER.createObjectNode();
        ArrayNode activities = transcript.putArray("activities");
        List<Turn> turns = e.context() == null ? List.of() : e.context().transcript();
        for (Turn t : turns) {
            ObjectNode m = activities.addObject();
            m.put("type", "message");
            m.put("id", e.contextId() + "-" + t.index());
            m.put("timestamp", t.timestamp().toString());
            ObjectNode from = m.putObject("from");
            from.put("id", t.speaker() == Speaker.AI ? "bot" : t.speaker().name().toLowerCase());
            from.put("role", t.speaker() == Speaker.AI ? "bot" : "user");
            m.put("text", t.text());
        }
        ObjectNode attachment = a.putArray("attachments").addObject();
        attachment.put("contentType", "application/json");
        attachment.put("name", "Transcript");
        attachment.set("content", transcript);
        return a;
    }

    /**
     * Reads a {@code handoff.status} event activity. Unknown fields are ignored.
     *
     * @throws dev.handoff.api.ValidationException naming each missing or wrong field ({@code $.name},
     *                                             {@code $.value.state}, {@code $.conversation.id}, ...)
     */
    public PlatformUpdate parseStatus(String activityJson) {
        Input in = new Input("Bot Framework handoff.status activity");
        JsonNode a = in.object(activityJson);
        in.exactly(a, "type", "event");
        in.exactly(a, "name", STATUS);
        String conversation = in.text(a, "conversation.id");
        JsonNode value = a.get("value");
        if (value != null && value.isTextual()) {
            // some channels send the value as a JSON string
            value = new Input("Bot Framework handoff.status value").object(value.asText());
        }
        ObjectNode holder = Input.MAPPER.createObjectNode();
        if (value != null) {
            holder.set("value", value);
        }
        String state = in.oneOf(holder, "value.state", STATES);
        String message = in.optionalText(holder, "value.message");
        in.check();
        PlatformUpdate.Kind kind = switch (state) {
            case "accepted" -> PlatformUpdate.Kind.AGENT_ASSIGNED;
            case "failed" -> PlatformUpdate.Kind.FAILED;
            default -> PlatformUpdate.Kind.HANDED_BACK;
        };
        String agent = a.path("from").path("id").isTextual() ? Input.clean(a.path("from").path("id").asText()) : null;
        return new PlatformUpdate(PLATFORM, kind, Input.clean(conversation), null, agent, state, Input.clean(message));
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        copy(from, to, field, field);
    }

    private static void copy(JsonNode from, ObjectNode to, String field, String as) {
        if (from.hasNonNull(field)) {
            to.set(as, from.get(field).deepCopy());
        }
    }

    /** Options; every default is a {@code DEFAULT_*} constant. */
    public static final class Builder {
        private final CodecOptions options;
        private int maxBytes = DEFAULT_MAX_BYTES;
        private Clock clock = Clock.systemUTC();

        private Builder(DestinationPackager packager) {
            this.options = new CodecOptions(packager);
        }

        /** True when the agent hub is cleared for protected data (nothing redacted); default false. */
        public Builder phiAllowed(boolean value) {
            options.phiAllowed(value);
            return this;
        }

        /** Turns per transcript page named in a summary's paging note; default {@link DestinationLimits#DEFAULT_PAGE_SIZE}. */
        public Builder pageSize(int value) {
            options.pageSize(value);
            return this;
        }

        /** The channel's activity size limit in bytes; default {@link #DEFAULT_MAX_BYTES}; at least 1,024. */
        public Builder maxBytes(int value) {
            this.maxBytes = CodecOptions.atLeast("maxBytes", value, 1024);
            return this;
        }

        /** The activity's timestamp; default the system UTC clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The codec.
         *
         * @return the codec; thread-safe, build one and share it
         */
        public BotFrameworkCodec build() {
            return new BotFrameworkCodec(this);
        }
    }
}
