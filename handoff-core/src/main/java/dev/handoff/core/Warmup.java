package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.json.ContextJson;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs made-up chat handoffs end to end while {@link Handoff} is built, so the first customer's handoff does not
 * pay for class loading, lambda and record bootstraps, regex compilation, the JSON and validator caches, or for code
 * the JIT has not compiled yet. It runs on a private runtime of Handoff's own executors with throwaway parts (an
 * in-memory store and ledger, private chat queues, no listeners, no audit): a user's store, notifier, CRM, observer
 * and listeners never see it, and it keeps nothing.
 *
 * <p>One pass loads and bootstraps everything, but leaves most of the path interpreted: the first customer's
 * handoff then ran 3 to 25 times slower than the ones after it. The JVM compiles a method after a few hundred calls,
 * so the built-in steps (observer, packager, signer, tickets) run {@link #STEP_ROUNDS} times and the whole handoff
 * {@link #HANDOFF_ROUNDS} times; the repeats (each after its first, cold round) stop
 * when they have taken {@link #BUDGET} of wall time in all, so a starved machine runs fewer of them and
 * {@code build()} never waits longer than that for speed. Bounded: a stuck round gives up after {@link #LIMIT}.
 */
final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    private Warmup() {
    }

    static final java.time.Duration LIMIT = java.time.Duration.ofSeconds(5);
    /** Rounds of the built-in steps: enough calls for the JIT's first tier to compile them. */
    static final int STEP_ROUNDS = 300;
    /** Rounds of a whole handoff through the private runtime (orchestrator, events, queues, executors). */
    static final int HANDOFF_ROUNDS = 100;
    /** Wall time the repeated rounds may take in all (half for the steps, half for whole handoffs). */
    static final java.time.Duration BUDGET = java.time.Duration.ofMillis(1500);
    /** What is warmed is the JVM (classes, bootstraps, JIT), so once per class loader is enough. */
    private static final java.util.concurrent.atomic.AtomicBoolean DONE = new java.util.concurrent.atomic.AtomicBoolean();

    /** The whole path on a private runtime, once per class loader. */
    static void run(Components c, HandoffExecutors x, java.time.Clock clock) {
        if (DONE.compareAndSet(false, true)) {
            warm(c, x, clock);
        }
    }

    /** How many rounds a warm-up ran. */
    record Rounds(int steps, int handoffs) {
    }

    /** The rounds themselves; only speed is at stake, so any failure is logged at DEBUG and ends them. */
    static Rounds warm(Components c, HandoffExecutors x, java.time.Clock clock) {
        long start = System.nanoTime();
        int stepRounds = 0;
        long deadline = 0;
        while (stepRounds < STEP_ROUNDS && (stepRounds == 0 || System.nanoTime() - deadline < 0) && steps(c, stepRounds)) {
            if (stepRounds++ == 0) {   // the first round loads and bootstraps: the budget is for the repeats
                deadline = System.nanoTime() + BUDGET.toNanos() / 2;
            }
        }
        dev.handoff.core.chat.ChatQueues queues = dev.handoff.core.chat.ChatQueues.inMemory(clock, x.scheduler());
        Components own = new Components(c.triggerEvaluator(),
                c.packager() instanceof DefaultContextPackager ? c.packager() : new DefaultContextPackager(c.sentimentAnalyzer()),
                new dev.handoff.core.context.InMemoryCommitmentLedger(clock, dev.handoff.core.store.InMemoryContextStore.DEFAULT_RETENTION), java.util.Map.of(dev.handoff.api.TransferMode.QUEUE, queues),
                null, n -> { }, c.fallbackSummarizer(), c.fallbackSummarizer(), c.sentimentAnalyzer(),
                new dev.handoff.core.routing.DefaultRouter(), new dev.handoff.core.store.InMemoryContextStore(dev.handoff.core.store.InMemoryContextStore.DEFAULT_RETENTION, clock), r -> { },
                new dev.handoff.core.metrics.InMemoryMetricsSink(), c.signer(), c.tickets(), c.destinations(), BridgeScript.standard(),
                queues, null, dev.handoff.api.spi.HandoffPropagator.NONE);
        HandoffRuntime runtime = new HandoffRuntime(HandoffSettings.ofDefaults(), own, x, false, clock, List.of());
        int handoffRounds = 0;
        try {
            dev.handoff.core.chat.AgentQueue queue = queues.queue(dev.handoff.core.routing.DefaultRouter.DEFAULT_TARGET.address());
            queue.signIn("warmup");
            while (handoffRounds < HANDOFF_ROUNDS && (handoffRounds == 0 || System.nanoTime() - deadline < 0)) {
                handoff(runtime, queue, handoffRounds);
                if (handoffRounds++ == 0) {
                    deadline = System.nanoTime() + BUDGET.toNanos() / 2;
                }
            }
            LOG.debug("Warm-up ran the steps {} times and a whole handoff {} times in {} ms", stepRounds, handoffRounds,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            LOG.debug("Warm-up handoff skipped: {}", e.toString());
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            runtime.close();
        }
        return new Rounds(stepRounds, handoffRounds);
    }

    /** One made-up chat handoff through the private runtime, accepted by the warm-up's agent. */
    private static void handoff(HandoffRuntime runtime, dev.handoff.core.chat.AgentQueue queue, int round) throws Exception {
        java.util.concurrent.CompletableFuture<java.util.Optional<dev.handoff.core.chat.Offer>> offer = queue.next("warmup", LIMIT);
        HandoffSession s = runtime.open(SessionId.of("warmup-" + java.util.UUID.randomUUID()), Channel.CHAT, CustomerData.UNKNOWN);
        try {
            List<String> texts = conversation(round);
            HandoffDecision d = null;
            for (int i = 0; i < texts.size(); i++) {
                if (i % 2 == 0) {
                    d = s.customer(texts.get(i));
                } else {
                    s.ai(texts.get(i));
                }
            }
            if (d != null && d.isHandoff()) {
                java.util.concurrent.CompletableFuture<HandoffOutcome> outcome = s.handOff(d).toCompletableFuture();
                offer.get(LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).ifPresent(dev.handoff.core.chat.Offer::accept);
                outcome.get(LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } else {
                offer.cancel(false);
            }
        } finally {
            s.end("warm-up done");
        }
    }

    /** The conversation of a round: {@link WarmupConversations} in turn. */
    private static List<String> conversation(int round) {
        return WarmupConversations.ALL.get(round % WarmupConversations.ALL.size());
    }

    /**
     * The built-in steps on their own (JSON, validator, observer, packager, signer, tickets).
     *
     * @return false when a step failed, so repeating them is pointless
     */
    private static boolean steps(Components c, int round) {
        ContextJson.get().warmUp();
        try {
            Instant t = Instant.EPOCH;
            List<String> texts = conversation(round);
            List<Turn> turns = new java.util.ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                turns.add(new Turn(i, i % 2 == 0 ? Speaker.CUSTOMER : Speaker.AI, texts.get(i), t, null, false));
            }
            ConversationSnapshot view = ConversationSnapshot.of(SessionId.of("warmup"), Channel.CHAT, t, turns, null, CustomerData.UNKNOWN);
            HandoffDecision decision = HandoffDecision.handoff(Priority.NORMAL,
                    List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "warmup", "warm-up")), null);
            Summary summary = c.fallbackSummarizer().summarize(view, decision);
            if (c.packager() instanceof DefaultContextPackager packager) {
                HandoffContext signed = c.signer().sign(packager.pack(new PackagingRequest(view, decision, null, List.of(), summary, t)));
                c.signer().verify(signed);
                c.tickets().redeem(c.tickets().issue(signed.contextId()));
                c.bridgeScript().message(new BridgeScript.Moment(BridgeScript.Stage.STARTED, decision, signed, null, 0,
                        java.time.Duration.ofMinutes(1), 0));
            }
            Stages.within(new java.util.concurrent.CompletableFuture<String>(), java.time.Duration.ofDays(1), (d, task) -> () -> { },
                    () -> "").complete("warm");
            return true;
        } catch (RuntimeException e) {
            LOG.debug("Warm-up skipped: {}", e.toString());   // only speed is at stake
            return false;
        }
    }
}
