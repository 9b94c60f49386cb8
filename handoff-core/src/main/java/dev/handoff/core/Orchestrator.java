package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.PreflightResult;
import dev.handoff.api.Route;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.core.json.ContextJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs phases 2 to 5 of one handoff on a worker thread: summarise, look up the CRM, package, sign and store
 * the context, route, then for each target in the fallback chain: preflight, notify the agent side, transfer.
 * The first connected attempt passes ownership to the human; when every target fails the bot resumes. The
 * customer is never dropped: no path here ends the conversation.
 */
final class Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Handoff handoff;
    private final ExecutorService io;

    Orchestrator(Handoff handoff) {
        this.handoff = handoff;
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "handoff-io");
            t.setDaemon(true);
            return t;
        });
    }

    void start(HandoffSession session, HandoffDecision decision, CompletableFuture<HandoffOutcome> result) {
        Instant requested = handoff.clock().instant();
        handoff.events().publish(new HandoffEvent.HandoffRequested(session.id(), requested, decision));
        try {
            handoff.workers().execute(() -> {
                MDC.put("handoff.session", session.id().value());
                try {
                    result.complete(run(session, decision, requested));
                } catch (RuntimeException e) {
                    LOG.error("Handoff of session {} failed unexpectedly; returning the conversation to the bot", session.id(), e);
                    result.complete(returnToBot(session, requested, null, null, List.of(), "internal error: " + e.getMessage()));
                } finally {
                    MDC.remove("handoff.session");
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(returnToBot(session, requested, null, null, List.of(), "Handoff is shut down"));
        }
    }

    private HandoffOutcome run(HandoffSession session, HandoffDecision decision, Instant requested) {
        Summary summary = summarize(session, decision);
        CrmProfile profile = lookupProfile(session);
        HandoffContext unsigned = handoff.packager().pack(new PackagingRequest(session, decision, profile,
                handoff.commitmentLedger().commitments(session.id()), summary, handoff.clock().instant()));
        HandoffContext context = handoff.signer().sign(unsigned);
        handoff.contexts().put(context);
        String ticket = handoff.tickets().issue(context.contextId());
        handoff.events().publish(new HandoffEvent.ContextPackaged(session.id(), handoff.clock().instant(), context.contextId(), ticket,
                ContextJson.get().write(context).length));
        pushToCrm(context);

        Route route = handoff.router().route(context, decision);
        handoff.events().publish(new HandoffEvent.RouteSelected(session.id(), handoff.clock().instant(), route));

        List<TransferResult> attempts = new ArrayList<>();
        List<Target> targets = route.targets();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            Target next = i + 1 < targets.size() ? targets.get(i + 1) : null;
            TransferResult r = attempt(session, context, ticket, route, target);
            attempts.add(r);
            if (r.connected()) {
                session.ownerChanged(HandoffSession.Owner.HUMAN);
                Duration elapsed = Duration.between(requested, handoff.clock().instant());
                handoff.events().publish(new HandoffEvent.HandoffCompleted(session.id(), handoff.clock().instant(), r, elapsed));
                return new HandoffOutcome(session.id(), HandoffOutcome.Status.CONNECTED, context.contextId(), ticket, attempts, elapsed, "");
            }
            handoff.events().publish(new HandoffEvent.TransferFailed(session.id(), handoff.clock().instant(), r, next));
        }
        return returnToBot(session, requested, context.contextId(), ticket, attempts,
                "no specialist could take it (" + attempts.stream().map(a -> a.target().id() + ": " + a.outcome())
                        .collect(Collectors.joining(", ")) + ")");
    }

    private TransferResult attempt(HandoffSession session, HandoffContext context, String ticket, Route route, Target target) {
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
        PreflightResult preflight;
        try {
            preflight = executor.get().preflight(request).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            preflight = new PreflightResult(true, false, false, "preflight did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException | RuntimeException e) {
            preflight = new PreflightResult(true, false, false, "preflight failed: " + rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            preflight = new PreflightResult(true, false, false, "interrupted");
        }
        handoff.events().publish(new HandoffEvent.PreflightChecked(session.id(), handoff.clock().instant(), target, preflight));
        if (!preflight.ok()) {
            return TransferResult.failed(TransferResult.Outcome.PREFLIGHT_FAILED, target, mode, null, preflight.detail(),
                    handoff.clock().instant());
        }
        try {
            handoff.notifier().notify(new AgentNotification(target, context, ticket));
            handoff.events().publish(new HandoffEvent.AgentNotified(session.id(), handoff.clock().instant(), target, context.contextId()));
        } catch (RuntimeException e) {
            LOG.warn("Agent notifier failed for {} (session {}); transferring anyway, the ticket still redeems the context",
                    target.id(), session.id(), e);
        }
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

    private Summary summarize(HandoffSession session, HandoffDecision decision) {
        try {
            return handoff.summarizer().summarize(session, decision);
        } catch (RuntimeException e) {
            LOG.warn("Summarizer {} failed for session {}; using the deterministic one", handoff.summarizer().getClass().getName(),
                    session.id(), e);
            return handoff.fallbackSummarizer().summarize(session, decision);
        }
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
                crm.push(context, "handoff-" + context.contextId());
            } catch (RuntimeException e) {
                LOG.warn("CRM {} push of context {} failed: {} (use the durable outbox in handoff-crm-adapters to retry)",
                        crm.name(), context.contextId(), rootMessage(e));
            }
        }));
    }

    private HandoffOutcome returnToBot(HandoffSession session, Instant requested, String contextId, String ticket,
                                       List<TransferResult> attempts, String why) {
        session.ownerChanged(HandoffSession.Owner.BOT);
        String summary = "I couldn't connect you with a specialist just now, so I'll keep helping you myself"
                + (attempts.isEmpty() ? "." : " and make sure someone follows up.");
        handoff.events().publish(new HandoffEvent.ReturnedToBot(session.id(), handoff.clock().instant(), why, summary));
        return new HandoffOutcome(session.id(), HandoffOutcome.Status.RETURNED_TO_BOT, contextId, ticket, attempts,
                Duration.between(requested, handoff.clock().instant()), summary);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
