package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffFeedback;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Reason;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TransferResult;
import dev.handoff.api.Turn;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CommitmentLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@link AgentActions} of one handoff: each action updates the ledger, publishes its event, writes its audit
 * record and moves the phase, in that order, in one call. A copy made by {@link #from} differs only in the client
 * address its audit records carry.
 */
final class RunActions implements AgentActions {

    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    private final Orchestrator o;
    private final HandoffRun run;
    private final String clientAddress;

    RunActions(Orchestrator o, HandoffRun run) {
        this(o, run, null);
    }

    private RunActions(Orchestrator o, HandoffRun run, String clientAddress) {
        this.o = o;
        this.run = run;
        this.clientAddress = clientAddress;
    }

    @Override
    public AgentActions from(String address) {
        if (address != null && !ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("client address must be an IPv4 or IPv6 literal, was \"" + AuditRecord.code(address) + "\"");
        }
        return Objects.equals(address, clientAddress) ? this : new RunActions(o, run, address);
    }

    @Override
    public String handoffId() {
        return run.id();
    }

    @Override
    public SessionId sessionId() {
        return run.session().id();
    }

    @Override
    public String contextId() {
        return run.contextId();
    }

    @Override
    public boolean confirmRead(String agentId) {
        Objects.requireNonNull(agentId, "agentId");
        if (run.phase().isFinal()) {
            return false;
        }
        if (run.read(agentId, new HandoffEvent.ContextRead(sessionId(), o.clock.instant(), contextId(), agentId))) {
            o.audit.record(agentId, AuditRecord.Action.CONTEXT_READ_CONFIRMED, sessionId(), contextId(), "read", clientAddress);
        }
        return true;
    }

    @Override
    public List<Commitment> commitments() {
        return o.c.ledger().commitments(sessionId());
    }

    @Override
    public Commitment confirm(String commitmentId, String agentId) {
        return verify(commitmentId, Commitment.Status.CONFIRMED, null, agentId);
    }

    @Override
    public Commitment correct(String commitmentId, String correctedValue, String agentId) {
        return verify(commitmentId, Commitment.Status.CORRECTED, correctedValue, agentId);
    }

    @Override
    public Commitment revoke(String commitmentId, String agentId) {
        return verify(commitmentId, Commitment.Status.REVOKED, null, agentId);
    }

    private Commitment verify(String commitmentId, Commitment.Status status, String value, String agentId) {
        Objects.requireNonNull(commitmentId, "commitmentId");
        Objects.requireNonNull(agentId, "agentId");
        ensureOpen();
        return apply(commitmentId, status, value, agentId);
    }

    /** A verdict to the ledger, its event, its audit record, the verification check and its write-back to the CRM. */
    private Commitment apply(String commitmentId, Commitment.Status status, String value, String agentId) {
        Commitment before = o.c.ledger().commitments(sessionId()).stream().filter(c -> c.id().equals(commitmentId)).findFirst().orElse(null);
        Commitment updated = o.deadlines.verify(sessionId(), commitmentId,
                new CommitmentLedger.Verification(status, value, agentId, o.clock.instant()));
        AuditRecord.Action action = switch (updated.status()) {
            case CONFIRMED -> AuditRecord.Action.COMMITMENT_CONFIRMED;
            case CORRECTED -> AuditRecord.Action.COMMITMENT_CORRECTED;
            default -> AuditRecord.Action.COMMITMENT_REVOKED;
        };
        o.audit.record(agentId, action, sessionId(), contextId(), updated.id() + ":" + updated.status(), clientAddress);
        o.checkVerified(run);
        if (before == null || before.status() != updated.status() || !Objects.equals(before.correctedValue(), updated.correctedValue())) {
            o.crm.verdict(sessionId(), contextId(), updated);   // a repeated verdict (a double click, a retried request) is written once
        }
        return updated;
    }

    @Override
    public List<Commitment> feedback(HandoffFeedback feedback) {
        Objects.requireNonNull(feedback, "feedback");
        FeedbackCheck.require(feedback, run.context() == null ? 0 : run.context().transcript().size());
        List<Commitment> before = commitments();
        List<HandoffFeedback.CommitmentVerdict> changes = new ArrayList<>();
        for (HandoffFeedback.CommitmentVerdict v : feedback.commitments()) {
            Commitment c = before.stream().filter(x -> x.id().equals(v.commitmentId())).findFirst()
                    .orElseThrow(() -> new NonRetriableHandoffException("no commitment \"" + v.commitmentId() + "\" in session " + sessionId()));
            boolean same = c.status() == v.verdict().status() && Objects.equals(c.correctedValue(), v.correctedValue());
            if (c.status() == Commitment.Status.REVOKED && !same) {
                throw new NonRetriableHandoffException("commitment " + c.id() + " of session " + sessionId() + " was already revoked by "
                        + c.verifiedBy() + "; its verdict cannot change");
            }
            if (!same) {
                changes.add(v);
            }
        }
        for (HandoffFeedback.CommitmentVerdict v : changes) {
            apply(v.commitmentId(), v.verdict().status(), v.correctedValue(), feedback.agentId());
        }
        List<Reason> reasons = run.decision().reasons();
        run.emit(new HandoffEvent.FeedbackGiven(sessionId(), o.clock.instant(), handoffId(), contextId(),
                reasons.isEmpty() ? null : reasons.get(0).kind(), feedback), false);
        long wrong = feedback.whisper().values().stream().filter(a -> a == HandoffFeedback.Accuracy.INACCURATE).count();
        o.audit.record(feedback.agentId(), AuditRecord.Action.FEEDBACK_GIVEN, sessionId(), contextId(), feedback.escalation()
                + (feedback.resolved() ? ":resolved" : ":unresolved") + (feedback.customerEffort() == null ? "" : ":effort-"
                + feedback.customerEffort()) + ":wrong-" + wrong, clientAddress);
        return commitments();
    }

    @Override
    public void handBack(String agentId, String note) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(note, "note");
        String text = note.strip();
        checkLength("note", text, true);
        ensureOpen();
        HandoffPhase phase = run.phase();
        if (phase != HandoffPhase.CONNECTED && phase != HandoffPhase.VERIFIED) {
            throw new NonRetriableHandoffException("handoff " + handoffId() + " is " + phase
                    + "; only a connected handoff can be handed back (decline the offer instead)");
        }
        String line = o.resumeLine(run, BridgeScript.Stage.HANDED_BACK);
        String by = "Handed back by " + AuditRecord.code(agentId);
        if (!text.isEmpty()) {
            // while the human still owns it: part of the transcript, never evaluated as a trigger
            run.session().append(Speaker.SYSTEM, by + ": " + text, null);
        }
        String reason = "handed back by " + AuditRecord.code(agentId) + (text.isEmpty() ? "" : ": " + text);
        run.session().ownerChanged(HandoffSession.Owner.BOT);
        if (run.after(HandoffPhase.RETURNED_TO_BOT, new HandoffEvent.ReturnedToBot(sessionId(), o.clock.instant(), reason, line))) {
            o.deadlines.cancel(sessionId());
            o.audit.record(agentId, AuditRecord.Action.RETURNED_TO_BOT, sessionId(), contextId(), "handed_back", clientAddress);
        }
    }

    @Override
    public Turn send(String agentId, String text) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(text, "text");
        String body = text.strip();
        checkLength("text", body, false);
        ensureOpen();
        HandoffPhase phase = run.phase();
        if (phase != HandoffPhase.CONNECTED && phase != HandoffPhase.VERIFIED) {
            throw new NonRetriableHandoffException("handoff " + handoffId() + " is " + phase
                    + "; messages reach the customer only once a human has the chat");
        }
        if (run.session().channel() != Channel.CHAT) {
            throw new NonRetriableHandoffException("session " + sessionId() + " is a " + run.session().channel()
                    + " conversation; speak to the customer on the call");
        }
        String owner = connectedAgent();
        if (owner != null && !owner.equals(agentId)) {
            throw new NonRetriableHandoffException("the chat of session " + sessionId() + " belongs to another agent");
        }
        Turn turn = run.session().append(Speaker.AGENT, body, null);
        run.emit(new HandoffEvent.AgentMessage(sessionId(), turn.timestamp(), handoffId(), agentId, turn), false);
        o.audit.record(agentId, AuditRecord.Action.AGENT_MESSAGE_SENT, sessionId(), contextId(), "turn:" + turn.index(),
                clientAddress);
        return turn;
    }

    /** The agent the transfer connected, when the executor named one (a chat queue does). */
    private String connectedAgent() {
        List<TransferResult> attempts = run.attempts();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (attempts.get(i).connected()) {
                return attempts.get(i).agentId();
            }
        }
        return null;
    }

    /** A message or note: its length, never its text, goes into the exception. */
    private static void checkLength(String field, String text, boolean mayBeEmpty) {
        if ((!mayBeEmpty && text.isEmpty()) || text.length() > MAX_MESSAGE_CHARS) {
            throw new ValidationException("agent " + field, List.of(new Violation(field, text.length() + " characters",
                    (mayBeEmpty ? "at most " : "1 to ") + MAX_MESSAGE_CHARS + " characters after trimming")));
        }
    }

    private void ensureOpen() {
        if (run.phase().isFinal() || run.session().isEnded()) {
            throw new NonRetriableHandoffException("handoff " + handoffId() + " of session " + sessionId()
                    + " has ended; the human side can no longer act on it");
        }
    }
}
