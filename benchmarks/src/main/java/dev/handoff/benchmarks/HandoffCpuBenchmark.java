package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import java.time.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU one chat handoff spends between the trigger and the agent's notification, stage by stage, on the session
 * the {@link ConcurrentHandoffHarness} hands off ({@code turns=2}: one complaint sentence, then "I want to talk to a
 * person") and on a longer one ({@code turns=20}, the harness's sentences in turn): the deterministic observer's
 * summary, packaging (with schema validation), and signing. A burst of N handoffs at once on C cores cannot be
 * served faster than N x (the sum of these) / C, so this is the number that bounds the harness's burst p99.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar HandoffCpuBenchmark -prof gc}. On a machine that other
 * builds share, wall-clock averages swing with the load; {@link #main} measures the same operations in the thread's
 * own CPU time instead (best of 5 rounds after a warm-up; {@code -Dturns}, {@code -Drounds} and {@code -Dsentence}
 * as {@link #main} says): {@code java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.HandoffCpuBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HandoffCpuBenchmark {

    /** Keeps the results alive so the JIT cannot drop the work measured by {@link #main}. */
    static volatile Object sink;

    @Param({"2", "20"})
    public int turns;

    private ConversationSnapshot view;
    private HandoffDecision decision;
    private DeterministicSummarizer observer;
    private DefaultContextPackager packager;
    private ContextSigner signer;
    private Summary summary;
    private PackagingRequest request;

    @Setup
    public void setUp() {
        LexiconSentimentAnalyzer sentiment = new LexiconSentimentAnalyzer();
        observer = new DeterministicSummarizer(sentiment);
        packager = new DefaultContextPackager(sentiment);
        signer = new ContextSigner(SigningKeys.ephemeral(), Clock.systemUTC());
        List<Turn> list = new ArrayList<>();
        int first = Integer.getInteger("sentence", 0);   // which of the harness's sentences the session starts with
        Instant now = Instant.now();
        for (int t = 0; t < turns - 1; t++) {
            boolean customer = t % 2 == 0 || turns == 2;
            String[] pool = customer ? BenchTexts.HARNESS_CUSTOMER : BenchTexts.HARNESS_AI;
            list.add(new Turn(t, customer ? Speaker.CUSTOMER : Speaker.AI, pool[(t / 2 + first) % pool.length], now, null, false));
        }
        list.add(new Turn(turns - 1, Speaker.CUSTOMER, "I want to talk to a person", now, null, false));
        view = ConversationSnapshot.of(SessionId.of("cpu-" + turns), Channel.CHAT, now, list, null, CustomerData.UNKNOWN);
        decision = new RuleTriggerEvaluator().evaluate(view, list.get(list.size() - 1));
        if (!decision.isHandoff()) {
            throw new IllegalStateException("the last turn must trigger a handoff: " + decision);
        }
        summary = observer.summarize(view, decision);
        request = new PackagingRequest(view, decision, null, List.of(), summary, now);
    }

    /** The deterministic observer: ledger, BANT, pain, timeline, sentiment, whisper. */
    @Benchmark
    public Summary summarize() {
        return observer.summarize(view, decision);
    }

    /** Packaging with schema validation, then signing to the exact bytes. */
    @Benchmark
    public byte[] packAndSign() {
        return signer.signToBytes(packager.pack(request));
    }

    /**
     * Thread CPU time per operation, best of {@code -Drounds} (default 5) rounds after a warm-up round, for the session
     * lengths in {@code -Dturns} (default {@code 2,20}); {@code -Dsentence=K} starts the session with the harness's
     * K-th sentence instead of the first.
     */
    public static void main(String[] args) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int turns : java.util.Arrays.stream(System.getProperty("turns", "2,20").split(",")).mapToInt(Integer::parseInt).toArray()) {
            HandoffCpuBenchmark b = new HandoffCpuBenchmark();
            b.turns = turns;
            b.setUp();
            int n = turns == 2 ? 20_000 : 4_000;
            report(cpu, turns, "summarize", n, b::summarize);
            report(cpu, turns, "packAndSign", n, b::packAndSign);
        }
    }

    private static void report(ThreadMXBean cpu, int turns, String name, int n, Supplier<Object> op) {
        for (int i = 0; i < n; i++) {
            sink = op.get();
        }
        long best = Long.MAX_VALUE;
        int rounds = Integer.getInteger("rounds", 5);
        for (int round = 0; round < rounds; round++) {
            long start = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink = op.get();
            }
            best = Math.min(best, (cpu.getCurrentThreadCpuTime() - start) / n);
        }
        System.out.printf(Locale.ROOT, "turns=%d %-11s %8.1f us thread CPU per op (best of %d x %,d)%n", turns, name, best / 1000.0, rounds, n);
    }
}
