package dev.handoff.desktop.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffFeedback.CommitmentVerdict;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the body of {@code POST /api/handoffs/{contextId}/feedback} into a {@link HandoffFeedback} for the signed-in
 * agent. The shape ({@code whisper} keys and values, verdicts) is checked here with messages naming the field and
 * what was expected; values and ranges are checked by core's validation when the feedback is given. A correction's
 * text is never quoted back.
 *
 * <pre>{@code
 * {"escalation": "LATE", "earlierTurn": 2, "resolved": true, "customerEffort": 3,
 *  "whisper": {"GOAL": "ACCURATE", "BUDGET": "INACCURATE"},
 *  "commitments": [{"id": "c-1", "verdict": "CONFIRMED"}, {"id": "c-2", "verdict": "CORRECTED", "value": "$5 credit"}]}
 * }</pre>
 */
final class FeedbackRequest {

    private FeedbackRequest() {
    }

    /** @throws IllegalArgumentException naming the field and what was expected */
    static HandoffFeedback read(JsonNode n, String agentId) {
        HandoffFeedback.Builder b = HandoffFeedback.builder(agentId, enumOf(HandoffFeedback.Escalation.class, n.get("escalation"), "escalation"));
        JsonNode earlier = n.get("earlierTurn");
        if (earlier != null && !earlier.isNull()) {
            b.earlierTurn(integer(earlier, "earlierTurn"));
        }
        JsonNode whisper = n.get("whisper");
        if (whisper != null && !whisper.isNull()) {
            if (!whisper.isObject()) {
                throw new IllegalArgumentException("whisper must be an object of field: ACCURATE|INACCURATE");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = whisper.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                HandoffFeedback.WhisperField field = enumOf(HandoffFeedback.WhisperField.class, DeskJson.MAPPER.getNodeFactory().textNode(e.getKey()),
                        "whisper key");
                b.whisper(field, enumOf(HandoffFeedback.Accuracy.class, e.getValue(), "whisper." + field));
            }
        }
        JsonNode commitments = n.get("commitments");
        if (commitments != null && !commitments.isNull()) {
            if (!commitments.isArray()) {
                throw new IllegalArgumentException("commitments must be an array of {\"id\", \"verdict\", \"value\"}");
            }
            int i = 0;
            for (JsonNode c : commitments) {
                String path = "commitments[" + i++ + "]";
                JsonNode id = c.get("id");
                if (id == null || !id.isTextual()) {
                    throw new IllegalArgumentException(path + ".id must be a commitment id");
                }
                JsonNode value = c.get("value");
                if (value != null && !value.isNull() && !value.isTextual()) {
                    throw new IllegalArgumentException(path + ".value must be a string, was " + value.getNodeType());
                }
                String text = value == null || value.isNull() ? null : value.asText().strip();
                b.commitment(new CommitmentVerdict(id.asText(), enumOf(HandoffFeedback.Verdict.class, c.get("verdict"), path + ".verdict"), text));
            }
        }
        JsonNode resolved = n.get("resolved");
        if (resolved == null || !resolved.isBoolean()) {
            throw new IllegalArgumentException("resolved must be true or false (was the case resolved on this contact?)");
        }
        b.resolved(resolved.asBoolean());
        JsonNode effort = n.get("customerEffort");
        if (effort != null && !effort.isNull()) {
            b.customerEffort(integer(effort, "customerEffort"));
        }
        return b.build();
    }

    private static int integer(JsonNode n, String field) {
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " must be a whole number, was " + n.getNodeType());
        }
        return n.asInt();
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, JsonNode n, String field) {
        String allowed = Arrays.toString(type.getEnumConstants());
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(field + " must be one of " + allowed);
        }
        try {
            return Enum.valueOf(type, n.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String v = n.asText().replaceAll("\\p{Cntrl}", "");
            throw new IllegalArgumentException(field + " must be one of " + allowed + ", was \"" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "\"");
        }
    }
}
