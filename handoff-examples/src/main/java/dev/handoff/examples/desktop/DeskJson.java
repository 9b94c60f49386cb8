package dev.handoff.examples.desktop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.handoff.api.Commitment;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AgentNotification;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the desktop speaks with its page: WebSocket messages ({@code type} = hello, handoff, turn, commitment,
 * read) and API bodies. Dates are ISO-8601 strings.
 */
final class DeskJson {

    /** Longest preview of the triggering utterance shown in the notification. */
    static final int PREVIEW_CHARS = 160;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write desktop JSON for " + value.getClass().getSimpleName(), e);
        }
    }

    JsonNode read(String body) throws JsonProcessingException {
        return MAPPER.readTree(body);
    }

    static String errorBody(String message) {
        try {
            return MAPPER.writeValueAsString(Map.of("error", message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    String helloMessage(String agentId, Instant now, Duration verificationWindow) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "hello");
        m.put("agentId", agentId);
        m.put("serverTime", now);
        m.put("verificationWindowSeconds", verificationWindow.toSeconds());
        return write(m);
    }

    /** The incoming-handoff notification: the whisper comes first, then why it escalated and a preview. */
    String handoffMessage(DeskHandoff handoff, Instant verifyBy, Instant now) {
        AgentNotification n = handoff.notification();
        HandoffContext c = n.context();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "handoff");
        m.put("contextId", c.contextId());
        m.put("whisper", c.whisper());
        m.put("escalation", escalation(c));
        m.put("preview", preview(c));
        m.put("sentimentLabel", c.sentiment().label());
        m.put("sessionId", c.sessionId());
        m.put("channel", c.channel());
        m.put("target", n.target());
        m.put("ticket", n.ticket());
        m.put("commitmentCount", c.commitments().size());
        m.put("receivedAt", handoff.receivedAt());
        m.put("verifyBy", verifyBy);
        m.put("serverTime", now);
        return write(m);
    }

    /** The full context for the page, as redeemed by ticket, with the current commitment states and live turns. */
    String contextView(DeskHandoff handoff, HandoffContext context, List<Commitment> commitments, Instant verifyBy,
                       ReadReceipt read, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contextId", context.contextId());
        m.put("ticket", handoff.notification().ticket());
        m.put("context", context);
        m.put("commitments", commitments);
        m.put("liveTurns", handoff.liveTurns());
        m.put("verifyBy", verifyBy);
        m.put("serverTime", now);
        m.put("read", read);
        return write(m);
    }

    String turnMessage(String contextId, Turn turn) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "turn");
        m.put("contextId", contextId);
        m.put("turn", turnView(turn));
        return write(m);
    }

    String commitmentMessage(String contextId, Commitment commitment) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "commitment");
        m.put("contextId", contextId);
        m.put("commitment", commitment);
        return write(m);
    }

    String readMessage(ReadReceipt receipt) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "read");
        m.put("contextId", receipt.contextId());
        m.put("receipt", receipt);
        return write(m);
    }

    /** A turn with every field present (the record's own JSON leaves out index 0 and partial=false). */
    private static Map<String, Object> turnView(Turn t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", t.index());
        m.put("speaker", t.speaker());
        m.put("text", t.text());
        m.put("timestamp", t.timestamp());
        m.put("partial", t.partial());
        return m;
    }

    private static Map<String, Object> escalation(HandoffContext c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", c.metadata().action());
        m.put("priority", c.metadata().priority());
        m.put("reasons", c.metadata().triggerReasons().stream().map(r -> {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("kind", r.kind());
            reason.put("ruleId", r.ruleId());
            reason.put("detail", r.detail());
            return reason;
        }).toList());
        m.put("routeHint", c.metadata().routeHint());
        return m;
    }

    /** The utterance that triggered the handoff: the last customer turn, else the last turn; shortened. */
    private static Map<String, Object> preview(HandoffContext c) {
        Turn chosen = c.lastTurn();
        for (int i = c.transcript().size() - 1; i >= 0; i--) {
            if (c.transcript().get(i).speaker() == Speaker.CUSTOMER) {
                chosen = c.transcript().get(i);
                break;
            }
        }
        String text = chosen.text();
        if (text.length() > PREVIEW_CHARS) {
            text = text.substring(0, PREVIEW_CHARS - 1) + "\u2026";
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("speaker", chosen.speaker());
        m.put("text", text);
        m.put("timestamp", chosen.timestamp());
        m.put("index", chosen.index());
        return m;
    }
}
