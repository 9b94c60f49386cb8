package dev.handoff.core.store;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The schema's b2b-sales-chat example with another context id (and creation time): a valid context for store tests. */
public final class GoldenContext {

    private static final String ID = "ctx-9e1b44a0-51f3-4c1e-8f62-7b1d2a6c0d5e";
    private static final String CREATED = "\"createdAt\": \"2026-05-12T16:31:00Z\"";

    private GoldenContext() {
    }

    /**
     * @param id the context id
     * @return the example under that id
     */
    public static HandoffContext withId(String id) {
        return ContextJson.get().read(text().replace(ID, id));
    }

    /**
     * @param id        the context id
     * @param createdAt its creation time
     * @return the example under that id, created then
     */
    public static HandoffContext withId(String id, Instant createdAt) {
        return ContextJson.get().read(text().replace(ID, id).replace(CREATED, "\"createdAt\": \"" + createdAt + "\""));
    }

    /**
     * @param id         the context id
     * @param session    its session id
     * @param customerId the customer it names
     * @param createdAt  its creation time
     * @return the example under that id, for that session and customer, created then
     */
    public static HandoffContext of(String id, String session, String customerId, Instant createdAt) {
        return ContextJson.get().read(text().replace(ID, id).replace(CREATED, "\"createdAt\": \"" + createdAt + "\"")
                .replace("\"sessionId\": \"chat-b2b-1042\"", "\"sessionId\": \"" + session + "\"")
                .replace("\"customerId\": \"lead-88213\"", "\"customerId\": \"" + customerId + "\""));
    }

    private static String text() {
        try (InputStream in = GoldenContext.class.getResourceAsStream("/schema/examples/b2b-sales-chat.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
