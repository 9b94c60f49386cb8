package dev.handoff.core;

import dev.handoff.api.TransferResult;
import dev.handoff.api.spi.AuditRecord;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handoff changing owner between instances, for the {@link Orchestrator}: this instance losing one it drove
 * ({@link #lost}) and taking over one whose owner died ({@link #adopt}). Both end in the orchestrator's own
 * outcomes ({@link Orchestrator#resume}, {@link Orchestrator#connected}), so a taken-over handoff is decided exactly
 * once like any other.
 */
final class Takeover {

    private static final Logger LOG = LoggerFactory.getLogger(Takeover.class);

    private final Orchestrator o;

    Takeover(Orchestrator o) {
        this.o = o;
    }

    /**
     * Another instance owns this handoff now ({@link HandoffOwnership.Host#lost}): it stops here, the bot resumes
     * with {@link HandoffOutcome.Cause#OWNER_LOST}, and the running attempt is cancelled like any other.
     */
    void lost(String handoffId) {
        for (HandoffRun run : o.running()) {
            if (run.id().equals(handoffId) && !run.finished()) {
                LOG.warn("Handoff {} of session {} is owned by another instance now; this instance stops driving it", handoffId,
                        run.session().id());
                run.ownedElsewhere();
                o.resume(run, HandoffOutcome.Cause.OWNER_LOST, "another instance took the handoff over");
            }
        }
    }

    /**
     * Continues a handoff whose owner died ({@link HandoffOwnership.Host#adopt}): waits for the attempt still under
     * way, within what is left of the wait limit, or returns the customer to the bot at once.
     */
    CompletableFuture<HandoffOutcome> adopt(HandoffSession session, HandoffOwnership.Adoption a) {
        HandoffRun run = new HandoffRun(a.handoffId(), session, a.decision(), a.requestedAt(), a.waitUntil(), a.phase(), o.events,
                o.clock, o.ownership);
        HandoffRun previous = o.track(session.id(), run);
        if (previous != null && !previous.finished()) {
            previous.ownedElsewhere();
            o.resume(previous, HandoffOutcome.Cause.OWNER_LOST, "superseded by the adopted handoff " + a.handoffId());
        }
        if (a.contextId() != null) {
            o.c.store().get(a.contextId()).ifPresent(context -> {
                run.packaged(context, a.ticket());
                o.packagedAs(context.contextId(), run);
            });
        }
        o.audit.record("system", AuditRecord.Action.HANDOFF_REQUESTED, session.id(), a.contextId(), "ADOPTED");
        CompletionStage<TransferResult> attempt = a.attempt();
        if (attempt == null || run.remainingWait().isZero()) {
            o.step(run, () -> o.resume(run, HandoffOutcome.Cause.OWNER_LOST, a.reason()));
            return run.outcome();
        }
        CompletableFuture<TransferResult> stage = attempt.toCompletableFuture();
        run.current(stage);
        Stages.within(stage, run.remainingWait(), o.x.scheduler(), () -> null)
                .handle((r, e) -> r)
                .thenAccept(r -> o.step(run, () -> {
                    if (run.finished()) {
                        return;
                    }
                    if (r != null) {
                        run.attempted(r);
                        o.audit.record(r.agentId() != null ? r.agentId() : "system", AuditRecord.Action.TRANSFER_ATTEMPTED, session.id(),
                                run.contextId(), AuditRecord.code(r.target().id()) + ":" + r.outcome());
                    }
                    if (r != null && r.connected()) {
                        o.connected(run, r, null);
                    } else {
                        o.resume(run, HandoffOutcome.Cause.OWNER_LOST, a.reason() + (r == null ? "; the open attempt did not finish in time"
                                : "; the open attempt ended " + r.outcome()));
                    }
                }));
        return run.outcome();
    }
}
