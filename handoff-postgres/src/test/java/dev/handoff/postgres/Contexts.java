package dev.handoff.postgres;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Contexts for tests: the published dental golden document with its ids, customer and time replaced. */
final class Contexts {

    private static final ObjectNode GOLDEN = golden();

    private Contexts() {
    }

    static HandoffContext context(String contextId, String sessionId, String customerId, Instant createdAt) {
        ObjectNode doc = GOLDEN.deepCopy();
        doc.put("contextId", contextId);
        doc.put("sessionId", sessionId);
        doc.put("createdAt", createdAt.toString());
        ((ObjectNode) doc.get("customer")).put("customerId", customerId);
        doc.remove("integrity");
        try {
            return ContextJson.get().read(ContextJson.get().mapper().writeValueAsBytes(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode golden() {
        try (InputStream in = Contexts.class.getResourceAsStream("/schema/examples/dental-voice.json")) {
            return (ObjectNode) ContextJson.get().mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
