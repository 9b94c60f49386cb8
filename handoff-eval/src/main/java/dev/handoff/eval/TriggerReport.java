package dev.handoff.eval;

import dev.handoff.api.Priority;
import dev.handoff.api.TriggerKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The trigger engine's scores on a corpus under one policy: precision, recall and F1 per kind and overall, the
 * confusion between kinds, turns to handoff, and each case's outcome. Immutable.
 */
public final class TriggerReport {

    /** How one case came out. */
    public enum Outcome {
        /** Handed off on time with an accepted kind. */
        HIT,
        /** Correctly stayed with the bot. */
        QUIET,
        /** Handed off when it should not have (a "never" case, or before the warranted turn). */
        FALSE_ALARM,
        /** Handed off on time, led by a kind the label does not accept. */
        WRONG_KIND,
        /** Handed off after the latest acceptable turn. */
        LATE,
        /** Never handed off although it should have. */
        MISSED
    }

    /**
     * One replayed case.
     *
     * @param turn     the turn of the first handoff, -1 when none
     * @param kind     the leading reason's kind (null when none)
     */
    public record CaseResult(EvalCase evalCase, TriggerLabel expected, int turn, TriggerKind kind, String ruleId,
                             String detail, Priority priority, String policy) {

        /**
         * A case's result as replayed.
         *
         * @throws NullPointerException when {@code evalCase} or {@code expected} is null
         */
        public CaseResult {
            Objects.requireNonNull(evalCase, "evalCase");
            Objects.requireNonNull(expected, "expected");
        }

        /**
         * How the replay compares with the label: the turn it handed off at (or none) against the warranted turns, then
         * the kind that led against the kinds the label accepts.
         *
         * @return the outcome
         */
        public Outcome outcome() {
            if (expected.never()) {
                return turn < 0 ? Outcome.QUIET : Outcome.FALSE_ALARM;
            }
            if (turn < 0) {
                return Outcome.MISSED;
            }
            if (turn < expected.handoffAt()) {
                return Outcome.FALSE_ALARM;
            }
            if (turn > expected.latest()) {
                return Outcome.LATE;
            }
            return expected.accepts(kind) ? Outcome.HIT : Outcome.WRONG_KIND;
        }

        /** One line for the per-case diff. */
        public String diff() {
            String want = expected.never() ? "never" : "turn " + expected.handoffAt()
                    + (expected.latest() > expected.handoffAt() ? "-" + expected.latest() : "") + " " + expected.kind();
            String got = turn < 0 ? "no handoff" : "turn " + turn + " " + kind + " (" + ruleId + ")";
            return String.format(Locale.ROOT, "%-12s %-10s want %-32s got %s", outcome(), evalCase.id(), want, got);
        }
    }

    /** Counts of one kind. */
    public record KindScore(TriggerKind kind, int truePositives, int falsePositives, int falseNegatives) {
        /** True positives over all handoffs this kind led; 1.0 when it led none. */
        public double precision() {
            return truePositives + falsePositives == 0 ? 1.0 : (double) truePositives / (truePositives + falsePositives);
        }

        /** True positives over all cases expecting this kind; 1.0 when none did. */
        public double recall() {
            return truePositives + falseNegatives == 0 ? 1.0 : (double) truePositives / (truePositives + falseNegatives);
        }

        /** The harmonic mean of {@link #precision()} and {@link #recall()}; 0 when both are 0. */
        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        /** True when the corpus had no case of this kind, expected or fired. */
        public boolean empty() {
            return truePositives + falsePositives + falseNegatives == 0;
        }
    }

    private final String policy;
    private final List<CaseResult> results;
    private final Map<TriggerKind, KindScore> byKind;
    private final Map<String, Map<String, Integer>> confusion;

    TriggerReport(String policy, List<CaseResult> results) {
        this.policy = policy;
        this.results = List.copyOf(results);
        Map<TriggerKind, int[]> counts = new EnumMap<>(TriggerKind.class);
        for (TriggerKind k : TriggerKind.values()) {
            counts.put(k, new int[3]);
        }
        Map<String, Map<String, Integer>> matrix = new LinkedHashMap<>();
        for (CaseResult r : results) {
            String want = r.expected().never() ? "NONE" : r.expected().kind().name();
            String got = r.turn() < 0 || r.outcome() == Outcome.LATE ? "NONE" : r.kind().name();
            if (r.outcome() == Outcome.HIT) {
                got = want;
            }
            matrix.computeIfAbsent(want, k -> new LinkedHashMap<>()).merge(got, 1, Integer::sum);
            switch (r.outcome()) {
                case HIT -> counts.get(r.expected().kind())[0]++;
                case FALSE_ALARM -> {
                    counts.get(r.kind())[1]++;
                    if (!r.expected().never()) {
                        counts.get(r.expected().kind())[2]++;
                    }
                }
                case WRONG_KIND -> {
                    counts.get(r.kind())[1]++;
                    counts.get(r.expected().kind())[2]++;
                }
                case LATE, MISSED -> counts.get(r.expected().kind())[2]++;
                case QUIET -> { }
            }
        }
        Map<TriggerKind, KindScore> scores = new EnumMap<>(TriggerKind.class);
        counts.forEach((k, c) -> scores.put(k, new KindScore(k, c[0], c[1], c[2])));
        this.byKind = scores;
        this.confusion = matrix;
    }

