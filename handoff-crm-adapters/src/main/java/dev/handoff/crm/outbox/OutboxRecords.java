package dev.handoff.crm.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.DeadLetter;
import dev.handoff.core.store.OutboxEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The JSON records of {@link FileOutbox}'s two journals: enqueue, ack and dead lines, and dead letters. */
final class OutboxRecords {

    static final ObjectMapper JSON = ContextJson.get().mapper();

    private OutboxRecords() {
    }

    static OutboxEntry entry(JsonNode node) {
        String contextJson = node.path("context").asText();
        // validate on replay too: a record that does not hold a valid context is set aside, never delivered
        HandoffContext context = ContextJson.get().read(contextJson);
        // optional: records written before trace contexts were kept have neither field; a malformed one is dropped
        Map<String, String> trace = new HashMap<>();
        for (String field : List.of(OutboxEntry.TRACEPARENT, OutboxEntry.TRACESTATE)) {
            if (node.path(field).isTextual()) {
                trace.put(field, node.path(field).asText());
            }
        }
        return new OutboxEntry(node.path("id").asText(), node.path("adapter").asText(), node.path("key").asText(), context.contextId(),
                Instant.parse(node.path("at").asText()), contextJson, trace);
    }

    static DeadLetter deadLetter(byte[] bytes) {
        JsonNode node = readTree(bytes);
        return new DeadLetter(entry(node), Instant.parse(node.path("deadAt").asText()), node.path("reason").asText());
    }

    static ObjectNode enqueueTree(OutboxEntry e) {
        ObjectNode node = JSON.createObjectNode().put("op", "enqueue").put("id", e.id()).put("adapter", e.adapter())
                .put("key", e.idempotencyKey()).put("contextId", e.contextId()).put("at", e.enqueuedAt().toString())
                .put("context", e.contextJson());
        e.traceContext().forEach(node::put);   // traceparent, tracestate: only when there is one
        return node;
    }

    static byte[] deadLine(DeadLetter d) {
        ObjectNode line = enqueueTree(d.entry());
        line.put("op", "dead").put("deadAt", d.deadAt().toString()).put("reason", d.reason());
        return bytes(line);
    }

    static byte[] enqueue(OutboxEntry e) {
        return bytes(enqueueTree(e));
    }

    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode readTree(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("an outbox record must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("an outbox record is not JSON", e);
        }
    }
}
