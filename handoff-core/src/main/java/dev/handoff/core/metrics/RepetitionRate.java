package dev.handoff.core.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The repetition rate: the share of customer phrases after the human joined that repeat something the customer
 * already said to the AI. Over {@link #DEFAULT_FLAG_THRESHOLD} the handshake is broken (seed: "If it's >10%, your
 * handshake is broken").
 *
 * <p>A post-handoff customer turn counts as repeated when the word-trigram overlap (Jaccard) with any earlier
 * customer turn is at least {@link #DEFAULT_SIMILARITY}, or, for turns under five words, when its content words are
 * all contained in one earlier turn. Greetings and short acknowledgements ("yes", "thanks") are not phrases and are
 * not counted.
 */
public final class RepetitionRate {

    /** The share above which a handoff is flagged. */
    public static final double DEFAULT_FLAG_THRESHOLD = 0.10;
    /** Trigram Jaccard similarity at which a phrase counts as repeated. */
    public static final double DEFAULT_SIMILARITY = 0.5;

    private static final Set<String> FILLER = Set.of("yes", "yeah", "no", "ok", "okay", "thanks", "thank", "you", "hi", "hello",
            "sure", "right", "great", "please", "the", "a", "an", "i", "my", "is", "it", "to", "and", "of", "for", "on", "in", "me");

    /** What the customer said to the AI: kept as said, read into words only once a human has the conversation. */
    private final List<String> said = new ArrayList<>();
    private final List<List<String>> before = new ArrayList<>();
    private int afterPhrases;
    private int repeated;

    /**
     * A customer turn said to the AI, before the handoff. Called on every customer turn, so it only keeps the text (the
     * session holds it anyway); the words are read when the first turn after the handoff needs them.
     *
     * @param text what the customer said
     */
    public synchronized void beforeHandoff(String text) {
        said.add(text);
    }

    private void read() {
        for (String text : said) {
            List<String> words = words(text);
            if (!words.isEmpty()) {
                before.add(words);
            }
        }
        said.clear();
    }

    /**
     * A customer turn said to the human.
     *
     * @param text what the customer said
     * @return true when the turn repeats something said to the AI
     */
    public synchronized boolean afterHandoff(String text) {
        read();
        List<String> words = words(text);
        if (content(words).isEmpty()) {
            return false;
        }
        afterPhrases++;
        for (List<String> earlier : before) {
            if (similar(words, earlier)) {
                repeated++;
                return true;
            }
        }
        return false;
    }

    /**
     * Repeated phrases / phrases after the handoff; 0 when the customer has said nothing yet.
     *
     * @return the share, 0 to 1
     */
    public synchronized double rate() {
        return afterPhrases == 0 ? 0 : (double) repeated / afterPhrases;
    }

    /**
     * Whether the handoff is flagged as broken.
     *
     * @return true when {@link #rate()} is above {@link #DEFAULT_FLAG_THRESHOLD}
     */
    public synchronized boolean flagged() {
        return rate() > DEFAULT_FLAG_THRESHOLD;
    }

    /**
     * Customer phrases counted after the handoff (greetings and acknowledgements are not phrases).
     *
     * @return the count
     */
    public synchronized int phrasesAfterHandoff() {
        return afterPhrases;
    }

    /**
     * Of those, the ones that repeated something said to the AI.
     *
     * @return the count
     */
    public synchronized int repeatedPhrases() {
        return repeated;
    }

    static boolean similar(List<String> a, List<String> b) {
        Set<String> ca = content(a);
        if (a.size() < 5) {
            return !ca.isEmpty() && content(b).containsAll(ca);
        }
        Set<String> ta = trigrams(a);
        Set<String> tb = trigrams(b);
        if (ta.isEmpty() || tb.isEmpty()) {
            return false;
        }
        Set<String> inter = new HashSet<>(ta);
        inter.retainAll(tb);
        Set<String> union = new HashSet<>(ta);
        union.addAll(tb);
        double jaccard = (double) inter.size() / union.size();
        double containment = (double) inter.size() / ta.size();
        return jaccard >= DEFAULT_SIMILARITY || containment >= 0.6;
    }

    private static Set<String> content(List<String> words) {
        Set<String> s = new HashSet<>();
        for (String w : words) {
            if (!FILLER.contains(w)) {
                s.add(w);
            }
        }
        return s;
    }

    private static Set<String> trigrams(List<String> w) {
        Set<String> s = new HashSet<>();
        for (int i = 0; i + 2 < w.size(); i++) {
            s.add(w.get(i) + ' ' + w.get(i + 1) + ' ' + w.get(i + 2));
        }
        return s;
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String w : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').split("[^\\p{L}\\p{N}']+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
