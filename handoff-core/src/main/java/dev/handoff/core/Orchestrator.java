package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.Priority;
import dev.handoff.api.Route;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.core.context.Envelope;
import dev.handoff.core.json.ContextJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs phases 2 to 5 of one handoff on a worker thread, as the state machine of {@link HandoffPhase}:
 * summarise (bounded, with a deterministic fallback), look up the CRM (bounded), package, sign and store the
 * context (PACKAGED), route (ROUTED), then for each target of the fallback chain: preflight (VALIDATED), notify
 * the agent side with the whisper (AGENT_NOTIFIED), give the agent the whisper lead before a voice bridge, and
 * transfer (TRANSFERRING). The first connected attempt passes ownership to the human (CONNECTED); when every
 * target fails the bot resumes (RETURNED_TO_BOT). Every phase has a timeout; no path ends the customer's
 * conversation. While the bot still owns the conversation it gets bridge messages to keep the customer engaged.
 */
final class Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Handoff handoff;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final ConcurrentMap<String, HandoffRun> byContext = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, HandoffRun> bySession = new ConcurrentHashMap<>();

    Orchestrator(Handoff handoff) {
        this.handoff = handoff;
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "handoff-io");
            t.setDaemon(true);
            return t;
        });
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "handoff-bridge-timer");
            t.setDaemon(true);
            return t;
        });
    }

    void start(HandoffSession session, HandoffDecision decision, CompletableFuture<HandoffOutcome> result) {
        Instant requested = handoff.clock().instant();
        handoff.events().publish(new HandoffEvent.HandoffRequested(session.id(), requested, decision));
        HandoffRun run = new HandoffRun("h-" + UUID.randomUUID(), session.id(), handoff.events(), handoff.clock());
        bySession.put(session.id(), run);
        audit("bot", AuditRecord.Action.HANDOFF_REQUESTED, session.id(), null, decision.action().name());
        try {
            handoff.workers().execute(() -> {
                MDC.put("handoff.session", session.id().value());
                try {
                    result.complete(run(run, session, decision, requested));
                } catch (RuntimeException e) {
                    LOG.error("Handoff of session {} failed unexpectedly; returning the conversation to the bot", session.id(), e);
                    result.complete(returnToBot(run, session, requested, List.of(), HandoffPhase.FAILED, "internal error: "
                            + e.getClass().getSimpleName()));
                } finally {
                    MDC.remove("handoff.session");
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(returnToBot(run, session, requested, List.of(), HandoffPhase.FAILED, "Handoff is shut down"));
        }
    }

    private HandoffOutcome run(HandoffRun run, HandoffSession session, HandoffDecision decision, Instant requested) {
        Summary summary = summarize(session, decision);
        CrmProfile profile = lookupProfile(session);
        HandoffContext unsigned = handoff.packager().pack(new PackagingRequest(session, decision, profile,
                handoff.commitmentLedger().commitments(session.id()), summary, handoff.clock().instant()));
        HandoffContext context = handoff.signer().sign(unsigned);
        handoff.contexts().put(context);
        String ticket = handoff.tickets().issue(context.contextId());
        run.contextId(context.contextId());
        byContext.put(context.contextId(), run);
        run.moveTo(HandoffPhase.PACKAGED);
        handoff.events().publish(new HandoffEvent.ContextPackaged(session.id(), handoff.clock().instant(), context.contextId(), ticket,
                ContextJson.get().write(context).length));
        audit("system", AuditRecord.Action.CONTEXT_PACKAGED, session.id(), context.contextId(), "ok");
        pushToCrm(context);
        bridge(session, BridgeScript.Stage.STARTED, decision, context, null);
        ScheduledFuture<?> stillWaiting = scheduleStillWaiting(run, session, decision, context);
        try {
            Route route = handoff.router().route(context, decision);
            run.moveTo(HandoffPhase.ROUTED);
            handoff.events().publish(new HandoffEvent.RouteSelected(session.id(), handoff.clock().instant(), route));

            List<TransferResult> attempts = new ArrayList<>();
            List<Target> targets = route.targets();
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get(i);
                Target next = i + 1 < targets.size() ? targets.get(i + 1) : null;
                if (i > 0) {
                    bridge(session, BridgeScript.Stage.RETRYING, decision, context, target);
                }
                TransferResult r = attempt(run, session, context, ticket, route, target);
                attempts.add(r);
                audit(r.agentId() != null ? r.agentId() : "system", AuditRecord.Action.TRANSFER_ATTEMPTED, session.id(),
                        context.contextId(), target.id().replaceAll("[^A-Za-z0-9_.:-]", "_") + ":" + r.outcome());
                if (r.connected()) {
                    stillWaiting.cancel(false);
                    run.moveTo(HandoffPhase.CONNECTED);
                    session.ownerChanged(HandoffSession.Owner.HUMAN);
                    Duration elapsed = Duration.between(requested, handoff.clock().instant());
                    handoff.events().publish(new HandoffEvent.HandoffCompleted(session.id(), handoff.clock().instant(), r, elapsed));
                    audit(r.agentId() != null ? r.agentId() : "system", AuditRecord.Action.HANDOFF_CONNECTED, session.id(),
                            context.contextId(), "connected");
                    checkVerified(session.id());
                    return new HandoffOutcome(session.id(), HandoffOutcome.Status.CONNECTED, context.contextId(), ticket, attempts,
                            elapsed, "");
                }
                handoff.events().publish(new HandoffEvent.TransferFailed(session.id(), handoff.clock().instant(), r, next));
            }
            return returnToBot(run, session, requested, attempts, HandoffPhase.RETURNED_TO_BOT,
                    "no specialist could take it (" + attempts.stream().map(a -> a.target().id() + ": " + a.outcome())
                            .collect(Collectors.joining(", ")) + ")");
        } finally {
            stillWaiting.cancel(false);
        }
    }

    private TransferResult attempt(HandoffRun run, HandoffSession session, HandoffContext context, String ticket, Route route,
                                   Target target) {
        TransferMode mode = switch (target.kind()) {
            case QUEUE, AGENT -> TransferMode.QUEUE;
            case SIP -> session.channel() == Channel.VOICE ? handoff.voiceMode() : TransferMode.COLD;
            case CALLBACK -> null;
        };
        if (mode == null) {
            return TransferResult.failed(TransferResult.Outcome.FAILED, target, TransferMode.QUEUE, null,
                    "callback targets are scheduled by the bot, not transferred", handoff.clock().instant());
        }
        Optional<TransferExecutor> executor = handoff.executor(mode);
        if (executor.isEmpty()) {
            return TransferResult.failed(TransferResult.Outcome.FAILED, target, mode, null,
                    "no TransferExecutor configured for " + mode, handoff.clock().instant());
        }
        Duration timeout = handoff.transferTimeout();
        TransferRequest request = new TransferRequest(session.id(), context.contextId(), ticket, target, mode, route.priority(),
                Map.of("X-Handoff-Priority", route.priority().name()), timeout);
        PreflightResult preflight = preflight(executor.get(), request);
        handoff.events().publish(new HandoffEvent.PreflightChecked(session.id(), handoff.clock().instant(), target, preflight));
        if (!preflight.ok()) {
            return TransferResult.failed(TransferResult.Outcome.PREFLIGHT_FAILED, target, mode, null, preflight.detail(),
                    handoff.clock().instant());
        }
        run.moveTo(HandoffPhase.VALIDATED);
        try {
            handoff.notifier().notify(new AgentNotification(target, context, ticket));
            run.moveTo(HandoffPhase.AGENT_NOTIFIED);
            handoff.events().publish(new HandoffEvent.AgentNotified(session.id(), handoff.clock().instant(), target, context.contextId()));
        } catch (RuntimeException e) {
            LOG.warn("Agent notifier failed for {} (session {}); transferring anyway, the ticket still redeems the context",
                    target.id(), session.id(), e);
        }
        if (mode != TransferMode.QUEUE) {
            awaitWhisper(run, route.priority());
        }
        run.moveTo(HandoffPhase.TRANSFERRING);
        handoff.events().publish(new HandoffEvent.TransferStarted(session.id(), handoff.clock().instant(), target, mode));
        try {
            return executor.get().transfer(request, (code, detail) -> handoff.events().publish(
                            new HandoffEvent.TransferProgress(session.id(), handoff.clock().instant(), target, code, detail)))
                    .toCompletableFuture().get(timeout.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return TransferResult.failed(TransferResult.Outcome.TIMED_OUT, target, mode, null,
                    "the executor did not finish within " + timeout.plus(GRACE).toMillis() + " ms", handoff.clock().instant());
        } catch (ExecutionException | RuntimeException e) {
            return TransferResult.failed(TransferResult.Outcome.FAILED, target, mode, null, "transfer failed: " + rootMessage(e),
                    handoff.clock().instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TransferResult.failed(TransferResult.Outcome.FAILED, target, mode, null, "interrupted", handoff.clock().instant());
        }
    }

    private PreflightResult preflight(TransferExecutor executor, TransferRequest request) {
        Duration timeout = handoff.preflightTimeout();
        try {
            return executor.preflight(request).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new PreflightResult(true, false, false, "preflight did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException | RuntimeException e) {
            return new PreflightResult(true, false, false, "preflight failed: " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PreflightResult(true, false, false, "interrupted");
        }
    }

    /** Gives the agent the whisper lead before a voice bridge; ends early when they confirm reading. */
    private void awaitWhisper(HandoffRun run, Priority priority) {
        Duration lead = priority == Priority.URGENT ? min(handoff.whisperLead(), Handoff.DEFAULT_URGENT_WHISPER_LEAD) : handoff.whisperLead();
        if (lead.isZero() || run.readBy.isDone()) {
            return;
        }
        try {
            run.readBy.get(lead.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debug("No read confirmation within the whisper lead of {}; bridging", lead);
        } catch (ExecutionException e) {
            LOG.debug("Read confirmation failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Called when the agent confirmed reading the whisper and history. */
    boolean confirmRead(String contextId, String agentId) {
        HandoffRun run = byContext.get(contextId);
        if (run == null) {
            return false;
        }
        synchronized (run) {
            if (run.readBy.isDone()) {
                return true;
            }
            handoff.events().publish(new HandoffEvent.ContextRead(run.sessionId(), handoff.clock().instant(), contextId, agentId));
            audit(agentId, AuditRecord.Action.CONTEXT_READ_CONFIRMED, run.sessionId(), contextId, "read");
            run.readBy.complete(agentId);
        }
        return true;
    }

    /** Moves a connected handoff to VERIFIED once no commitment of the session awaits verification. */
    void checkVerified(SessionId sessionId) {
        HandoffRun run = bySession.get(sessionId);
        if (run == null || run.phase() != HandoffPhase.CONNECTED) {
            return;
        }
        boolean pending = handoff.commitmentLedger().commitments(sessionId).stream()
                .anyMatch(c -> c.status() == Commitment.Status.PENDING_VERIFICATION);
        if (!pending) {
            run.moveTo(HandoffPhase.VERIFIED);
        }
    }

    /** The phase of the session's latest handoff. */
    Optional<HandoffPhase> phase(SessionId sessionId) {
        return Optional.ofNullable(bySession.get(sessionId)).map(HandoffRun::phase);
    }

    /** The session ended: drop its handoff state so a long-running process does not grow with every conversation. */
    void forget(SessionId sessionId) {
        HandoffRun run = bySession.remove(sessionId);
        if (run != null && run.contextId() != null) {
            byContext.remove(run.contextId(), run);
        }
    }

    /** The human handed the conversation back. */
    void handedBack(SessionId sessionId) {
        HandoffRun run = bySession.get(sessionId);
        if (run != null && !run.phase().isFinal()) {
            run.moveTo(HandoffPhase.RETURNED_TO_BOT);
        }
    }

    private ScheduledFuture<?> scheduleStillWaiting(HandoffRun run, HandoffSession session, HandoffDecision decision, HandoffContext context) {
        long every = handoff.bridgeInterval().toMillis();
        return timer.scheduleAtFixedRate(() -> {
            if (!run.phase().isFinal() && session.owner() == HandoffSession.Owner.HANDOFF_IN_PROGRESS) {
                bridge(session, BridgeScript.Stage.STILL_WAITING, decision, context, null);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void bridge(HandoffSession session, BridgeScript.Stage stage, HandoffDecision decision, HandoffContext context, Target target) {
        try {
            handoff.bridgeScript().message(stage, decision, context, target).ifPresent(text ->
                    handoff.events().publish(new HandoffEvent.BridgeMessage(session.id(), handoff.clock().instant(), text)));
        } catch (RuntimeException e) {
            LOG.warn("Bridge script failed at {} for session {}", stage, session.id(), e);
        }
    }

    private Summary summarize(HandoffSession session, HandoffDecision decision) {
        try {
            return CompletableFuture.supplyAsync(() -> handoff.summarizer().summarize(session, decision), io)
                    .get(handoff.summarizeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Summarizer {} exceeded {} for session {}; using the deterministic one", handoff.summarizer().getClass().getName(),
                    handoff.summarizeTimeout(), session.id());
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("Summarizer {} failed for session {}: {}; using the deterministic one", handoff.summarizer().getClass().getName(),
                    session.id(), rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return handoff.fallbackSummarizer().summarize(session, decision);
    }

    private CrmProfile lookupProfile(HandoffSession session) {
        Optional<CrmAdapter> crm = handoff.crmAdapter();
        if (crm.isEmpty()) {
            return null;
        }
        try {
            return CompletableFuture.supplyAsync(() -> crm.get().lookup(session.customer()), io)
                    .get(handoff.crmLookupTimeout().toMillis(), TimeUnit.MILLISECONDS).orElse(null);
        } catch (TimeoutException e) {
            LOG.warn("CRM {} lookup exceeded {} for session {}; packaging without the profile", crm.get().name(),
                    handoff.crmLookupTimeout(), session.id());
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("CRM {} lookup failed for session {}: {}; packaging without the profile", crm.get().name(), session.id(),
                    rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void pushToCrm(HandoffContext context) {
        handoff.crmAdapter().ifPresent(crm -> io.execute(() -> {
            try {
                Envelope envelope = handoff.destinations().forDestination(context, handoff.crmLimits());
                if (envelope.context() == null) {
                    LOG.warn("CRM {} gets no copy of context {}: {} (the ticket redeems it)", crm.name(), context.contextId(),
                            envelope.note());
                    return;
                }
                if (envelope.form() != Envelope.Form.FULL) {
                    LOG.info("CRM {} gets a {} of context {}: {}", crm.name(), envelope.form(), context.contextId(), envelope.note());
                }
                crm.push(envelope.context(), "handoff-" + context.contextId());
            } catch (RuntimeException e) {
                LOG.warn("CRM {} push of context {} failed: {} (use the durable outbox in handoff-crm-adapters to retry)",
                        crm.name(), context.contextId(), rootMessage(e));
            }
        }));
    }

    private HandoffOutcome returnToBot(HandoffRun run, HandoffSession session, Instant requested, List<TransferResult> attempts,
                                       HandoffPhase phase, String why) {
        session.ownerChanged(HandoffSession.Owner.BOT);
        if (!run.phase().isFinal()) {
            run.moveTo(phase);
        }
        // said to the customer: no internal target names; the reason with the targets goes in the event
        String summary = "I couldn't connect you with a specialist just now"
                + (attempts.size() > 1 ? ", though I tried " + attempts.size() + " teams" : "")
                + ", so I'll keep helping you myself. Everything you told me is saved, so nobody will ask you to repeat it.";
        handoff.events().publish(new HandoffEvent.ReturnedToBot(session.id(), handoff.clock().instant(), why, summary));
        audit("system", AuditRecord.Action.RETURNED_TO_BOT, session.id(), run.contextId(), phase.name());
        return new HandoffOutcome(session.id(), HandoffOutcome.Status.RETURNED_TO_BOT, run.contextId(),
                run.contextId() == null ? null : handoff.tickets().issue(run.contextId()), attempts,
                Duration.between(requested, handoff.clock().instant()), summary);
    }

    void audit(String actor, AuditRecord.Action action, SessionId sessionId, String contextId, String outcome) {
        try {
            handoff.auditSink().record(new AuditRecord(handoff.clock().instant(), actor, action, sessionId, contextId, outcome));
        } catch (RuntimeException e) {
            LOG.warn("Audit sink failed to record {} for session {}", action, sessionId, e);
        }
    }

    void close() {
        timer.shutdownNow();
        io.shutdownNow();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
