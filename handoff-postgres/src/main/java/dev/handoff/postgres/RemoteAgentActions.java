package dev.handoff.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.spi.AgentActions;
import java.util.List;
import java.util.Objects;

/**
 * The agent-side handle of a handoff that another instance owns ({@link PostgresAgentRelay#remote}): each action is
 * a row in {@code agent_actions}, applied once by the owner through its own {@link AgentActions}; this handle waits
 * for the owner's answer (a notification, or a re-read every poll interval) up to the relay's action timeout. When
 * no owner answered in time the row is marked {@code EXPIRED} (so it is never applied later) and the agent gets a
 * {@link RetriableHandoffException} saying nothing was done. Commitments are read from the shared ledger directly.
 * Thread-safe; immutable.
 */
final class RemoteAgentActions implements AgentActions {

    private final PostgresAgentRelay relay;
    private final String handoffId;
    private final SessionId sessionId;
    private final String contextId;
    private final String owner;
    private final String clientAddress;

    RemoteAgentActions(PostgresAgentRelay relay, String handoffId, SessionId sessionId, String contextId, String owner, String clientAddress) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.handoffId = Objects.requireNonNull(handoffId, "handoffId");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.contextId = Objects.requireNonNull(contextId, "contextId");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.clientAddress = clientAddress;
    }

    @Override
    public String handoffId() {
        return handoffId;
    }

    @Override
    public SessionId sessionId() {
        return sessionId;
    }

    @Override
    public String contextId() {
        return contextId;
    }

    /** The instance that owned the handoff when this handle was made (the relay follows a takeover by itself). */
    String owner() {
        return owner;
    }

    @Override
    public boolean confirmRead(String agentId) {
        try {
            return Boolean.parseBoolean(call("READ", agentId, null, null));
        } catch (NonRetriableHandoffException e) {
            return false;
        }
    }

    @Override
    public List<Commitment> commitments() {
        return relay.ledger().commitments(sessionId);
    }

    @Override
    public Commitment confirm(String commitmentId, String agentId) {
        return commitment(call("CONFIRM", agentId, requireId(commitmentId), null));
    }

    @Override
    public Commitment correct(String commitmentId, String correctedValue, String agentId) {
        Objects.requireNonNull(correctedValue, "correctedValue");
        return commitment(call("CORRECT", agentId, requireId(commitmentId), correctedValue));
    }

    @Override
    public Commitment revoke(String commitmentId, String agentId) {
        return commitment(call("REVOKE", agentId, requireId(commitmentId), null));
    }

    /**
     * Relayed like the other actions: the instance that runs the handoff validates and applies it (its verdicts, KPIs
     * and audit record are made there), while it still runs the handoff there.
     */
    @Override
    public List<Commitment> feedback(dev.handoff.api.HandoffFeedback feedback) {
        Objects.requireNonNull(feedback, "feedback");
        try {
            String body = RelayEvents.MAPPER.writeValueAsString(feedback);
            return RelayEvents.MAPPER.readValue(call("FEEDBACK", feedback.agentId(), null, body),
                    RelayEvents.MAPPER.getTypeFactory().constructCollectionType(List.class, Commitment.class));
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("the owner of handoff " + handoffId + " answered feedback with unreadable commitments");
        }
    }

    @Override
    public void handBack(String agentId, String note) {
        String n = note == null ? "" : note.strip();
        checkLength("note", n, true);
        call("HAND_BACK", agentId, null, n);
    }

    @Override
    public Turn send(String agentId, String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        checkLength("message", t, false);
        try {
            return RelayEvents.MAPPER.readValue(call("SEND", agentId, null, t), Turn.class);
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("the owner of handoff " + handoffId + " answered a message with an unreadable turn");
        }
    }

    @Override
    public AgentActions from(String address) {
        return new RemoteAgentActions(relay, handoffId, sessionId, contextId, owner, address);
    }

    private String call(String kind, String agentId, String commitmentId, String body) {
        dev.handoff.postgres.internal.Texts.requireCode("agentId", agentId);
        return relay.submitAndWait(this, kind, agentId, clientAddress, commitmentId, body);
    }

    private Commitment commitment(String json) {
        try {
            return RelayEvents.MAPPER.readValue(json, Commitment.class);
        } catch (JsonProcessingException e) {
            throw new NonRetriableHandoffException("the owner of handoff " + handoffId + " answered with an unreadable commitment");
        }
    }

    private static String requireId(String commitmentId) {
        if (commitmentId == null || commitmentId.isBlank() || commitmentId.length() > 64) {
            throw new NonRetriableHandoffException("no commitment \"" + dev.handoff.postgres.internal.Texts.clean(commitmentId, 64) + "\"");
        }
        return commitmentId;
    }

    /** The same rule as core's own handle, checked here so a message that core would refuse never travels. */
    private static void checkLength(String field, String text, boolean mayBeEmpty) {
        if ((!mayBeEmpty && text.isEmpty()) || text.length() > MAX_MESSAGE_CHARS) {
            throw new ValidationException("agent " + field, List.of(new Violation(field, text.length() + " characters",
                    (mayBeEmpty ? "at most " : "1 to ") + MAX_MESSAGE_CHARS + " characters after trimming")));
        }
    }

    /** Thrown when no owner took the action in time; nothing was applied. */
    static RetriableHandoffException unanswered(String handoffId, String owner, java.time.Duration waited) {
        return new RetriableHandoffException("the instance running handoff " + handoffId + " (last known owner " + owner
                + ") did not take the action within " + waited.toMillis() + " ms; it may have stopped. Nothing was done; try again");
    }

    /** The owner's refusal ({@code KIND:message}) as the exception core's own handle would have thrown. */
    static RuntimeException refusal(String result) {
        String r = result == null ? "NON_RETRIABLE:refused" : result;
        int colon = r.indexOf(':');
        String kind = colon < 0 ? "NON_RETRIABLE" : r.substring(0, colon);
        String message = colon < 0 ? r : r.substring(colon + 1);
        return switch (kind) {
            case "VALIDATION", "ILLEGAL_ARGUMENT" -> new IllegalArgumentException(message);
            default -> new NonRetriableHandoffException(message);
        };
    }
}
