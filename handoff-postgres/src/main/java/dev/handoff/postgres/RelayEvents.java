package dev.handoff.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.json.ContextJson;
import java.util.Map;
import java.util.Optional;

/**
 * The events of a handoff that {@link PostgresAgentRelay} carries from its owner to the instances whose agents watch
 * it, as JSON in {@code agent_feed}: turns, commitment updates and overdue notices, reads, phases, the connection, the
 * return to the bot and the session's end. Nothing else is relayed (an {@code AgentMessage} is for the owner's bot
 * host only).
 */
final class RelayEvents {

    static final ObjectMapper MAPPER = ContextJson.newMapper();

    private static final Map<String, Class<? extends HandoffEvent>> KINDS = Map.of(
            "TURN", HandoffEvent.TurnRecorded.class,
            "COMMITMENT", HandoffEvent.CommitmentUpdated.class,
            "OVERDUE", HandoffEvent.CommitmentOverdue.class,
            "READ", HandoffEvent.ContextRead.class,
            "PHASE", HandoffEvent.PhaseChanged.class,
            "COMPLETED", HandoffEvent.HandoffCompleted.class,
            "RETURNED", HandoffEvent.ReturnedToBot.class,
            "ENDED", HandoffEvent.SessionEnded.class);

    private RelayEvents() {
    }

    /** The feed kind of an event that is relayed; empty for the others. */
    static Optional<String> kind(HandoffEvent e) {
        for (var k : KINDS.entrySet()) {
            if (k.getValue().isInstance(e)) {
                return Optional.of(k.getKey());
            }
        }
        return Optional.empty();
    }

    /** After this kind the handoff is no longer relayed. */
    static boolean last(String kind) {
        return kind.equals("RETURNED") || kind.equals("ENDED");
    }

    static String write(HandoffEvent e) {
        try {
            return MAPPER.writeValueAsString(e);
        } catch (JsonProcessingException x) {
            throw new NonRetriableHandoffException("cannot write a " + e.getClass().getSimpleName() + " of session " + e.sessionId()
                    + " as JSON for the agent relay");
        }
    }

    /**
     * @throws NonRetriableHandoffException for an unknown kind or a body that is not that event (a row written by hand)
     */
    static HandoffEvent read(String kind, String body) {
        Class<? extends HandoffEvent> type = KINDS.get(kind);
        if (type == null) {
            throw new NonRetriableHandoffException("agent_feed row of kind \"" + dev.handoff.postgres.internal.Texts.clean(kind, 40)
                    + "\"; expected one of " + KINDS.keySet());
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonProcessingException x) {
            throw new NonRetriableHandoffException("agent_feed row of kind " + kind + " is not a " + type.getSimpleName()
                    + " (JSON error at line " + x.getLocation().getLineNr() + ", column " + x.getLocation().getColumnNr() + ")");
        }
    }
}
