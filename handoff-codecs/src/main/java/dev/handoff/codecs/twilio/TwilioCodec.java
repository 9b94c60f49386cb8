package dev.handoff.codecs.twilio;

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
import dev.handoff.core.context.Envelope;
import java.util.Map;
import java.util.Objects;

/**
 * Twilio: a ConversationRelay voice bot ends its session with an {@code end} message whose {@code handoffData} is a
 * string (Twilio posts it to the {@code <Connect action>} URL as the {@code HandoffData} parameter), and the call
 * is then enqueued to Flex with TaskRouter task attributes (a JSON object). TaskRouter reports the task's life to
 * the workspace's {@code EventCallbackUrl} as form parameters ({@code EventType}, {@code TaskSid},
 * {@code TaskAttributes}, {@code WorkerSid}, {@code WorkerName}, {@code TaskCanceledReason}, ...).
 *
 * <p>Field names follow <a href="https://www.twilio.com/docs/voice/conversationrelay/websocket-messages">ConversationRelay
 * WebSocket messages</a> (the {@code end} message, {@code {"type": "end", "handoffData": "<string>"}}),
 * <a href="https://www.twilio.com/docs/voice/twiml/connect/conversationrelay">TwiML {@code <ConversationRelay>}</a>
 * (the action callback's {@code HandoffData}), <a href="https://www.twilio.com/docs/taskrouter/api/task">TaskRouter
 * Task resource</a> (attributes) and <a href="https://www.twilio.com/docs/taskrouter/api/event/reference">TaskRouter
 * Events reference</a> (event callbacks).
 *
 * <p><b>Limits.</b> Flex task attributes: {@value #DEFAULT_TASK_ATTRIBUTES_MAX_CHARS} characters of minified JSON (the
 * limit this project's issue names for Flex, a conservative default; <a href="https://www.twilio.com/docs/taskrouter/limits">TaskRouter
 * resource limits</a> count JSON attributes with whitespace and show a workspace's own values in the Console). {@code handoffData}: the same by default, because the usual
 * path copies it into the task. Neither fits a transcript, so both normally carry the signed ticket, the context id,
 * priority, route hint and the whisper's four lines (each at most {@value #DEFAULT_FIELD_MAX_CHARS} characters,
 * shortened with an ellipsis and named in {@code handoff_note} when longer); with a larger limit a summary copy of
 * the context rides in {@code handoff_context}.
 *
 * <p><b>Back.</b> {@link #parseRelayAction} reads the action callback (our ticket back, for {@code Handoff.redeem});
 * {@link #parseTaskEvent}: {@code reservation.accepted} → {@link PlatformUpdate.Kind#AGENT_ASSIGNED} (worker sid),
 * {@code task.canceled} → {@link PlatformUpdate.Kind#FAILED} ({@code TaskCanceledReason}), {@code task.completed} →
 * {@link PlatformUpdate.Kind#ENDED} ({@code TaskCompletedReason}), anything else → {@link PlatformUpdate.Kind#OTHER}.
 * None of these is an agent-side action in Handoff (a Flex agent gives nothing back to the bot).
 *
 * <p>Thread-safe.
 */
public final class TwilioCodec {

    /** Platform name of the relay {@code end} message. */
    public static final String RELAY = "twilio-relay";
    /** Platform name of Flex task attributes and TaskRouter events. */
    public static final String FLEX = "twilio-flex";
    /** Default limit of the Flex task attributes JSON, in characters. */
    public static final int DEFAULT_TASK_ATTRIBUTES_MAX_CHARS = 1024;
    /** Default limit of {@code handoffData}, in characters (it usually becomes the task's attributes). */
    public static final int DEFAULT_HANDOFF_DATA_MAX_CHARS = 1024;
    /** Default longest single field (a whisper line) in those payloads, in characters. */
    public static final int DEFAULT_FIELD_MAX_CHARS = 160;
    /** The {@code reasonCode} in {@code handoffData}. */
    public static final String REASON_CODE = "live-agent-handoff";

    private final Fit.Packaging packaging;
    private final int taskAttributesMaxChars;
    private final int handoffDataMaxChars;
    private final int fieldMaxChars;

