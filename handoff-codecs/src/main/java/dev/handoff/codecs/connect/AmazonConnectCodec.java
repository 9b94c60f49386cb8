package dev.handoff.codecs.connect;

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
import java.util.Objects;

/**
 * Amazon Connect: user-defined contact attributes are a flat map of strings that flows, the agent's Contact Control
 * Panel and Lambdas read ({@code $.Attributes.handoff_ticket}). A bot's Lambda returns them to the flow, or the
 * bot host sets them with {@code UpdateContactAttributes}; Connect reports the contact's life as EventBridge
 * "Amazon Connect Contact Event"s.
 *
 * <p>Limits from <a href="https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateContactAttributes.html">UpdateContactAttributes</a>:
 * "up to 32,768 UTF-8 bytes across all attributes for a contact", keys of alphanumeric, dash and underscore
 * characters only; over 32 KB a flow's Set contact attributes block takes its Error branch. The attributes this codec
 * makes stay under {@link Builder#maxTotalBytes} (keys and values counted; default {@value #DEFAULT_MAX_TOTAL_BYTES},
 * lower it by what your flows already set) and each value under {@link Builder#maxValueBytes} (default the same,
 * since the documentation names only the total). Events: <a href="https://docs.aws.amazon.com/connect/latest/adminguide/contact-events.html">Amazon
 * Connect contact events</a> ({@code detail.eventType}, {@code detail.contactId}, {@code detail.agentInfo.agentArn},
 * {@code detail.disconnectReason}).
 *
 * <p><b>Out.</b> {@code handoff_ticket}, {@code handoff_context_id}, {@code handoff_form}, {@code handoff_priority},
 * {@code handoff_route}, the whisper ({@code handoff_goal}, {@code handoff_obstacle}, {@code handoff_sentiment},
 * {@code handoff_opening}), {@code handoff_note} and, when it fits, {@code handoff_context}: the signed context copy
 * as JSON text (a summary with the latest turns when the whole does not fit; absent, with the note saying so, when
 * not even that fits).
 *
 * <p><b>Back.</b> {@link #parseContactEvent}: {@code CONNECTED_TO_AGENT} → {@link PlatformUpdate.Kind#AGENT_ASSIGNED}
 * (agent ARN); {@code DISCONNECTED} and {@code COMPLETED} → {@link PlatformUpdate.Kind#ENDED} (disconnect reason);
 * everything else ({@code INITIATED}, {@code QUEUED}, {@code CONTACT_DATA_UPDATED}, ...) → {@link PlatformUpdate.Kind#OTHER}.
 * No agent-side action: a Connect agent does not give a contact back to the bot through events.
 *
 * <p>Thread-safe.
 */
public final class AmazonConnectCodec {

    /** The platform name. */
    public static final String PLATFORM = "amazon-connect";
    /** Connect's documented total for all of a contact's attributes, in UTF-8 bytes. */
    public static final int DEFAULT_MAX_TOTAL_BYTES = 32_768;
    /** Default per-value limit in UTF-8 bytes (the documentation names only the total). */
    public static final int DEFAULT_MAX_VALUE_BYTES = 32_768;
    /** The EventBridge {@code detail-type} of contact events. */
    public static final String DETAIL_TYPE = "Amazon Connect Contact Event";

    private final Fit.Packaging packaging;
    private final int maxTotalBytes;
    private final int maxValueBytes;

