package dev.handoff.core.context;

import dev.handoff.core.text.Words;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.SentimentTrack.Level;
import dev.handoff.api.context.SentimentTrack.Trend;
import dev.handoff.api.spi.SentimentAnalyzer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the sentiment velocity graph ({@link SentimentTrack}) from the transcript.
 *
 * <ul>
 *   <li><b>series</b>: one point per final customer turn; the bot's sentiment signal when it gave one, else the
 *       {@link SentimentAnalyzer}'s score. A turn the analyzer scores exactly 0 (no evidence either way) keeps the
 *       previous score: a mood does not reset because the customer asked a neutral question.</li>
 *   <li><b>velocity</b>: least-squares slope of the last {@link #DEFAULT_WINDOW} points, per customer turn.</li>
 *   <li><b>trend</b>: from the latest turns ({@link #trend}): IMPROVING when the customer calms down after being upset,
 *       DECLINING when they fall into negative territory or end upset asking for someone senior or giving up, else
 *       STABLE.</li>
 *   <li>Cue words are looked for in the last {@link #CUE_WINDOW} turns only.</li>
 *   <li><b>urgency</b>: HIGH when the last two customer turns carry urgency words ("right now", "emergency",
 *       "pain"), the last score is below -0.6 or the velocity is -0.25 or steeper; MEDIUM when urgency words
 *       came earlier, the trend declines or the last score is below -0.2; else LOW.</li>
 *   <li><b>trust</b>: starts HIGH and drops one level for each of: a turn with distrust words ("you don't
 *       understand", "are you a bot", "I already told you", "I'll believe it when I see it"; at most two levels), an AI turn
 *       that could not answer ("I don't know", "I'm not able to", confidence under 0.5), and a declining trend ending below
 *       -0.2 in a conversation where the customer voiced distrust.</li>
 *   <li><b>label</b>: {@code "Entering conversation at <Urgency> Urgency / <Trust> Trust"}.</li>
 *   <li><b>markers</b>: {@value #CLOSED_QUESTIONS} (the customer moved from open to closed questions),
 *       {@value #PRICING_HESITATION} (hesitation next to a price), {@value #REPETITION} (the customer said
 *       nearly the same thing twice).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; the packager and the summarizer call it on the orchestrator's worker thread.
 */
public final class SentimentVelocity {

    /**
     * What a bare acceptance scores with the bundled lexicon ("ok", "okay", "fine", "sure", "yes": 0.05); a recovery
     * needs a turn above it.
     */
    static final double ACCEPTANCE = 0.05;

    /** Customer turns in the slope window. */
    public static final int DEFAULT_WINDOW = 4;
    /** Marker: the customer's questions shifted from open-ended to closed. */
    public static final String CLOSED_QUESTIONS = "closed-questions";
    /** Marker: the customer hesitated where a price was discussed. */
    public static final String PRICING_HESITATION = "pricing-hesitation";
    /** Marker: the customer repeated themselves. */
    public static final String REPETITION = "repetition";

    private static final Pattern OPEN_Q = Pattern.compile("^\\s*(how|why|what|which|where|when|who|tell me|explain|describe"
            + "|walk me|could you (explain|describe|tell|walk))\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern CLOSED_Q = Pattern.compile("^\\s*(so,? )?(is|are|am|do|does|did|can|could|will|would|should|shall|has|have"
            + "|had|was|were|may|isn'?t|aren'?t|don'?t|doesn'?t|can'?t|won'?t|any)\\b", Pattern.CASE_INSENSITIVE);
    private static final Map<Level, String> WORD = Map.of(Level.LOW, "Low", Level.MEDIUM, "Medium", Level.HIGH, "High");

    private final SentimentAnalyzer analyzer;
    private final int window;

    /**
     * With {@link #DEFAULT_WINDOW}.
     *
     * @param analyzer scores customer turns that carry no sentiment signal
     */
    public SentimentVelocity(SentimentAnalyzer analyzer) {
        this(analyzer, DEFAULT_WINDOW);
    }

    /**
     * @param analyzer scores customer turns that carry no sentiment signal
     * @param window   customer turns in the slope window, at least 2
     * @throws IllegalArgumentException when the window is under 2
     */
    public SentimentVelocity(SentimentAnalyzer analyzer, int window) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        if (window < 2) {
            throw new IllegalArgumentException("velocity window must be at least 2 customer turns, was " + window);
        }
        this.window = window;
    }

    /**
     * The dashboard label for a pair of levels.
     *
     * @param urgency how urgent the customer is
     * @param trust   how much they trust the conversation
     * @return the label ({@code "Entering conversation at High Urgency / Low Trust"})
     */
    public static String label(Level urgency, Level trust) {
        return "Entering conversation at " + WORD.get(urgency) + " Urgency / " + WORD.get(trust) + " Trust";
    }

    /**
     * The customer's score for one turn: the bot's signal when present, else the analyzer's.
     *
     * @param turn a customer turn
     * @return -1 (very negative) to +1
     */
    public double score(Turn turn) {
        Double given = turn.signalsOrNone().sentiment();
        return given != null ? given : analyzer.score(turn.text());
    }

    /** Customer turns (the most recent) that the shape markers (closed questions, repetition) look at. */
    public static final int MARKER_WINDOW = 20;

    /**
     * Turns (the most recent, any speaker) searched for cue words: urgency, distrust, the AI failing to answer,
     * hesitation next to a price. The label describes the state the human walks into, so older cues do not count.
     */
    public static final int CUE_WINDOW = 40;

    /**
     * The track for the final turns of a transcript (partial turns are ignored).
     *
     * @param turns the transcript
     * @return the series, velocity, trend, levels, label and markers
     */
    public SentimentTrack track(List<Turn> turns) {
        int cueFrom = Math.max(0, turns.size() - CUE_WINDOW);
        List<SentimentTrack.Point> series = new ArrayList<>();
        List<Turn> customer = new ArrayList<>();
        List<Integer> customerBits = new ArrayList<>();
        boolean aiFailed = false;
        boolean customerSpoke = false;
        boolean pricingHesitation = false;
        boolean priceJustSaid = false;
        for (int position = 0; position < turns.size(); position++) {
            Turn t = turns.get(position);
            if (t.partial()) {
                continue;
            }
            int bits = position >= cueFrom ? TurnFeatures.of(t.text()) : 0;
            boolean price = TurnFeatures.has(bits, TurnFeatures.PRICE);
            if (t.speaker() == Speaker.CUSTOMER) {
                Double given = t.signalsOrNone().sentiment();
                double score = given != null ? given : analyzer.score(t.text());
                if (given == null && score == 0 && !series.isEmpty()) {
                    // no evidence in this turn: the customer's mood persists, it does not reset to neutral
                    score = series.get(series.size() - 1).score();
                }
                series.add(new SentimentTrack.Point(t.index(), round(clamp(score))));
                customer.add(t);
                customerBits.add(bits);
                customerSpoke = true;
                if ((priceJustSaid || price) && TurnFeatures.has(bits, TurnFeatures.HESITATION)) {
                    pricingHesitation = true;
                }
                priceJustSaid = price;
            } else if (t.speaker() == Speaker.AI) {
                if (customerSpoke && !aiFailed) {
                    Double c = t.signalsOrNone().confidence();
                    aiFailed = c != null && c < 0.5 || TurnFeatures.has(bits, TurnFeatures.AI_INABILITY);
                }
                priceJustSaid = price;
            }
        }
        List<SentimentTrack.Point> window = series.subList(Math.max(0, series.size() - this.window), series.size());
        double velocity = round(slope(window));
        double last = series.isEmpty() ? 0 : series.get(series.size() - 1).score();
        boolean demand = !customerBits.isEmpty() && TurnFeatures.has(customerBits.get(customerBits.size() - 1), TurnFeatures.DEMAND);
        boolean stillAsking = !customer.isEmpty() && customer.get(customer.size() - 1).text().strip().endsWith("?");
        Trend trend = trend(window, demand, stillAsking);

        boolean urgentNow = false;
        boolean urgentBefore = false;
        int distrustTurns = 0;
        for (int i = 0; i < customer.size(); i++) {
            int bits = customerBits.get(i);
            if (TurnFeatures.has(bits, TurnFeatures.URGENCY)) {
                if (i >= customer.size() - 2) {
                    urgentNow = true;
                } else {
                    urgentBefore = true;
                }
            }
            if (TurnFeatures.has(bits, TurnFeatures.DISTRUST)) {
                distrustTurns++;
            }
        }
        Level urgency = urgentNow || last < -0.6 || velocity <= -0.25 ? Level.HIGH
                : urgentBefore || trend == Trend.DECLINING || last < -0.2 ? Level.MEDIUM : Level.LOW;

        int trustPoints = 2 - Math.min(2, distrustTurns);
        if (aiFailed) {
            trustPoints--;
        }
        if (trend == Trend.DECLINING && last < -0.2 && distrustTurns > 0) {
            trustPoints--;
        }
        Level trust = trustPoints >= 2 ? Level.HIGH : trustPoints == 1 ? Level.MEDIUM : Level.LOW;

        List<Turn> recent = customer.subList(Math.max(0, customer.size() - MARKER_WINDOW), customer.size());
        List<String> markers = new ArrayList<>();
        if (closedQuestionShift(recent)) {
            markers.add(CLOSED_QUESTIONS);
        }
        if (pricingHesitation) {
            markers.add(PRICING_HESITATION);
        }
        if (repetition(recent)) {
            markers.add(REPETITION);
        }
        return new SentimentTrack(series, velocity, trend, urgency, trust, label(urgency, trust), markers, Map.of());
    }

    /**
     * Where the customer's feeling is going, read from the latest turns: IMPROVING when they calm down after being upset
     * (the lowest earlier score at -0.3 or under, the last at least 0.35 higher and not negative, and some turn since the
     * lowest warmer than a bare acceptance: "fine" or "okay, I'll book one" after a complaint is going along, not
     * feeling better, while "thanks" or "that's fair" is), DECLINING when
     * they fall into negative territory (the last at -0.2 or under and 0.2 under the earlier mean) or end upset (the
     * last at -0.2 or under) asking for someone senior or giving up ("I'm done", "full stop"); else STABLE (a calm conversation that ends with thanks is steady, not improving, and so is a
     * customer who says "okay" and asks a worried question).
     */
    static Trend trend(List<SentimentTrack.Point> recent, boolean demand, boolean stillAsking) {
        if (recent.size() < 2) {
            return Trend.STABLE;
        }
        double last = recent.get(recent.size() - 1).score();
        double min = Double.MAX_VALUE;
        int lowest = 0;
        double mean = 0;
        for (int i = 0; i < recent.size() - 1; i++) {
            if (recent.get(i).score() < min) {
                min = recent.get(i).score();
                lowest = i;
            }
            mean += recent.get(i).score();
        }
        mean /= recent.size() - 1;
        if (last <= -0.2 && last < mean - 0.2 || demand && last <= -0.2) {
            return Trend.DECLINING;
        }
        double bestSince = Double.NEGATIVE_INFINITY;
        for (int i = lowest + 1; i < recent.size(); i++) {
            bestSince = Math.max(bestSince, recent.get(i).score());
        }
        if (min <= -0.3 && last >= min + 0.35 && last > -0.15 && bestSince > ACCEPTANCE && !demand && (last >= 0.1 || !stillAsking)) {
            return Trend.IMPROVING;
        }
        return Trend.STABLE;
    }

    /** Open questions earlier, then at least two closed questions after the last open one. */
    static boolean closedQuestionShift(List<Turn> customer) {
        List<Boolean> kinds = new ArrayList<>(); // true = closed
        for (Turn t : customer) {
            if (t.text().indexOf('?') < 0) {
                continue;
            }
            for (String sentence : Sentences.split(t.text().strip())) {
                String s = sentence.strip();
                if (!s.endsWith("?")) {
                    continue;
                }
                if (OPEN_Q.matcher(s).lookingAt()) {
                    kinds.add(false);
                } else if (CLOSED_Q.matcher(s).lookingAt() || Words.count(s) <= 4) {
                    kinds.add(true);
                }
            }
        }
        int lastOpen = kinds.lastIndexOf(false);
        if (lastOpen < 0) {
            return false;
        }
        int closedAfter = 0;
        for (int i = lastOpen + 1; i < kinds.size(); i++) {
            if (kinds.get(i)) {
                closedAfter++;
            }
        }
        return closedAfter >= 2;
    }

    /** Customer turns compared with each new one when looking for repetition. */
    private static final int REPETITION_LOOKBACK = 6;

    /**
     * A customer sentence of at least three words whose word set overlaps one of the previous
     * {@value #REPETITION_LOOKBACK} customer sentences (of earlier turns) by 70% or more (Jaccard).
     */
    static boolean repetition(List<Turn> customer) {
        List<Set<String>> seen = new ArrayList<>();
        for (Turn t : customer) {
            List<Set<String>> mine = new ArrayList<>();
            for (String sentence : Sentences.split(t.text().strip())) {
                Set<String> words = words(sentence.toLowerCase(Locale.ROOT));
                if (words.size() < 3) {
                    continue;
                }
                for (int i = Math.max(0, seen.size() - REPETITION_LOOKBACK); i < seen.size(); i++) {
                    Set<String> earlier = seen.get(i);
                    int inter = 0;
                    for (String w : words) {
                        if (earlier.contains(w)) {
                            inter++;
                        }
                    }
                    int union = words.size() + earlier.size() - inter;
                    if ((double) inter / union >= 0.7) {
                        return true;
                    }
                }
                mine.add(words);
            }
            seen.addAll(mine);
        }
        return false;
    }

    /** The distinct runs of letters, digits (any script) and apostrophes in {@code s}. */
    static Set<String> words(String s) {
        Set<String> words = new HashSet<>();
        int n = s.length();
        int start = -1;
        for (int i = 0; i < n; ) {
            int cp = s.codePointAt(i);
            boolean inWord = Character.isLetter(cp) || cp == '\'' || isNumber(cp);
            if (inWord && start < 0) {
                start = i;
            } else if (!inWord && start >= 0) {
                words.add(s.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            words.add(s.substring(start));
        }
        return words;
    }

    /** Unicode category N, as {@code \p{N}} reads it. */
    private static boolean isNumber(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    /** Least-squares slope of score over point position (per customer turn). */
    static double slope(List<SentimentTrack.Point> points) {
        int n = points.size();
        if (n < 2) {
            return 0;
        }
        double mx = (n - 1) / 2.0;
        double my = 0;
        for (SentimentTrack.Point p : points) {
            my += p.score();
        }
        my /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - mx) * (points.get(i).score() - my);
            den += (i - mx) * (i - mx);
        }
        return num / den;
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