    private TwilioCodec(Builder b) {
        this.packaging = b.options.packaging();
        this.taskAttributesMaxChars = b.taskAttributesMaxChars;
        this.handoffDataMaxChars = b.handoffDataMaxChars;
        this.fieldMaxChars = b.fieldMaxChars;
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
     * The ConversationRelay {@code end} message to send on the WebSocket: {@code {"type":"end","handoffData":"..."}};
     * {@code handoffData} is JSON text {@code {"reasonCode":"live-agent-handoff","reason":...,"handoff_ticket":...,...}}.
     *
     * @param reason a sentence for the action URL's logic ("The caller asked for a person")
     */
    public PlatformPayload endMessage(HandoffContext context, String reason) {
        Objects.requireNonNull(reason, "reason");
        return Fit.fit(RELAY, packaging, context, handoffDataMaxChars, Fit.Unit.CHARACTERS, true, (e, redacted) -> {
            ObjectNode data = Input.MAPPER.createObjectNode();
            data.put("reasonCode", REASON_CODE);
            data.put("reason", reason);
            AttributeMap fields = new AttributeMap(Fit.Unit.CHARACTERS, fieldMaxChars, Integer.MAX_VALUE).standard(e, redacted).note(e);
            fields.map().forEach(data::put);
            if (e.context() != null) {
                data.set(AttributeMap.CONTEXT, Json.tree(e.context()));
            }
            String handoffData = Json.write(data);
            ObjectNode end = Input.MAPPER.createObjectNode();
            end.put("type", "end");
            end.put("handoffData", handoffData);
            return new Fit.Built(Json.write(end), null, handoffData.length());
        });
    }

    /**
     * Flex task attributes: {@code {"type":"handoff","handoff_ticket":...,"handoff_priority":...,...}}, flat so
     * TaskRouter workflow expressions can route on them ({@code handoff_priority == "URGENT"}).
     */
    public PlatformPayload taskAttributes(HandoffContext context) {
        return Fit.fit(FLEX, packaging, context, taskAttributesMaxChars, Fit.Unit.CHARACTERS, true, (e, redacted) -> {
            ObjectNode attrs = Input.MAPPER.createObjectNode();
            attrs.put("type", "handoff");
            AttributeMap fields = new AttributeMap(Fit.Unit.CHARACTERS, fieldMaxChars, Integer.MAX_VALUE).standard(e, redacted).note(e);
            fields.map().forEach(attrs::put);
            if (e.context() != null) {
                attrs.set(AttributeMap.CONTEXT, Json.tree(e.context()));
            }
            String json = Json.write(attrs);
            return new Fit.Built(json, fields.map(), json.length());
        });
    }

    /**
     * TwiML for the action URL's answer: {@code <Response><Enqueue workflowSid="WW..."><Task>attributes</Task></Enqueue></Response>},
     * the attributes XML-escaped.
     */
    public static String enqueueTwiml(PlatformPayload taskAttributes, String workflowSid) {
        Objects.requireNonNull(taskAttributes, "taskAttributes");
        if (workflowSid == null || !workflowSid.matches("WW[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("workflowSid must be WW followed by 32 hex digits, was \"" + workflowSid + "\"");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Enqueue workflowSid=\"" + workflowSid + "\"><Task>"
                + xml(taskAttributes.body()) + "</Task></Enqueue></Response>";
    }

    /**
     * What the {@code <Connect action>} URL received when the relay session ended: {@code CallSid},
     * {@code SessionId}, {@code SessionStatus} and our {@code HandoffData}.
     *
     * @param callSid       the call
     * @param sessionId     the ConversationRelay session (VX...)
     * @param sessionStatus Twilio's session status ({@code ended}, ...)
     * @param reasonCode    {@code handoffData.reasonCode}
     * @param ticket        {@code handoffData.handoff_ticket}: redeem it for the context
     * @param contextId     {@code handoffData.handoff_context_id}
     */
    public record RelayHandoff(String callSid, String sessionId, String sessionStatus, String reasonCode, String ticket, String contextId) {
    }

    /**
     * Reads the action callback's form parameters. Unknown parameters and unknown {@code handoffData} fields are
     * ignored.
     *
     * @throws dev.handoff.api.ValidationException naming {@code CallSid}, {@code HandoffData} or
     *                                             {@code HandoffData.handoff_ticket} when missing or malformed
     */
    public RelayHandoff parseRelayAction(Map<String, String> form) {
        Objects.requireNonNull(form, "form");
        Input in = new Input("ConversationRelay action callback");
        String callSid = in.param(form, "CallSid");
        String raw = in.param(form, "HandoffData");
        in.check();
        JsonNode data;
        try {
            data = new Input("ConversationRelay HandoffData").object(raw);
        } catch (dev.handoff.api.ValidationException e) {
            throw new dev.handoff.api.ValidationException("ConversationRelay action callback", e.violations().stream()
                    .map(v -> new dev.handoff.api.Violation("HandoffData" + v.path().substring(1), v.invalidValue(), v.expected())).toList());
        }
        Input fields = new Input("ConversationRelay HandoffData");
        String ticket = fields.text(data, AttributeMap.TICKET);
        String reasonCode = fields.optionalText(data, "reasonCode");
        String contextId = fields.optionalText(data, AttributeMap.CONTEXT_ID);
        fields.check();
        return new RelayHandoff(callSid, form.get("SessionId"), form.get("SessionStatus"), Input.clean(reasonCode), ticket, Input.clean(contextId));
    }

    /**
     * Reads a TaskRouter event callback (form parameters). Unknown event types give {@link PlatformUpdate.Kind#OTHER}.
     *
     * @throws dev.handoff.api.ValidationException naming {@code EventType}, {@code TaskSid} (task and reservation
     *                                             events) or {@code TaskAttributes} (not a JSON object)
     */
    public PlatformUpdate parseTaskEvent(Map<String, String> form) {
        Objects.requireNonNull(form, "form");
        Input in = new Input("TaskRouter event callback");
        String type = in.param(form, "EventType");
        in.check();
        boolean taskEvent = type.startsWith("task.") || type.startsWith("reservation.");
        String ref = taskEvent ? in.param(form, "TaskSid") : in.param(form, "ResourceSid");
        String contextId = null;
        String attrs = form.get("TaskAttributes");
        if (attrs != null && !attrs.isBlank()) {
            try {
                JsonNode a = new Input("TaskAttributes").object(attrs);
                contextId = a.path(AttributeMap.CONTEXT_ID).isTextual() ? a.get(AttributeMap.CONTEXT_ID).asText() : null;
            } catch (dev.handoff.api.ValidationException e) {
                in.fail("TaskAttributes", attrs, "a JSON object");
            }
        }
        in.check();
        PlatformUpdate.Kind kind;
        String agent = null;
        String detail = null;
        switch (type) {
            case "reservation.accepted" -> {
                kind = PlatformUpdate.Kind.AGENT_ASSIGNED;
                agent = form.get("WorkerSid");
                detail = form.get("WorkerName");
            }
            case "task.canceled" -> {
                kind = PlatformUpdate.Kind.FAILED;
                detail = form.get("TaskCanceledReason");
            }
            case "task.completed" -> {
                kind = PlatformUpdate.Kind.ENDED;
                detail = form.get("TaskCompletedReason");
            }
            default -> kind = PlatformUpdate.Kind.OTHER;
        }
        return new PlatformUpdate(FLEX, kind, Input.clean(ref), Input.clean(contextId), Input.clean(agent), Input.clean(type),
                Input.clean(detail));
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Options; every default is a {@code DEFAULT_*} constant. */
    public static final class Builder {
        private final CodecOptions options;
        private int taskAttributesMaxChars = DEFAULT_TASK_ATTRIBUTES_MAX_CHARS;
        private int handoffDataMaxChars = DEFAULT_HANDOFF_DATA_MAX_CHARS;
        private int fieldMaxChars = DEFAULT_FIELD_MAX_CHARS;

        private Builder(DestinationPackager packager) {
            this.options = new CodecOptions(packager);
        }

        /** True when Flex is cleared for protected data (nothing redacted); default false. */
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

        /** Default {@link #DEFAULT_TASK_ATTRIBUTES_MAX_CHARS}; at least 512. */
        public Builder taskAttributesMaxChars(int value) {
            this.taskAttributesMaxChars = CodecOptions.atLeast("taskAttributesMaxChars", value, 512);
            return this;
        }

        /** Default {@link #DEFAULT_HANDOFF_DATA_MAX_CHARS}; at least 512. */
        public Builder handoffDataMaxChars(int value) {
            this.handoffDataMaxChars = CodecOptions.atLeast("handoffDataMaxChars", value, 512);
            return this;
        }

        /** Default {@link #DEFAULT_FIELD_MAX_CHARS}; at least 40. */
        public Builder fieldMaxChars(int value) {
            this.fieldMaxChars = CodecOptions.atLeast("fieldMaxChars", value, 40);
            return this;
        }

        /**
         * The codec.
         *
         * @return the codec; thread-safe, build one and share it
         */
        public TwilioCodec build() {
            return new TwilioCodec(this);
        }
    }
}