    private AmazonConnectCodec(Builder b) {
        this.packaging = b.options.packaging();
        this.maxTotalBytes = b.maxTotalBytes;
        this.maxValueBytes = b.maxValueBytes;
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
     * The contact attributes; {@code body()} is the flat JSON object a Lambda returns to the flow,
     * {@code attributes()} the same as a map.
     */
    public PlatformPayload contactAttributes(HandoffContext context) {
        return Fit.fit(PLATFORM, packaging, context, maxTotalBytes, Fit.Unit.BYTES, true, (e, redacted) -> {
            AttributeMap attrs = new AttributeMap(Fit.Unit.BYTES, maxValueBytes).standard(e, redacted).note(e);
            boolean whole = e.context() == null || attrs.putWhole(AttributeMap.CONTEXT, Json.text(e.context()));
            Map<String, String> map = attrs.map();
            ObjectNode body = Input.MAPPER.createObjectNode();
            map.forEach(body::put);
            return new Fit.Built(Json.write(body), map, whole ? attrs.totalSize() : Integer.MAX_VALUE);
        });
    }

    /**
     * The body of {@code POST /contact/attributes} ({@code UpdateContactAttributes}):
     * {@code {"Attributes": {...}, "InitialContactId": ..., "InstanceId": ...}}.
     */
    public static String updateContactAttributesRequest(PlatformPayload attributes, String instanceId, String initialContactId) {
        Objects.requireNonNull(attributes, "attributes");
        requireId("instanceId", instanceId);
        requireId("initialContactId", initialContactId);
        ObjectNode body = Input.MAPPER.createObjectNode();
        ObjectNode attrs = body.putObject("Attributes");
        attributes.attributes().forEach(attrs::put);
        body.put("InitialContactId", initialContactId);
        body.put("InstanceId", instanceId);
        return Json.write(body);
    }

    /**
     * Reads an EventBridge contact event. Unknown fields and event types are accepted.
     *
     * @throws dev.handoff.api.ValidationException naming {@code $.detail-type}, {@code $.detail.eventType} or
     *                                             {@code $.detail.contactId} when missing or wrong
     */
    public PlatformUpdate parseContactEvent(String json) {
        Input in = new Input("Amazon Connect contact event");
        JsonNode root = in.object(json);
        in.exactly(root, "detail-type", DETAIL_TYPE);
        String type = in.text(root, "detail.eventType");
        String contactId = in.text(root, "detail.contactId");
        String agentArn = in.optionalText(root, "detail.agentInfo.agentArn");
        String reason = in.optionalText(root, "detail.disconnectReason");
        in.check();
        PlatformUpdate.Kind kind = switch (type) {
            case "CONNECTED_TO_AGENT" -> PlatformUpdate.Kind.AGENT_ASSIGNED;
            case "DISCONNECTED", "COMPLETED" -> PlatformUpdate.Kind.ENDED;
            default -> PlatformUpdate.Kind.OTHER;
        };
        return new PlatformUpdate(PLATFORM, kind, Input.clean(contactId), null, Input.clean(agentArn), Input.clean(type), Input.clean(reason));
    }

    private static void requireId(String name, String value) {
        if (value == null || !value.matches("[A-Za-z0-9_:/.-]{1,256}")) {
            throw new IllegalArgumentException(name + " must be 1-256 characters of [A-Za-z0-9_:/.-], was \"" + Input.clean(value) + "\"");
        }
    }

    /** Options; every default is a {@code DEFAULT_*} constant. */
    public static final class Builder {
        private final CodecOptions options;
        private int maxTotalBytes = DEFAULT_MAX_TOTAL_BYTES;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;

        private Builder(DestinationPackager packager) {
            this.options = new CodecOptions(packager);
        }

        /** True when the contact centre is cleared for protected data; default false. */
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

        /** What this codec's attributes may use of the contact's 32 KB; default {@link #DEFAULT_MAX_TOTAL_BYTES}; 1,024 to 32,768. */
        public Builder maxTotalBytes(int value) {
            this.maxTotalBytes = CodecOptions.between("maxTotalBytes", value, 1024, DEFAULT_MAX_TOTAL_BYTES);
            return this;
        }

        /** Default {@link #DEFAULT_MAX_VALUE_BYTES}; at least 256. */
        public Builder maxValueBytes(int value) {
            this.maxValueBytes = CodecOptions.atLeast("maxValueBytes", value, 256);
            return this;
        }

        /**
         * The codec.
         *
         * @return the codec; thread-safe, build one and share it
         */
        public AmazonConnectCodec build() {
            return new AmazonConnectCodec(this);
        }
    }
}
