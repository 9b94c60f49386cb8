package dev.handoff.benchmarks;

import dev.handoff.core.trigger.PhraseMatcher;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ahocorasick.trie.Trie;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Hot path 1: "does this customer turn contain any trigger phrase?" for a 36-word turn on which nothing fires
 * (the common case: every phrase must be ruled out). {@code impl} switches between the trigger engine's
 * automaton and three baselines over the same phrases, in the same run:
 * <ul>
 *   <li>{@code handoff}: {@link PhraseMatcher#containsAny} (normalization + Aho-Corasick DFA, word boundaries);</li>
 *   <li>{@code regex}: one {@code \b(?:p1|p2|...)\b} alternation over the lower-cased text;</li>
 *   <li>{@code contains}: lower-case the text, then {@code String.contains} per phrase (no word boundaries);</li>
 *   <li>{@code ahocorasick}: org.ahocorasick:ahocorasick {@code Trie} (ignoreCase, onlyWholeWords) {@code containsMatch}.</li>
 * </ul>
 * {@code phrases} = 500 and 5000 are even samples of the default policy's distinct whole-word phrases (generated
 * pseudo-words fill up to the number asked for if the policy has fewer).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar PhraseMatchBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PhraseMatchBenchmark {

    @Param({"handoff", "regex", "contains", "ahocorasick"})
    public String impl;

    @Param({"500", "5000"})
    public int phrases;

    private String text;
    private PhraseMatcher matcher;
    private Pattern regex;
    private String[] plain;
    private Trie trie;

    @Setup
    public void setUp() {
        List<String> base = new RuleTriggerEvaluator(TriggerPolicy.defaults()).matcher().phrases().stream()
                .filter(p -> !p.endsWith("*")).map(PhraseMatcher::normalizePhrase).distinct().toList();
        List<String> list = BenchTexts.phrases(base, phrases);
        text = BenchTexts.QUIET[0];
        switch (impl) {
            case "handoff" -> matcher = PhraseMatcher.compile(list);
            case "regex" -> regex = Pattern.compile(list.stream().map(p -> Pattern.quote(p))
                    .collect(Collectors.joining("|", "\\b(?:", ")\\b")));
            case "contains" -> plain = list.toArray(String[]::new);
            case "ahocorasick" -> trie = Trie.builder().ignoreCase().onlyWholeWords().addKeywords(list).build();
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        if (anyMatch()) {
            throw new IllegalStateException(impl + " matched the quiet text: the comparison would not be like for like");
        }
        if (BenchTexts.words(text) != 36) {
            throw new IllegalStateException("the benchmark turn must have 36 words");
        }
    }

    @Benchmark
    public boolean anyMatch() {
        switch (impl) {
            case "handoff":
                return matcher.containsAny(text);
            case "regex":
                return regex.matcher(text.toLowerCase(Locale.ROOT)).find();
            case "contains": {
                String lower = text.toLowerCase(Locale.ROOT);
                for (String p : plain) {
                    if (lower.contains(p)) {
                        return true;
                    }
                }
                return false;
            }
            default:
                return trie.containsMatch(text);
        }
    }
}
