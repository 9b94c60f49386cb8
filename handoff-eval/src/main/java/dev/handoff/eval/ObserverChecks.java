package dev.handoff.eval;

import dev.handoff.api.Commitment;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.WhisperSummary;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of one case: what the label expects against what the agent sees.
 *
 * <ul>
 *   <li>{@code budget|authority|need|timeline .stated}: the field is filled and holds the label's keywords (for the
 *       budget, in its text or amount; with {@code budgetAmount}, the amount within 1%); {@code .unstated}: the field
 *       is empty when the conversation does not state it;</li>
 *   <li>{@code painPoints.recall}: each expected pain is among the pain points; {@code painPoints.precision}: each pain
 *       point shown is one a reader expected;</li>
 *   <li>{@code commitments.recall}: each expected promise was recorded for its turn with an accepted kind;
 *       {@code .precision}: each recorded promise was expected; {@code .strength} / {@code .value}: of the found ones,
 *       SOFT/HARD and the value agree; {@code .nonPromises}: no promise of the named kind on a turn whose wording only
 *       sounds like one;</li>
 *   <li>{@code sentiment.direction}: the trend (improving / declining / stable) is the reader's; {@code .mood}: the
 *       last score's sign (under -0.1 negative, over 0.1 positive); {@code .lowTrust}: "Low Trust" shown exactly when
 *       the reader saw distrust;</li>
 *   <li>{@code whisper.short}: goal, obstacle and sentiment at most {@value #MAX_LINE} characters each;
 *       {@code .thirdPerson}: no first-person words in the goal, nor in the obstacle outside a short quote
 *       (at most {@value #MAX_QUOTE} characters); {@code .noScores}: no raw sentiment score in any line;
 *       {@code .noNestedQuotes}: at most one quoted span per line; {@code .opening}: at most {@value #MAX_OPENING}
 *       characters, no number that is not in the conversation, no budget or promise the ledger does not hold;
 *       {@code .sentimentAgrees}: the sentiment line does not contradict the reader's direction, mood and trust;
 *       {@code .goal} / {@code .obstacle}: the keywords a reader expects there.</li>
 * </ul>
 */
final class ObserverChecks {

    static final int MAX_LINE = 120;
    static final int MAX_QUOTE = 60;
    static final int MAX_OPENING = 160;

    private static final Set<String> FIRST_PERSON = Set.of("i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we",
            "we're", "we've", "we'd", "we'll", "our", "ours", "ourselves", "us");
    private static final Pattern WORD = Pattern.compile("[A-Za-z']+");
    private static final Pattern QUOTED = Pattern.compile("[\"\u201c]([^\"\u201d]*)[\"\u201d]");
    private static final Pattern RAW_SCORE = Pattern.compile("(?<![\\d$\u20ac\u00a3\u00a5.,:])[-+\u2212]?[01]?\\.\\d{1,3}(?![\\d%])");
    private static final Pattern NUMBER = Pattern.compile("\\d[\\d,.]*\\d|\\d");
    private static final Pattern PROMISE = Pattern.compile("\\b(i'?ve|i have|we'?ve|we have|i'?ll|we'?ll|i will|we will|you'?ll get"
            + "|you will get|you'?re getting|is confirmed|has been applied|is in place|i can confirm|i can offer|i can give)\\b[^.;]*?"
            + "\\b(refund|discount|% off|credit|waiv|free)", Pattern.CASE_INSENSITIVE);
    private static final List<String> WORSE = List.of("worse", "worsening", "declin", "deteriorat", "more upset", "more frustrated",
            "angrier", "losing patience");
    private static final List<String> BETTER = List.of("improv", "calmer", "calmed", "calming", "better", "settled", "settling",
            "relieved", "reassured", "warming");
    private static final List<String> POSITIVE = List.of("happy", "positive", "pleased", "satisfied", "delighted", "upbeat");
    private static final List<String> NEGATIVE = List.of("upset", "angry", "furious", "frustrated", "distressed", "annoyed", "hostile");

    private ObserverChecks() {
    }

    /** One check of one case. */
    record Check(String field, boolean passed, String expected, String actual) {
    }

    static List<Check> check(ObserverLabel l, HandoffContext c) {
        List<Check> out = new ArrayList<>();
        SemanticLedger.Bant bant = c.semanticLedger().bant();
        SemanticLedger.Budget budget = bant.budget();
        if (l.budget() != null) {
            String shown = budget == null ? null : budget.text() + (budget.amount() == null ? "" : " " + budget.amount().toPlainString());
            boolean ok = l.budget().stated() ? l.budget().terms().matches(shown) && amountAgrees(l.budgetAmount(), budget) : budget == null;
            out.add(new Check("budget." + (l.budget().stated() ? "stated" : "unstated"), ok,
                    l.budget().stated() ? l.budget().terms() + (l.budgetAmount() == null ? "" : " = " + l.budgetAmount()) : "nothing", shown));
        }
        bant(out, "authority", l.authority(), bant.authority());
        bant(out, "need", l.need(), bant.need());
        bant(out, "timeline", l.timeline(), bant.timeline());
        if (l.painsLabelled()) {
            List<String> shown = c.semanticLedger().painPoints();
            for (Terms pain : l.pains()) {
                out.add(new Check("painPoints.recall", shown.stream().anyMatch(pain::matches), pain.toString(), String.valueOf(shown)));
            }
            for (String p : shown) {
                out.add(new Check("painPoints.precision", l.pains().stream().anyMatch(t -> t.matches(p)), String.valueOf(l.pains()), p));
            }
        }
        if (l.commitmentsLabelled()) {
            commitments(out, l, c.commitments());
        }
        sentiment(out, l, c.sentiment());
        whisper(out, l, c);
        return out;
    }

    private static void bant(List<Check> out, String name, ObserverLabel.Field field, String shown) {
        if (field == null) {
            return;
        }
        boolean ok = field.stated() ? field.terms().matches(shown) : shown == null;
        out.add(new Check(name + "." + (field.stated() ? "stated" : "unstated"), ok, field.stated() ? field.terms().toString() : "nothing",
                shown));
    }

    private static boolean amountAgrees(Double expected, SemanticLedger.Budget budget) {
        if (expected == null) {
            return true;
        }
        BigDecimal a = budget == null ? null : budget.amount();
        return a != null && Math.abs(a.doubleValue() - expected) <= Math.abs(expected) * 0.01;
    }

    private static String describe(Commitment k) {
        return "turn " + k.turnIndex() + " " + k.kind() + " " + k.strength() + (k.value() == null ? "" : " " + k.value());
    }

    private static void commitments(List<Check> out, ObserverLabel l, List<Commitment> shown) {
        List<Commitment> unmatched = new ArrayList<>(shown);
        for (ObserverLabel.ExpectedCommitment e : l.commitments()) {
            String want = "turn " + e.turn() + " " + e.kinds() + " " + e.strength() + (e.value() == null ? "" : " " + e.value());
            Commitment found = null;
            for (Commitment k : unmatched) {
                if (k.turnIndex() == e.turn() && e.kinds().contains(k.kind())) {
                    found = k;
                    break;
                }
            }
            out.add(new Check("commitments.recall", found != null, want, found == null ? "none" : describe(found)));
            if (found != null) {
                unmatched.remove(found);
                out.add(new Check("commitments.strength", found.strength() == e.strength(), want, describe(found)));
                if (e.value() != null) {
                    out.add(new Check("commitments.value", e.value().matches(found.value()), want, describe(found)));
                }
            }
        }
        for (Commitment k : shown) {
            out.add(new Check("commitments.precision", !unmatched.contains(k), "a promise a reader sees", describe(k) + ": " + k.text()));
        }
        for (ObserverLabel.NonCommitment n : l.notCommitments()) {
            List<Commitment> wrong = unmatched.stream().filter(k -> k.turnIndex() == n.turn() && (n.kind() == null || n.kind() == k.kind()))
                    .toList();
            out.add(new Check("commitments.nonPromises", wrong.isEmpty(), "no " + (n.kind() == null ? "promise" : n.kind()) + " in turn "
                    + n.turn(), wrong.isEmpty() ? "none" : describe(wrong.get(0))));
        }
    }

    private static void sentiment(List<Check> out, ObserverLabel l, SentimentTrack t) {
        if (l.direction() != null) {
            String want = switch (l.direction()) {
                case "improving" -> "IMPROVING";
                case "worsening" -> "DECLINING";
                default -> "STABLE";
            };
            out.add(new Check("sentiment.direction", t.trend().name().equals(want), want, t.trend() + " " + t.series()));
        }
        if (l.mood() != null) {
            double last = t.series().isEmpty() ? 0 : t.series().get(t.series().size() - 1).score();
            String mood = last < -0.1 ? "negative" : last > 0.1 ? "positive" : "neutral";
            out.add(new Check("sentiment.mood", mood.equals(l.mood()), l.mood(), mood + " (" + last + ")"));
        }
        if (l.lowTrust() != null) {
            boolean low = t.trust() == SentimentTrack.Level.LOW;
            out.add(new Check("sentiment.lowTrust", low == l.lowTrust(), l.lowTrust() ? "Low Trust" : "not Low Trust", t.label()));
        }
    }

    private static void whisper(List<Check> out, ObserverLabel l, HandoffContext c) {
        WhisperSummary w = c.whisper();
        String lines = w.goal() + " | " + w.obstacle() + " | " + w.sentiment();
        out.add(new Check("whisper.short", w.goal().length() <= MAX_LINE && w.obstacle().length() <= MAX_LINE
                && w.sentiment().length() <= MAX_LINE, "three lines of at most " + MAX_LINE + " characters", lines));
        out.add(new Check("whisper.thirdPerson", firstPerson(w.goal()) == null && firstPerson(outsideQuotes(w.obstacle())) == null
                && quotesShort(w.obstacle()), "no first-person words in the goal or obstacle (short quotes aside)", w.goal() + " | " + w.obstacle()));
        String all = lines + " | " + w.suggestedOpening();
        out.add(new Check("whisper.noScores", !RAW_SCORE.matcher(all).find(), "no raw scores", all));
        out.add(new Check("whisper.noNestedQuotes", quotes(w.goal()) <= 2 && quotes(w.obstacle()) <= 2 && quotes(w.sentiment()) <= 2
                && quotes(w.suggestedOpening()) <= 2, "at most one quoted span per line", all));
        String opening = openingProblem(w.suggestedOpening(), c);
        out.add(new Check("whisper.opening", opening == null, "a short opening that promises nothing the ledger lacks",
                opening == null ? w.suggestedOpening() : opening + ": " + w.suggestedOpening()));
        String s = Terms.fold(w.sentiment());
        String contradiction = null;
        if ("improving".equals(l.direction()) && containsAny(s, WORSE) || "worsening".equals(l.direction()) && containsAny(s, BETTER)) {
            contradiction = "contradicts " + l.direction();
        } else if ("negative".equals(l.mood()) && containsAny(s, POSITIVE) || "positive".equals(l.mood()) && containsAny(s, NEGATIVE)) {
            contradiction = "contradicts a " + l.mood() + " mood";
        } else if (Boolean.TRUE.equals(l.lowTrust()) && !containsAny(s, List.of("trust", "doubt", "skeptic", "sceptic"))) {
            contradiction = "does not mention low trust";
        } else if (Boolean.FALSE.equals(l.lowTrust()) && containsAny(s, List.of("low trust", "distrust"))) {
            contradiction = "shows low trust";
        }
        out.add(new Check("whisper.sentimentAgrees", contradiction == null, l.direction() + ", " + l.mood()
                + (l.lowTrust() == null ? "" : l.lowTrust() ? ", low trust" : ", trusting"), contradiction == null ? w.sentiment()
                : contradiction + ": " + w.sentiment()));
        if (l.goal() != null) {
            out.add(new Check("whisper.goal", l.goal().matches(w.goal()), l.goal().toString(), w.goal()));
        }
        if (l.obstacle() != null) {
            out.add(new Check("whisper.obstacle", l.obstacle().matches(w.obstacle()), l.obstacle().toString(), w.obstacle()));
        }
    }

    private static String firstPerson(String s) {
        Matcher m = WORD.matcher(s.replace('\u2019', '\''));
        while (m.find()) {
            String w = m.group();
            if (FIRST_PERSON.contains(w.toLowerCase(Locale.ROOT)) && !w.equals("US")) {
                return w;
            }
        }
        return null;
    }

    private static String outsideQuotes(String s) {
        return QUOTED.matcher(s).replaceAll(" ");
    }

    private static boolean quotesShort(String s) {
        Matcher m = QUOTED.matcher(s);
        while (m.find()) {
            if (m.group(1).length() > MAX_QUOTE) {
                return false;
            }
        }
        return true;
    }

    private static int quotes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\u201c' || ch == '\u201d') {
                n++;
            }
        }
        return n;
    }

    private static boolean containsAny(String folded, List<String> words) {
        return words.stream().anyMatch(folded::contains);
    }

    /** Why the opening line is not acceptable, or null. */
    private static String openingProblem(String opening, HandoffContext c) {
        if (opening.length() > MAX_OPENING) {
            return opening.length() + " characters";
        }
        StringBuilder known = new StringBuilder();
        for (Turn t : c.transcript()) {
            known.append(t.text()).append(' ');
        }
        SemanticLedger.Budget budget = c.semanticLedger().bant().budget();
        if (budget != null && budget.amount() != null) {
            known.append(budget.amount().toPlainString()).append(' ');
        }
        c.commitments().forEach(k -> known.append(k.value()).append(' '));
        String knownDigits = known.toString().replaceAll("[^0-9 ]", "");
        Matcher n = NUMBER.matcher(opening);
        while (n.find()) {
            String digits = n.group().replaceAll("[^0-9]", "");
            if (!knownDigits.contains(digits)) {
                return "the number " + n.group() + " is not in the conversation";
            }
        }
        String lower = Terms.fold(opening);
        if (lower.contains("budget") && (budget == null || budget.amount() == null)) {
            return "mentions a budget the ledger does not hold";
        }
        Matcher p = PROMISE.matcher(opening);
        if (p.find()) {
            String what = p.group(2).toLowerCase(Locale.ROOT);
            boolean held = c.commitments().stream().anyMatch(k -> switch (what) {
                case "refund" -> k.kind() == Commitment.Kind.REFUND;
                case "discount", "% off" -> k.kind() == Commitment.Kind.DISCOUNT;
                case "credit" -> k.kind() == Commitment.Kind.CREDIT;
                case "waiv" -> k.kind() == Commitment.Kind.FEE_WAIVER;
                default -> k.kind() == Commitment.Kind.FREE_ADD_ON || k.kind() == Commitment.Kind.FREE_TRIAL
                        || k.kind() == Commitment.Kind.FEE_WAIVER;
            });
            if (!held) {
                return "promises a " + what + " the ledger does not hold";
            }
        }
        return null;
    }
}
