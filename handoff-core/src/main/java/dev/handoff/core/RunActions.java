package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CommitmentLedger;
import java.util.List;
import java.util.Objects;

/**
 * The {@link AgentActions} of one handoff: each action updates the ledger, publishes its event, writes its audit
 * record and moves the phase, in that order, in one call.
 */
final class RunActions implements AgentActions {

    private final Orchestrator o;
    private final HandoffRun run;

    RunActions(Orchestrator o, HandoffRun run) {
        this.o = o;
        this.run = run;
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
            o.audit.record(agentId, AuditRecord.Action.CONTEXT_READ_CONFIRMED, sessionId(), contextId(), "read");
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
        Commitment updated = o.deadlines.verify(sessionId(), commitmentId,
                new CommitmentLedger.Verification(status, value, agentId, o.clock.instant()));
        AuditRecord.Action action = switch (updated.status()) {
            case CONFIRMED -> AuditRecord.Action.COMMITMENT_CONFIRMED;
            case CORRECTED -> AuditRecord.Action.COMMITMENT_CORRECTED;
            default -> AuditRecord.Action.COMMITMENT_REVOKED;
        };
        o.audit.record(agentId, action, sessionId(), contextId(), updated.id() + ":" + updated.status());
        o.checkVerified(run);
        return updated;
    }

    @Override
    public void handBack(String agentId, String note) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(note, "note");
        HandoffPhase phase = run.phase();
        if (phase != HandoffPhase.CONNECTED && phase != HandoffPhase.VERIFIED) {
            throw new NonRetriableHandoffException("handoff " + handoffId() + " is " + phase
                    + "; only a connected handoff can be handed back (decline the offer instead)");
        }
        String line = o.resumeLine(run, BridgeScript.Stage.HANDED_BACK);
        String reason = "handed back by " + Audit.code(agentId) + (note.isBlank() ? "" : ": " + note.strip());
        run.session().ownerChanged(HandoffSession.Owner.BOT);
        if (run.after(HandoffPhase.RETURNED_TO_BOT, new HandoffEvent.ReturnedToBot(sessionId(), o.clock.instant(), reason, line))) {
            o.deadlines.cancel(sessionId());
            o.audit.record(agentId, AuditRecord.Action.RETURNED_TO_BOT, sessionId(), contextId(), "handed_back");
        }
    }

    private void ensureOpen() {
        if (run.phase().isFinal() || run.session().isEnded()) {
            throw new NonRetriableHandoffException("handoff " + handoffId() + " of session " + sessionId()
                    + " has ended; its commitments can no longer be verified through it");
        }
    }
}