    /** The name of the policy the cases were replayed through. */
    public String policy() {
        return policy;
    }

    /** Every case's result, in corpus order. */
    public List<CaseResult> results() {
        return results;
    }

    /** Scores per kind (every kind, some possibly {@link KindScore#empty()}). */
    public Map<TriggerKind, KindScore> byKind() {
        return byKind;
    }

    /** Expected kind (or NONE) to predicted kind (or NONE) to count. */
    public Map<String, Map<String, Integer>> confusion() {
        return confusion;
    }

    /** Handing off at all: precision and recall of "a human is needed", whatever the kind. */
    public KindScore overall() {
        int tp = 0;
        int fp = 0;
        int fn = 0;
        for (CaseResult r : results) {
            switch (r.outcome()) {
                case HIT, WRONG_KIND -> tp++;
                case FALSE_ALARM -> {
                    fp++;
                    if (!r.expected().never()) {
                        fn++;
                    }
                }
                case LATE, MISSED -> fn++;
                case QUIET -> { }
            }
        }
        return new KindScore(null, tp, fp, fn);
    }

    /** The fraction of handoff cases whose leading kind was accepted, among those handed off on time. */
    public double kindAccuracy() {
        long onTime = results.stream().filter(r -> r.outcome() == Outcome.HIT || r.outcome() == Outcome.WRONG_KIND).count();
        long hits = results.stream().filter(r -> r.outcome() == Outcome.HIT).count();
        return onTime == 0 ? 1.0 : (double) hits / onTime;
    }

    /** Mean turns from the warranted turn to the handoff, over hits. */
    public double meanTurnsToHandoff() {
        return results.stream().filter(r -> r.outcome() == Outcome.HIT).mapToInt(r -> r.turn() - r.expected().handoffAt())
                .average().orElse(0);
    }

    /** The fraction of hits whose priority matched the label's, among hits whose label states one. */
    public double priorityAccuracy() {
        List<CaseResult> withPriority = results.stream()
                .filter(r -> r.outcome() == Outcome.HIT && r.expected().priority() != null).toList();
        return withPriority.isEmpty() ? 1.0
                : (double) withPriority.stream().filter(r -> r.priority() == r.expected().priority()).count() / withPriority.size();
    }

    /** Cases whose outcome is not HIT or QUIET. */
    public List<CaseResult> failures() {
        return results.stream().filter(r -> r.outcome() != Outcome.HIT && r.outcome() != Outcome.QUIET).toList();
    }

    /** The per-kind table, the overall line and the confusion matrix, as text. */
    public String render(boolean withDiff) {
        StringBuilder b = new StringBuilder();
        b.append("policy ").append(policy).append(": ").append(results.size()).append(" cases\n");
        b.append(String.format(Locale.ROOT, "%-20s %5s %5s %5s %9s %7s %6s%n", "kind", "TP", "FP", "FN", "precision", "recall", "F1"));
        for (KindScore s : byKind.values()) {
            if (!s.empty()) {
                b.append(line(s.kind().name(), s));
            }
        }
        b.append(line("any handoff", overall()));
        b.append(String.format(Locale.ROOT, "leading kind accepted %.1f%%, priority as labelled %.1f%%, mean turns to handoff %.2f%n",
                100 * kindAccuracy(), 100 * priorityAccuracy(), meanTurnsToHandoff()));
        b.append("confusion (expected -> fired):\n");
        confusion.forEach((want, row) -> b.append("  ").append(want).append(" -> ").append(row).append('\n'));
        if (withDiff) {
            List<CaseResult> f = failures();
            b.append(f.size()).append(f.size() == 1 ? " case differs" : " cases differ").append(f.isEmpty() ? "\n" : ":\n");
            for (CaseResult r : f) {
                b.append("  ").append(r.diff()).append('\n');
            }
        }
        return b.toString();
    }

    private static String line(String name, KindScore s) {
        return String.format(Locale.ROOT, "%-20s %5d %5d %5d %8.1f%% %6.1f%% %6.3f%n", name, s.truePositives(),
                s.falsePositives(), s.falseNegatives(), 100 * s.precision(), 100 * s.recall(), s.f1());
    }

    /** Several reports side by side: precision / recall per kind, one column per policy. */
    public static String compare(List<TriggerReport> reports) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-20s", "kind (P / R)"));
        for (TriggerReport r : reports) {
            b.append(String.format(Locale.ROOT, " | %-22s", r.policy() + " (" + r.results().size() + ")"));
        }
        b.append('\n');
        List<String> rows = new ArrayList<>();
        for (TriggerKind k : TriggerKind.values()) {
            rows.add(k.name());
        }
        rows.add("any handoff");
        for (String row : rows) {
            boolean any = false;
            StringBuilder l = new StringBuilder(String.format(Locale.ROOT, "%-20s", row));
            for (TriggerReport r : reports) {
                KindScore s = row.equals("any handoff") ? r.overall() : r.byKind().get(TriggerKind.valueOf(row));
                if (s.empty()) {
                    l.append(String.format(Locale.ROOT, " | %-22s", "-"));
                } else {
                    any = true;
                    l.append(String.format(Locale.ROOT, " | %5.1f%% / %5.1f%% (%3d)  ", 100 * s.precision(), 100 * s.recall(),
                            s.truePositives() + s.falseNegatives()));
                }
            }
            if (any) {
                b.append(l).append('\n');
            }
        }
        return b.toString();
    }
}
