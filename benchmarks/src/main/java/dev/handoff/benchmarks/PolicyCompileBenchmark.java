package dev.handoff.benchmarks;

import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Policy compilation, warm: the default policy's YAML read, validated, merged with its language packs, templates
 * expanded, and compiled into the engine (automaton, typo table, signal families). {@code step = load} is the
 * document alone; {@code step = compile} the whole thing, as {@code new RuleTriggerEvaluator(TriggerPolicy.parse(yaml))}.
 *
 * <p>Warm: {@code java -jar benchmarks/target/benchmarks.jar PolicyCompileBenchmark -f 1 -wi 5 -i 10 -w 1s -r 1s -prof gc}.
 * Cold (what {@code Handoff.build()} pays in a fresh JVM: class loading, interpreted code, first allocation), one
 * call per fresh fork: {@code java -jar benchmarks/target/benchmarks.jar PolicyCompileBenchmark -bm ss -wi 0 -i 1 -f 10 -tu ms}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PolicyCompileBenchmark {

    @Param({"load", "compile"})
    public String step;

    private String yaml;

    @Setup
    public void setUp() throws IOException {
        try (InputStream in = TriggerPolicy.class.getResourceAsStream("default.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    public Object compile() {
        TriggerPolicy policy = TriggerPolicy.parse(yaml);
        return step.equals("load") ? policy : new RuleTriggerEvaluator(policy);
    }
}
