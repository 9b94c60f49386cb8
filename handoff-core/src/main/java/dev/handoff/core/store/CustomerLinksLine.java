package dev.handoff.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * A line of {@link FileDataRetention}'s links file: a link between a customer and a session, or an erasure's audit
 * record the audit sink did not take (kept there until it does, so a restart does not lose the proof of an erasure).
 * Written and read as a JSON tree: no reflection on the links, so the module path needs no {@code opens}.
 */
sealed interface CustomerLinksLine permits CustomerLinksLine.Link, CustomerLinksLine.Unaudited {

    /** The mapper of stored JSON (it also reads and writes {@link AuditRecord}s, as the audit spool does). */
    ObjectMapper MAPPER = ContextJson.newMapper();

    /** The line as stored. */
    byte[] bytes();

    /**
     * Reads a line of the file; throws (and the journal sets the line aside) when it is neither kind.
     *
     * @param bytes the line
     * @return the link or the kept audit record
     */
    static CustomerLinksLine read(byte[] bytes) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("not a customer link", e);
        }
        if (node != null && node.has("unaudited")) {
            try {
                return new Unaudited(MAPPER.treeToValue(node.get("unaudited"), AuditRecord.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not an erasure's audit record", e);
            }
        }
        if (node == null || !node.path("customerId").isTextual() || !node.path("sessionId").isTextual()
                || !node.path("linkedAt").isTextual()) {
            throw new IllegalArgumentException("not a customer link: expected customerId, sessionId and linkedAt");
        }
        return new Link(node.get("customerId").asText(), SessionId.of(node.get("sessionId").asText()),
                Instant.parse(node.get("linkedAt").asText()));
    }

    /** A session linked to a customer ({@code customerId}, {@code sessionId}, {@code linkedAt}). */
    record Link(String customerId, SessionId sessionId, Instant linkedAt) implements CustomerLinksLine {

        @Override
        public byte[] bytes() {
            return MAPPER.createObjectNode().put("customerId", customerId).put("sessionId", sessionId.value())
                    .put("linkedAt", linkedAt.toString()).toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** An erasure's audit record the sink has not taken yet ({@code unaudited}: the record). */
    record Unaudited(AuditRecord record) implements CustomerLinksLine {

        public Unaudited {
            Objects.requireNonNull(record, "record");
        }

        @Override
        public byte[] bytes() {
            return MAPPER.createObjectNode().set("unaudited", MAPPER.valueToTree(record)).toString()
                    .getBytes(StandardCharsets.UTF_8);
        }
    }
}
