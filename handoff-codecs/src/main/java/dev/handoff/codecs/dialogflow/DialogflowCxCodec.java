package dev.handoff.codecs.dialogflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.internal.AttributeMap;
import dev.handoff.codecs.internal.CodecOptions;
import dev.handoff.codecs.internal.Fit;
import dev.handoff.codecs.internal.Input;
import dev.handoff.codecs.internal.Json;
import dev.handoff.codecs.internal.Whisper;
import dev.handoff.core.context.DestinationPackager;

/**
 * Dialogflow CX: a webhook answers a fulfillment with a {@code WebhookResponse} whose
 * {@code fulfillmentResponse.messages} can hold a {@code liveAgentHandoff} message (its {@code metadata} is a free
 * JSON object Dialogflow passes on untouched) and, for voice, a {@code telephonyTransferCall} message with a
 * {@code sipUri} (or {@code phoneNumber}, E.164) that the telephony gateway transfers the call to.
 *
 * <p>Field names follow the v3 {@code ResponseMessage} reference:
 * <a href="https://cloud.google.com/ruby/docs/reference/google-cloud-dialogflow-cx-v3/latest/Google-Cloud-Dialogflow-CX-V3-ResponseMessage-LiveAgentHandoff">ResponseMessage.LiveAgentHandoff</a>
 * ({@code metadata}: "custom metadata for your handoff procedure. Dialogflow doesn't impose any structure on this"),
 * <a href="https://docs.cloud.google.com/ruby/docs/reference/google-cloud-dialogflow-cx-v3/latest/Google-Cloud-Dialogflow-CX-V3-ResponseMessage-TelephonyTransferCall">ResponseMessage.TelephonyTransferCall</a>
 * ({@code phoneNumber} in E.164 or {@code sipUri}) and the webhook guide
 * <a href="https://cloud.google.com/dialogflow/cx/docs/concept/webhook">Webhooks</a> ({@code WebhookRequest},
 * {@code WebhookResponse}, {@code sessionInfo.parameters}).
 *
 * <p><b>Out.</b> {@link #handoffResponse}: an optional text message for the customer, {@code liveAgentHandoff.metadata}
 * = {@code {handoff: {schema, contextId, ticket, form, note, priority, routeHint, whisper}, context: <signed copy>}},
 * and when a SIP target is given, {@code telephonyTransferCall.sipUri} with the ticket in the URI parameter
 * {@code x-handoff} (the same parameter handoff-sip uses; a 128-character ticket, safe unescaped in a URI), plus
 * {@code sessionInfo.parameters.handoff_ticket} so later pages see it. The whole response stays under
 * {@value #DEFAULT_MAX_BYTES} bytes (the webhook response limit we apply; configurable), past which the copy becomes a
 * summary, then the ticket alone, and the note says so.
 *
 * <p><b>Back.</b> Dialogflow sends nothing back about the human side. {@link #parseWebhookRequest} reads the
 * fulfillment request that asks for the handoff (session path, tag, the customer's text) so the webhook can find the
 * Handoff session; it returns a typed record, not an agent-side action.
 *
 * <p>Thread-safe.
 */
public final class DialogflowCxCodec {

    /** The platform name. */
    public static final String PLATFORM = "dialogflow-cx";
    /** Default limit of the whole webhook response: 64 KiB of UTF-8 JSON. */
    public static final int DEFAULT_MAX_BYTES = 64 * 1024;
    /** The SIP URI parameter that carries the ticket. */
    public static final String TICKET_PARAMETER = "x-handoff";

    private final Fit.Packaging packaging;
    private final int maxBytes;

