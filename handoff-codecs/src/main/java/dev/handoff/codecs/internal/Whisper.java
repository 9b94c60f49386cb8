package dev.handoff.codecs.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.context.Envelope;

/** The small "handoff" object several platforms carry beside (or instead of) the document. */
public final class Whisper {

    private Whisper() {
    }

    /**
     * {@code {schema, contextId, ticket, form, note, priority, routeHint, whisper{goal, obstacle, sentiment,
     * suggestedOpening}}}, the whisper taken from the redacted copy.
     */
    public static ObjectNode summary(Envelope e, HandoffContext redacted) {
        ObjectNode h = Input.MAPPER.createObjectNode();
        h.put("schema", HandoffContext.SCHEMA);
        h.put("contextId", e.contextId());
        h.put("ticket", e.ticket());
        h.put("form", e.form().name());
        h.put("note", e.note());
        h.put("priority", redacted.metadata().priority().name());
        if (redacted.metadata().routeHint() != null) {
            h.put("routeHint", redacted.metadata().routeHint());
        }
        ObjectNode w = h.putObject("whisper");
        w.put("goal", redacted.whisper().goal());
        w.put("obstacle", redacted.whisper().obstacle());
        w.put("sentiment", redacted.whisper().sentiment());
        w.put("suggestedOpening", redacted.whisper().suggestedOpening());
        return h;
    }
}
