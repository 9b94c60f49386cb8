package dev.handoff.eval;

import dev.handoff.api.context.HandoffContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An observer's field-by-field accuracy on a corpus ({@link ObserverEvaluation}): for each check, how many passed on
 * all cases, on the tuning cases and on the held-out cases, and each case's failed checks. Immutable.
 */
public final class ObserverReport {

    /** Which cases a score counts. */
    public enum Split {
        ALL, TUNING, HOLDOUT;

        boolean includes(CaseResult r) {
            return this == ALL || (this == HOLDOUT) == r.holdout();
        }
    }

    /** The order fields are reported in (fields no case checked are left out). */
    static final List<String> FIELDS = List.of("budget.stated", "budget.unstated", "authority.stated", "authority.unstated",
            "need.stated", "need.unstated", "timeline.stated", "timeline.unstated", "painPoints.recall", "painPoints.precision",
            "commitments.recall", "commitments.precision", "commitments.strength", "commitments.value", "commitments.nonPromises",
            "sentiment.direction", "sentiment.mood", "sentiment.lowTrust", "whisper.short", "whisper.thirdPerson", "whisper.noScores",
            "whisper.noNestedQuotes", "whisper.opening", "whisper.sentimentAgrees", "whisper.goal", "whisper.obstacle");

    /**
     * One case: what the agent saw and the checks.
     *
     * @param holdout true for a held-out case
     */
    public record CaseResult(EvalCase evalCase, boolean holdout, HandoffContext seen, List<ObserverChecks.Check> checks) {
        public CaseResult {
            Objects.requireNonNull(evalCase, "evalCase");
            checks = List.copyOf(checks);
        }

        List<ObserverChecks.Check> failed() {
            return checks.stream().filter(c -> !c.passed()).toList();
        }
    }

    /** Passed out of checked. */
    public record Score(int passed, int total) {
        /** Passed over checked; 1.0 when nothing was checked. */
        public double rate() {
            return total == 0 ? 1.0 : (double) passed / total;
        }

        @Override
        public String toString() {
            return total == 0 ? "-" : String.format(Locale.ROOT, "%3d/%-3d %5.1f%%", passed, total, 100 * rate());
        }
    }

    private final String observer;
    private final List<CaseResult> results;

    ObserverReport(String observer, List<CaseResult> results) {
        this.observer = observer;
        this.results = List.copyOf(results);
    }

    /** Every case's result, in corpus order. */
    public List<CaseResult> results() {
        return results;
    }

    /** The score of every field checked in {@code split}, in report order. */
    public Map<String, Score> scores(Split split) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        FIELDS.forEach(f -> counts.put(f, new int[2]));
        for (CaseResult r : results) {
            if (!split.includes(r)) {
                continue;
            }
            for (ObserverChecks.Check c : r.checks()) {
                int[] n = counts.computeIfAbsent(c.field(), k -> new int[2]);
                n[1]++;
                if (c.passed()) {
                    n[0]++;
                }
            }
        }
        Map<String, Score> out = new LinkedHashMap<>();
        counts.forEach((f, n) -> {
            if (n[1] > 0) {
                out.put(f, new Score(n[0], n[1]));
            }
        });
        return out;
    }

    /** The score of one field ({@code "budget.stated"}); 0 of 0 when no case checked it. */
    public Score score(String field, Split split) {
        return scores(split).getOrDefault(field, new Score(0, 0));
    }

    /**
     * The table of scores by split, then (with {@code diffSplit} not null) every failed check of the cases in that split.
     */
    public String render(Split diffSplit) {
        long held = results.stream().filter(CaseResult::holdout).count();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Observer %s on %d cases (%d tuning, %d held out)%n", observer, results.size(),
                results.size() - held, held));
        sb.append(String.format(Locale.ROOT, "%-26s %-16s %-16s %-16s%n", "field", "all", "tuning", "held out"));
        Map<String, Score> all = scores(Split.ALL);
        Map<String, Score> tuning = scores(Split.TUNING);
        Map<String, Score> holdout = scores(Split.HOLDOUT);
        for (String f : all.keySet()) {
            sb.append(String.format(Locale.ROOT, "%-26s %-16s %-16s %-16s%n", f, all.get(f), tuning.getOrDefault(f, new Score(0, 0)),
                    holdout.getOrDefault(f, new Score(0, 0))));
        }
        if (diffSplit != null) {
            sb.append(String.format(Locale.ROOT, "%nFailed checks (%s):%n", diffSplit.name().toLowerCase(Locale.ROOT)));
            for (CaseResult r : results) {
                if (!diffSplit.includes(r)) {
                    continue;
                }
                for (ObserverChecks.Check c : r.failed()) {
                    sb.append(String.format(Locale.ROOT, "%-18s %-24s want %s%n%44s got  %s%n", r.evalCase().id(), c.field(), c.expected(), "",
                            c.actual()));
                }
            }
        }
        return sb.toString();
    }

    /** Cases whose checks all passed, in {@code split}. */
    public List<String> clean(Split split) {
        List<String> out = new ArrayList<>();
        Predicate<CaseResult> in = split::includes;
        results.stream().filter(in).filter(r -> r.failed().isEmpty()).forEach(r -> out.add(r.evalCase().id()));
        return out;
    }
}