    private DialogflowCxCodec(Builder b) {
        this.packaging = b.options.packaging();
        this.maxBytes = b.maxBytes;
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
     * The {@code WebhookResponse} that hands off.
     *
     * @param message nullable; what the agent says before the transfer ("Connecting you to our billing team.")
     * @param sipUri  nullable; a {@code sip:} or {@code sips:} URI to transfer a call to (no {@code x-handoff} in it)
     * @throws IllegalArgumentException when {@code sipUri} is not a SIP URI or already carries {@code x-handoff}
     */
    public PlatformPayload handoffResponse(HandoffContext context, String message, String sipUri) {
        String target = sipUri == null ? null : checkSipUri(sipUri);
        return Fit.fit(PLATFORM, packaging, context, maxBytes, Fit.Unit.BYTES, true, (e, redacted) -> {
            ObjectNode response = Input.MAPPER.createObjectNode();
            ArrayNode messages = response.putObject("fulfillmentResponse").putArray("messages");
            if (message != null && !message.isBlank()) {
                messages.addObject().putObject("text").putArray("text").add(message);
            }
            ObjectNode metadata = messages.addObject().putObject("liveAgentHandoff").putObject("metadata");
            metadata.set("handoff", Whisper.summary(e, redacted));
            if (e.context() != null) {
                metadata.set("context", Json.tree(e.context()));
            }
            if (target != null) {
                messages.addObject().putObject("telephonyTransferCall").put("sipUri", withTicket(target, e.ticket()));
            }
            ObjectNode parameters = response.putObject("sessionInfo").putObject("parameters");
            parameters.put(AttributeMap.TICKET, e.ticket());
            parameters.put(AttributeMap.CONTEXT_ID, e.contextId());
            String body = Json.write(response);
            return new Fit.Built(body, null, Fit.Unit.BYTES.measure(body));
        });
    }

    /** The SIP URI with {@code ;x-handoff=<ticket>} added to its parameters (before any {@code ?headers}). */
    static String withTicket(String sipUri, String ticket) {
        int q = sipUri.indexOf('?');
        String head = q < 0 ? sipUri : sipUri.substring(0, q);
        String tail = q < 0 ? "" : sipUri.substring(q);
        return head + ";" + TICKET_PARAMETER + "=" + ticket + tail;
    }

    private static String checkSipUri(String sipUri) {
        if (!sipUri.matches("sips?:[^\\s<>\"]+@?[^\\s<>\"]*") || sipUri.contains(";" + TICKET_PARAMETER + "=")) {
            throw new IllegalArgumentException("sipUri must be a sip: or sips: URI without spaces or an " + TICKET_PARAMETER
                    + " parameter, was \"" + Input.clean(sipUri) + "\"");
        }
        return sipUri;
    }

    /**
     * The parts of a {@code WebhookRequest} a handoff webhook needs.
     *
     * @param session      {@code sessionInfo.session}: {@code projects/.../sessions/<id>}
     * @param sessionId    the last segment of the session path
     * @param tag          nullable; {@code fulfillmentInfo.tag}
     * @param text         nullable; {@code text}, what the customer said
     * @param languageCode nullable; {@code languageCode}
     */
    public record WebhookCall(String session, String sessionId, String tag, String text, String languageCode) {
    }

    /**
     * Reads a {@code WebhookRequest}; unknown fields are ignored.
     *
     * @throws dev.handoff.api.ValidationException naming {@code $.sessionInfo.session} when missing or not a
     *                                             session path
     */
    public WebhookCall parseWebhookRequest(String json) {
        Input in = new Input("Dialogflow CX WebhookRequest");
        JsonNode root = in.object(json);
        String session = in.text(root, "sessionInfo.session");
        if (session != null && !session.matches("projects/[^/]+/locations/[^/]+/agents/[^/]+/(environments/[^/]+/)?sessions/[^/]+")) {
            in.fail("$.sessionInfo.session", session, "projects/<p>/locations/<l>/agents/<a>/[environments/<e>/]sessions/<id>");
        }
        String tag = in.optionalText(root, "fulfillmentInfo.tag");
        String text = in.optionalText(root, "text");
        String language = in.optionalText(root, "languageCode");
        in.check();
        return new WebhookCall(session, session.substring(session.lastIndexOf('/') + 1), tag, text, language);
    }

    /** Options; every default is a {@code DEFAULT_*} constant. */
    public static final class Builder {
        private final CodecOptions options;
        private int maxBytes = DEFAULT_MAX_BYTES;

        private Builder(DestinationPackager packager) {
            this.options = new CodecOptions(packager);
        }

        /** True when the live-agent system behind Dialogflow is cleared for protected data; default false. */
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

        /** Default {@link #DEFAULT_MAX_BYTES}; at least 1,024. */
        public Builder maxBytes(int value) {
            this.maxBytes = CodecOptions.atLeast("maxBytes", value, 1024);
            return this;
        }

        /**
         * The codec.
         *
         * @return the codec; thread-safe, build one and share it
         */
        public DialogflowCxCodec build() {
            return new DialogflowCxCodec(this);
        }
    }
}
