package dev.handoff.codecs;

import dev.handoff.core.context.Envelope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one codec made for its platform: the exact text to send, and how much of the context it carries. Never a
 * silently cut document: {@link #form()} says whether the whole (redacted, signed) context went, a summary with the
 * most recent turns, or only the signed ticket, and {@link #note()} says the same in a sentence that is also inside
 * the payload for the human who reads it.
 *
 * @param platform   the platform's name ({@code "botframework"}, {@code "twilio-relay"}, ...)
 * @param body       the exact JSON to send (an activity, a WebSocket message, a webhook response, an API body)
 * @param attributes the key/value pairs, for platforms that take a flat string map (Amazon Connect contact
 *                   attributes, Genesys Cloud participant data, Flex task attributes, Chatwoot custom attributes);
 *                   empty otherwise; in insertion order
 * @param form       how much of the context went ({@link Envelope.Form})
 * @param contextId  the full context's id
 * @param ticket     the signed ticket that redeems the full context ({@code Handoff.redeem(ticket, actor)})
 * @param note       the sentence that says what was left out, if anything ("12 of 300 turns included; ...")
 * @param size       the measured size, in {@code unit}, of what the platform limits
 * @param limit      the platform's limit, in {@code unit}
 * @param unit       {@code "characters"} or {@code "bytes"} (UTF-8)
 */
public record PlatformPayload(String platform, String body, Map<String, String> attributes, Envelope.Form form, String contextId,
                              String ticket, String note, int size, int limit, String unit) {

    public PlatformPayload {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(contextId, "contextId");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(unit, "unit");
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        if (size > limit) {
            throw new IllegalArgumentException(platform + " payload of " + size + " " + unit + " is over its limit of " + limit);
        }
    }
}
