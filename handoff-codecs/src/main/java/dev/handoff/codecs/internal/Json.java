package dev.handoff.codecs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The context as a JSON tree or text, exactly as it is signed, and compact writing of platform JSON. */
public final class Json {

    private Json() {
    }

    /** The context's canonical compact JSON as a tree (the bytes the signature covers). */
    public static JsonNode tree(HandoffContext context) {
        try {
            return Input.MAPPER.readTree(ContextJson.get().write(context));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The context's canonical compact JSON text. */
    public static String text(HandoffContext context) {
        return new String(ContextJson.get().write(context), StandardCharsets.UTF_8);
    }

    /** Compact JSON of a tree. */
    public static String write(JsonNode node) {
        try {
            return Input.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
