package dev.handoff.crm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reading CRM answers: clear errors that name the system, the call and the missing field. */
public final class Json {

    private static final DateTimeFormatter SALESFORCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private Json() {
    }

    public static JsonNode parse(String system, String call, String body) {
        try {
            JsonNode node = ContextJson.get().mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new NonRetriableHandoffException(system + " " + call + " answered with an empty body; expected JSON");
            }
            return node;
        } catch (IOException e) {
            throw new NonRetriableHandoffException(system + " " + call + " answered with a body that is not JSON", e);
        }
    }

    /** The text at {@code field} (a JSON pointer), or an error naming it. */
    public static String requireText(String system, String call, JsonNode node, String pointer) {
        JsonNode v = node.at(pointer);
        if (v.isMissingNode() || v.isNull() || v.asText().isBlank() || v.isContainerNode()) {
            throw new NonRetriableHandoffException(system + " " + call + " answer has no " + pointer);
        }
        return v.asText();
    }

    /** Null when missing or null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    /** Parses an ISO-8601 instant or offset date-time, or Salesforce's {@code 2024-01-15T10:30:00.000+0000}; null if unreadable. */
    public static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return OffsetDateTime.parse(text, SALESFORCE).toInstant();
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }
}
