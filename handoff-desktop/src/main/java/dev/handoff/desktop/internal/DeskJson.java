package dev.handoff.desktop.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.handoff.api.Commitment;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.desktop.Agent;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the desktop speaks with its pages: WebSocket messages (each with a {@code type}) and API bodies. Dates are
 * ISO-8601 strings. Every string the pages show is written with {@code textContent}, never as HTML.
 */
final class DeskJson {

    /** Longest preview of the triggering utterance in a notice. */
    static final int PREVIEW_CHARS = 160;

    static final ObjectMapper MAPPER = new ObjectMapper()
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

    static Map<String, Object> agent(Agent a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("name", a.name());
        m.put("role", a.role());
        m.put("tenant", a.tenant());
        m.put("queues", a.queues());
        m.put("skills", a.skills());
        return m;
    }

    String hello(DeskSession s, Instant now, Instant signOutAt, long warningSeconds, long verificationSeconds) {
        Map<String, Object> m = typed("hello");
        m.put("agent", agent(s.agent()));
        m.put("serverTime", now);
        m.put("signOutAt", signOutAt);
        m.put("idleWarningSeconds", warningSeconds);
        m.put("verificationWindowSeconds", verificationSeconds);
        return write(m);
    }

    String session(String type, Instant now, Instant signOutAt) {
        Map<String, Object> m = typed(type);
        m.put("serverTime", now);
        m.put("signOutAt", signOutAt);
        return write(m);
    }

    String signedOut(String reason) {
        Map<String, Object> m = typed("signed-out");
        m.put("reason", reason);
        return write(m);
    }

    /** The incoming-handoff notice: the whisper comes first, then why it escalated and a preview. */
    String notice(DeskHandoff h, Agent viewer, Instant now) {
        Map<String, Object> m = typed("handoff");
        HandoffContext c = h.context();
        m.put("handoffId", h.handoffId());
        m.put("contextId", c.contextId());
        m.put("whisper", c.whisper());
        m.put("escalation", escalation(c, h));
        m.put("preview", preview(c));
        m.putAll(summary(h, viewer));
        m.put("sentimentLabel", c.sentiment().label());
        m.put("commitmentCount", c.commitments().size());
        m.put("serverTime", now);
        return write(m);
    }

    /** A change of phase or owner of a handoff the viewer can see. */
    String phase(DeskHandoff h, Agent viewer) {
        Map<String, Object> m = typed("phase");
        m.put("contextId", h.contextId());
        m.putAll(summary(h, viewer));
        return write(m);
    }

    private static Map<String, Object> summary(DeskHandoff h, Agent viewer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", h.label());
        m.put("ref", h.ref());
        m.put("sessionId", h.sessionId());
        m.put("channel", h.channel());
        var t = h.target();
        m.put("target", t == null ? null : Map.of("id", t.id(), "kind", t.kind()));
        m.put("phase", h.phase());
        m.put("acceptedBy", h.acceptedBy());
        m.put("ended", h.ended());
        m.put("canAct", Access.canAct(viewer, h) && h.live());
        m.put("canWrite", canWrite(h, viewer));
        return m;
    }

    /** A chat a human has, and this viewer is the human who accepted it (or nobody is named). */
    static boolean canWrite(DeskHandoff h, Agent viewer) {
        return Access.canAct(viewer, h) && h.live() && h.channel() == dev.handoff.api.Channel.CHAT
                && (h.phase() == dev.handoff.api.HandoffPhase.CONNECTED || h.phase() == dev.handoff.api.HandoffPhase.VERIFIED)
                && (h.acceptedBy() == null || h.acceptedBy().equals(viewer.id()));
    }

    /** The full context as verified by core, the commitments with each one's deadline for this viewer, live turns. */
    String view(DeskHandoff h, HandoffContext verified, Agent viewer, Instant openedAt, java.time.Duration window, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handoffId", h.handoffId());
        m.put("contextId", verified.contextId());
        m.putAll(summary(h, viewer));
        m.put("context", verified);
        m.put("commitments", commitments(h, viewer, window));
        m.put("liveTurns", h.liveTurns().stream().map(DeskJson::turn).toList());
        m.put("read", h.readBy() == null ? null : Map.of("agentId", h.readBy(), "readAt", h.readAt()));
        m.put("overdue", h.overdue().keySet());
        m.put("openedAt", openedAt);
        m.put("serverTime", now);
        return write(m);
    }

    List<Map<String, Object>> commitments(DeskHandoff h, Agent viewer, java.time.Duration window) {
        return h.commitments().stream().map(c -> commitment(h, c, viewer, window)).toList();
    }

    Map<String, Object> commitment(DeskHandoff h, Commitment c, Agent viewer, java.time.Duration window) {
        Map<String, Object> m = MAPPER.convertValue(c, MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        m.put("verifyBy", h.verifyBy(viewer.id(), c.id(), window));
        m.put("overdue", h.overdue().containsKey(c.id()));
        return m;
    }

    String commitmentMessage(DeskHandoff h, Commitment c, Agent viewer, java.time.Duration window) {
        Map<String, Object> m = typed("commitment");
        m.put("contextId", h.contextId());
        m.put("commitment", commitment(h, c, viewer, window));
        return write(m);
    }

    String turnMessage(DeskHandoff h, Turn t) {
        Map<String, Object> m = typed("turn");
        m.put("contextId", h.contextId());
        m.put("turn", turn(t));
        return write(m);
    }

    String readMessage(DeskHandoff h) {
        Map<String, Object> m = typed("read");
        m.put("contextId", h.contextId());
        m.put("agentId", h.readBy());
        m.put("readAt", h.readAt());
        return write(m);
    }

    String offer(Offers.DeskOffer o, DeskHandoff h, Instant now) {
        Map<String, Object> m = typed("offer");
        m.put("offerId", o.id());
        m.put("contextId", o.contextId());
        HandoffContext c = h == null ? null : h.context();
        m.put("whisper", c == null ? null : c.whisper());
        m.put("escalation", c == null ? null : escalation(c, h));
        m.put("preview", c == null ? null : preview(c));
        m.put("queue", o.queue());
        m.put("label", h == null ? "Customer" : h.label());
        m.put("offeredAt", o.offeredAt());
        m.put("serverTime", now);
        return write(m);
    }

    String offerGone(String offerId, String reason) {
        Map<String, Object> m = typed("offer-withdrawn");
        m.put("offerId", offerId);
        m.put("reason", reason);
        return write(m);
    }

    /** The viewer may no longer see the handoff: only its id and why, nothing of it. */
    String gone(DeskHandoff h, String reason) {
        Map<String, Object> m = typed("handoff-gone");
        m.put("contextId", h.contextId());
        m.put("reason", reason);
        return write(m);
    }

    /** A turn with every field present (the record's own JSON leaves out index 0 and partial=false). */
    static Map<String, Object> turn(Turn t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", t.index());
        m.put("speaker", t.speaker());
        m.put("text", t.text());
        m.put("timestamp", t.timestamp());
        m.put("partial", t.partial());
        return m;
    }

    private static Map<String, Object> escalation(HandoffContext c, DeskHandoff h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", c.metadata().action());
        m.put("priority", c.metadata().priority());
        m.put("silentAlarm", h.silentAlarm() || "SILENT_ALARM".equals(c.metadata().action()));
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

    private static Map<String, Object> typed(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }
}
