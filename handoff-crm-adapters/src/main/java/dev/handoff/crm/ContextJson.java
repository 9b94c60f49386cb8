package dev.handoff.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import java.util.Objects;

/**
 * The canonical JSON of a {@link HandoffContext} ({@code handoff.context/v1}): java.time values as ISO-8601
 * strings, fields in the record's declared order, unknown fields kept. The webhook body, the outbox journal and
 * the field mapping all read and write this form.
 *
 * <p>Thread-safe.
 */
public final class ContextJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // 120.50 stays 120.50 in trees (field mapping), as it does in the written document
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private ContextJson() {
    }

    /** A shared mapper configured for the canonical form. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The context as canonical JSON text. */
    public static String write(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        try {
            return MAPPER.writeValueAsString(context);
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("Handoff context " + context.contextId() + " cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The context as a JSON tree (for field mapping). */
    public static JsonNode tree(HandoffContext context) {
        return MAPPER.valueToTree(Objects.requireNonNull(context, "context"));
    }

    /**
     * Reads canonical JSON back.
     *
     * @throws NonRetriableHandoffException when the text is not a handoff context
     */
    public static HandoffContext read(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return MAPPER.readValue(json, HandoffContext.class);
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("Not a handoff context: " + e.getOriginalMessage(), e);
        }
    }
}
