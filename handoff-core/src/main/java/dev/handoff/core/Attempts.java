package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.Priority;
import dev.handoff.api.Route;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.TransferExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback chain of one handoff: for each target in turn, preflight (VALIDATED), notify the agent side
 * (AGENT_NOTIFIED), give a voice agent the whisper lead, transfer (TRANSFERRING); the first connected attempt
 * decides the outcome, a failed one moves on to the next target, and when none is left (or the customer's wait
 * limit has passed) the bot resumes. Each wait is a stage bounded by what is left of the wait limit; none parks a
 * thread.
 */
final class Attempts {

    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);
    /** Extra time an executor gets to report after its own timeout before the attempt counts as timed out. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final Orchestrator o;

    Attempts(Orchestrator o) {
        this.o = o;
    }

    /** Tries target {@code i} of the route, or ends the handoff when none is left. */
    void next(HandoffRun run, Route route, int i) {
        if (run.finished()) {
            return;
        }
        List<Target> targets = route.targets();
        if (i >= targets.size()) {
            o.allFailed(run);
            return;
        }
        Duration left = run.remainingWait();
        if (left.isZero()) {
            o.resume(run, HandoffOutcome.Cause.WAIT_LIMIT, "the wait limit of " + o.settings.maxWait() + " passed after "
                    + run.attempts().size() + " attempt(s)");
            return;
        }
        Target target = targets.get(i);
        if (i > 0) {
            o.bridge(run, BridgeScript.Stage.RETRYING, target, 0);
        }
        SessionId id = run.session().id();
        TransferMode mode = switch (target.kind()) {
            case QUEUE, AGENT -> TransferMode.QUEUE;
            case SIP -> run.session().channel() == Channel.VOICE ? o.settings.voiceMode() : TransferMode.COLD;
            case CALLBACK -> null;
        };
        if (mode == null) {
            failed(run, route, i, TransferResult.failed(TransferResult.Outcome.FAILED, target, TransferMode.QUEUE, null,
                    "callback targets are scheduled by the bot, not transferred", o.clock.instant()));
            return;
        }
        Optional<TransferExecutor> executor = o.c.executor(mode);
        if (executor.isEmpty()) {
            failed(run, route, i, TransferResult.failed(TransferResult.Outcome.FAILED, target, mode, null,
                    "no TransferExecutor configured for " + mode, o.clock.instant()));
            return;
        }
        TransferRequest request = new TransferRequest(id, run.contextId(), run.ticket(), target, mode, route.priority(),
                Propagation.headers(o.c.propagator(), id, Map.of("X-Handoff-Priority", route.priority().name())),
                Stages.min(o.settings.transferTimeout(), left));
        Duration budget = Stages.min(o.settings.preflightTimeout(), left);
        CompletableFuture<PreflightResult> preflight;
        try {
            preflight = executor.get().preflight(request).toCompletableFuture();
        } catch (RuntimeException e) {
            preflight = CompletableFuture.failedFuture(e);
        }
        run.current(preflight);
        CompletableFuture<PreflightResult> checked = Stages.within(preflight, budget, o.x.scheduler(),
                        () -> new PreflightResult(true, false, false, "preflight did not answer within " + budget.toMillis() + " ms"))
                .handle((r, e) -> r != null ? r : new PreflightResult(true, false, false, "preflight failed: " + Stages.rootMessage(e)));
        if (checked.isDone()) {
            preflighted(run, route, i, executor.get(), request, checked.join());   // already on a worker: no extra hop
        } else {
            checked.thenAccept(r -> o.step(run, () -> preflighted(run, route, i, executor.get(), request, r)));
        }
    }

    private void preflighted(HandoffRun run, Route route, int i, TransferExecutor executor, TransferRequest request, PreflightResult r) {
        if (run.finished()) {
            return;
        }
        SessionId id = run.session().id();
        Target target = request.target();
        run.emit(new HandoffEvent.PreflightChecked(id, o.clock.instant(), target, r), false);
        if (!r.ok()) {
            failed(run, route, i, TransferResult.failed(TransferResult.Outcome.PREFLIGHT_FAILED, target, request.mode(), null, r.detail(),
                    o.clock.instant()));
            return;
        }
        run.moveTo(HandoffPhase.VALIDATED);
        try {
            o.c.notifier().notify(new AgentNotification(target, run.context(), run.ticket(), o.actions(run.contextId()).orElseThrow()));
            run.moveTo(HandoffPhase.AGENT_NOTIFIED);
            run.emit(new HandoffEvent.AgentNotified(id, o.clock.instant(), target, run.contextId()), false);
        } catch (RuntimeException e) {
            LOG.warn("Agent notifier failed for {} (session {}); transferring anyway, the ticket still redeems the context",
                    target.id(), id, e);
        }
        Duration lead = request.mode() == TransferMode.QUEUE ? Duration.ZERO : whisperLead(run, route.priority());
        if (lead.isZero() || run.readBy.isDone()) {
            transfer(run, route, i, executor, request);
            return;
        }
        CompletableFuture<String> read = Stages.within(run.readBy.copy(), lead, o.x.scheduler(), () -> null);
        run.current(read);
        read.whenComplete((agent, e) -> o.step(run, () -> {
            if (agent == null) {
                LOG.debug("No read confirmation within the whisper lead of {}; bridging", lead);
            }
            transfer(run, route, i, executor, request);
        }));
    }

    /** The whisper lead before a voice bridge: capped for URGENT handoffs and by what is left of the wait limit. */
    private Duration whisperLead(HandoffRun run, Priority priority) {
        Duration lead = o.settings.whisperLead();
        if (priority == Priority.URGENT) {
            lead = Stages.min(lead, o.settings.urgentWhisperLead());
        }
        return Stages.min(lead, run.remainingWait());
    }

    private void transfer(HandoffRun run, Route route, int i, TransferExecutor executor, TransferRequest request) {
        if (!run.starting()) {
            return;
        }
        SessionId id = run.session().id();
        Target target = request.target();
        run.moveTo(HandoffPhase.TRANSFERRING);
        run.emit(new HandoffEvent.TransferStarted(id, o.clock.instant(), target, request.mode()), true);
        CompletableFuture<TransferResult> stage;
        try {
            stage = executor.transfer(request, (code, detail) -> run.emit(
                    new HandoffEvent.TransferProgress(id, o.clock.instant(), target, code, detail), true)).toCompletableFuture();
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        run.started(stage);
        Duration limit = request.timeout().plus(GRACE);
        Stages.within(stage, limit, o.x.scheduler(), () -> TransferResult.failed(TransferResult.Outcome.TIMED_OUT, target,
                        request.mode(), null, "the executor did not finish within " + limit.toMillis() + " ms", o.clock.instant()))
                .handle((r, e) -> r != null ? r : TransferResult.failed(TransferResult.Outcome.FAILED, target, request.mode(), null,
                        "transfer failed: " + Stages.rootMessage(e), o.clock.instant()))
                .thenAccept(r -> o.step(run, () -> transferred(run, route, i, r)));
    }

    private void transferred(HandoffRun run, Route route, int i, TransferResult r) {
        if (run.finished()) {
            if (r.connected()) {
                LOG.warn("Target {} reported session {} connected after the handoff had ended; the bot kept the conversation",
                        r.target().id(), run.session().id());
            }
            return;
        }
        run.attempted(r);
        AuditRecord attempt = o.audit.entry(r.agentId() != null ? r.agentId() : "system", AuditRecord.Action.TRANSFER_ATTEMPTED,
                run.session().id(), run.contextId(), AuditRecord.code(r.target().id()) + ":" + r.outcome());
        if (r.connected()) {
            o.connected(run, r, attempt);   // written with HANDOFF_CONNECTED: one write, before the outcome is visible
        } else {
            o.audit.recordAll(List.of(attempt));
            failedAfterAttempt(run, route, i, r);
        }
    }

    private void failed(HandoffRun run, Route route, int i, TransferResult r) {
        run.attempted(r);
        o.audit.record("system", AuditRecord.Action.TRANSFER_ATTEMPTED, run.session().id(), run.contextId(),
                AuditRecord.code(r.target().id()) + ":" + r.outcome());
        failedAfterAttempt(run, route, i, r);
    }

    private void failedAfterAttempt(HandoffRun run, Route route, int i, TransferResult r) {
        List<Target> targets = route.targets();
        Target next = i + 1 < targets.size() ? targets.get(i + 1) : null;
        run.emit(new HandoffEvent.TransferFailed(run.session().id(), o.clock.instant(), r, next), false);
        next(run, route, i + 1);
    }
}
