package dev.handoff.benchmarks;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Hot path 2: the full trigger engine on one 36-word customer turn against the complete default policy (every
 * rule: about 17,600 phrases with the Spanish and French packs, amounts, loop fingerprints against the session's
 * recent turns, urgency, intents, and the lexicon sentiment estimate for turns that come without the bot's score).
 * {@code turn = quiet} rotates over four different quiet turns (so the loop rule compares real, dissimilar
 * history and nothing fires); {@code turn = firing} fires several rules and builds the explained decision.
 * Sample mode reports the median (p0.50); {@code -prof gc} reports bytes allocated per call.
 *
 * <p>The view is a minimal {@link ConversationView} holding one state slot, so only the evaluator is measured.
 * {@code fallback = none} is the same policy with {@code sentiment.fallback: NONE} (no lexicon estimate), to show
 * what the estimate costs; the targets are for {@code fallback = lexicon}, the default.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TriggerEvaluatorBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}.
 * On a machine that other builds share, the sample medians move with the load; {@link #main} measures the quiet turn
 * in the thread's own CPU time instead, {@code fallback=lexicon} and {@code none} in alternate rounds:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.handoff.benchmarks.TriggerEvaluatorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TriggerEvaluatorBenchmark {

    @Param({"quiet", "firing"})
    public String turn;

    @Param({"lexicon", "none"})
    public String fallback;

    /** Keeps the results alive so the JIT cannot drop the work measured by {@link #main}. */
    static volatile Object sink;

    /** For {@link #main} only: policy lines over the default that switch one part off (null: {@link #fallback} decides). */
    String partOff;

    private RuleTriggerEvaluator engine;
    private View view;
    private Turn[] turns;
    private int next;

    @Setup
    public void setUp() {
        String off = partOff != null ? partOff : fallback.equals("none") ? "sentiment: {fallback: NONE}" : null;
        engine = new RuleTriggerEvaluator(off == null ? TriggerPolicy.defaults()
                : TriggerPolicy.parse("name: default-part-off\nextends: default\n" + off + "\n"));
        view = new View();
        Instant at = View.START;
        if (turn.equals("quiet")) {
            turns = new Turn[BenchTexts.QUIET.length];
            for (int i = 0; i < turns.length; i++) {
                turns[i] = Turn.of(i, Speaker.CUSTOMER, BenchTexts.QUIET[i], at);
            }
        } else {
            turns = new Turn[] {Turn.of(0, Speaker.CUSTOMER, BenchTexts.FIRING, at)};
        }
        for (Turn t : turns) {
            if (BenchTexts.words(t.text()) != 36) {
                throw new IllegalStateException("benchmark turns must have 36 words: " + t.text());
            }
        }
        for (int i = 0; i < 4 * turns.length; i++) {
            HandoffDecision d = evaluate();
            if (turn.equals("quiet") && d.isHandoff()) {
                throw new IllegalStateException("a quiet turn fired: " + d);
            }
            if (turn.equals("firing") && !d.isHandoff()) {
                throw new IllegalStateException("the firing turn did not fire");
            }
        }
    }

    @Benchmark
    public HandoffDecision evaluate() {
        Turn t = turns[next];
        next = next + 1 == turns.length ? 0 : next + 1;
        return engine.evaluate(view, t);
    }

    /**
     * Thread CPU time per quiet-turn call, {@code fallback=lexicon} and {@code none} in alternate rounds of 500,000
     * calls after 2,000,000 each to warm up; prints the best and the median of 7 rounds. With {@code -Dparts=true} it
     * also measures the default policy with one part switched off at a time (loop, typo words, urgency, sales, language
     * packs), in the same rounds, to show what each costs a quiet turn.
     */
    public static void main(String[] args) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<String[]> variants = new java.util.ArrayList<>(List.of(new String[] {"fallback=lexicon", null},
                new String[] {"fallback=none", "sentiment: {fallback: NONE}"}));
        if (Boolean.getBoolean("parts")) {
            variants.add(new String[] {"no loop", "loop: {enabled: false}"});
            variants.add(new String[] {"no typos", "typoWords: []"});
            variants.add(new String[] {"no urgency", "urgency: {enabled: false}"});
            variants.add(new String[] {"no sales", "sales: {enabled: false}"});
            variants.add(new String[] {"no packs", "packs: []"});
        }
        String[] names = variants.stream().map(v -> v[0]).toArray(String[]::new);
        TriggerEvaluatorBenchmark[] benches = new TriggerEvaluatorBenchmark[names.length];
        for (int k = 0; k < benches.length; k++) {
            benches[k] = new TriggerEvaluatorBenchmark();
            benches[k].turn = "quiet";
            benches[k].fallback = "lexicon";
            benches[k].partOff = variants.get(k)[1];
            benches[k].setUp();
            for (int i = 0; i < 2_000_000; i++) {
                sink = benches[k].evaluate();
            }
        }
        int rounds = 7;
        int calls = 500_000;
        double[][] ns = new double[benches.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < benches.length; k++) {
                long start = cpu.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++) {
                    sink = benches[k].evaluate();
                }
                ns[k][r] = (cpu.getCurrentThreadCpuTime() - start) / (double) calls;
            }
        }
        for (int k = 0; k < benches.length; k++) {
            double[] sorted = ns[k].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "quiet %-16s thread CPU per call: best %.0f ns, median %.0f ns, rounds %s%n",
                    names[k], sorted[0], sorted[rounds / 2],
                    Arrays.toString(Arrays.stream(ns[k]).map(Math::round).toArray()));
        }
    }

    /** The smallest ConversationView: one state slot, no transcript copy. */
    static final class View implements ConversationView {
        static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
        private final SessionId id = SessionId.of("bench");
        private Object key;
        private Object value;

        @Override
        public SessionId id() {
            return id;
        }

        @Override
        public Channel channel() {
            return Channel.CHAT;
        }

        @Override
        public Instant startedAt() {
            return START;
        }

        @Override
        public List<Turn> turns() {
            return List.of();
        }

        @Override
        public Optional<Turn> inFlight() {
            return Optional.empty();
        }

        @Override
        public CustomerData customer() {
            return CustomerData.UNKNOWN;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T state(Object k, Supplier<T> initial) {
            if (key != k) {
                key = k;
                value = initial.get();
            }
            return (T) value;
        }
    }
}
