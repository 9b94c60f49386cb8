package dev.handoff.core.context;

import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.SentimentWords;
import java.util.Locale;
import java.util.Map;

/**
 * The lexicon analyzer's rules over one text, fed word by word in reading order by either of its readers (the
 * text itself, or the tokens the trigger engine already made): negation, intensifiers and down-toners, contrast,
 * emphasis, phrases, sentence boundaries and sarcastic praise. One per thread, reused, so scoring allocates nothing
 * on ASCII text. Not thread-safe.
 */
final class SentimentTally {

    private static final ThreadLocal<SentimentTally> CURRENT = ThreadLocal.withInitial(SentimentTally::new);

    /** Praise that may be sarcastic: {contribution, sentence, first word followed by a comma}. */
    private final double[] praise = new double[3 * 8];
    /** Word count of each sentence. */
    private final int[] sentenceWords = new int[32];
    /** A copy of the text's characters. */
    private char[] chars = new char[256];

    String text = "";
    /** The text lower-cased (the text itself when it is ASCII: compared case-insensitively in place). */
    String lower = "";
    int n;
    /** True when {@link #lower} has the text's offsets, so phrases are matched at the words that start them. */
    boolean aligned;
    private double sum;
    private double weightSum;
    private int negationLeft;
    private double multiplier;
    private double clauseWeight;
    private int exclamations;
    private int praised;
    private int sentence;
    private double lowest;

    static SentimentTally get() {
        return CURRENT.get();
    }

    /** A buffer of at least {@code n} characters. */
    char[] chars(int n) {
        if (n > Scratch.MAX_POOLED_LENGTH) {
            return new char[n];   // one huge text does not pin memory to the thread
        }
        if (chars.length < n) {
            chars = new char[Math.max(n, 2 * chars.length)];
        }
        return chars;
    }

    /** Starts a text; {@code ascii} when no character is over 127. */
    SentimentTally begin(String text, boolean ascii) {
        this.text = text;
        this.n = text.length();
        this.lower = ascii ? text : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        this.aligned = lower.length() == n;
        sum = 0;
        weightSum = 0;
        negationLeft = 0;
        multiplier = 1;
        clauseWeight = 1;
        exclamations = 0;
        praised = 0;
        sentence = 0;
        sentenceWords[0] = 0;
        lowest = 0;
        if (!aligned) {
            for (Map.Entry<String, Double> p : SentimentWords.PHRASES.entrySet()) {
                int at = lower.indexOf(p.getKey());
                while (at >= 0) {
                    sum += phraseValue(at, p.getValue());
                    weightSum += 1;
                    at = lower.indexOf(p.getKey(), at + p.getKey().length());
                }
            }
        }
        return this;
    }

    /** A character between words (not a letter or an apostrophe). */
    void separator(char c) {
        if (c == '!') {
            exclamations++;
        }
        if (c == '.' || c == ';' || c == '?' || c == '!') {
            negationLeft = 0;
            multiplier = 1;
            if (sentenceWords[sentence] > 0 && sentence + 1 < sentenceWords.length) {
                sentence++;
                sentenceWords[sentence] = 0;
            }
        }
    }

    /** {@code count} words in a row that the lexicon does not know. */
    void unknown(int count) {
        sentenceWords[sentence] += count;
        negationLeft = Math.max(0, negationLeft - count);
    }

    /**
     * A word of the lexicon.
     *
     * @param e       what the word does
     * @param start   offset of the word's first character (its run of letters and apostrophes)
     * @param end     offset after the run
     * @param shouted written in capitals, at least three characters
     */
    void word(LexiconSentimentAnalyzer.Entry e, int start, int end, boolean shouted) {
        int position = sentenceWords[sentence]++;
        long[] shapes = e.phraseShapes();
        if (aligned && shapes != null) {
            for (int k = 0; k < shapes.length; k++) {
                int endAt = start + (int) (shapes[k] >>> 16);
                if (endAt > n) {
                    continue;
                }
                // most candidates differ in their last character: compare it first (ASCII, case-insensitively)
                char last = lower.charAt(endAt - 1);
                if (last < 128 && (last | 0x20) != ((char) shapes[k] | 0x20)) {
                    continue;
                }
                String phrase = e.phrases()[k];
                if (lower.regionMatches(true, start, phrase, 0, phrase.length())
                        && (endAt >= n || !Character.isLetter(lower.charAt(endAt)))) {
                    double pv = phraseValue(start, e.phraseValues()[k]);
                    sum += pv * clauseWeight;
                    weightSum += clauseWeight;
                    lowest = Math.min(lowest, pv);
                }
            }
        }
        switch (e.kind()) {
            case NEGATION -> negationLeft = LexiconSentimentAnalyzer.NEGATION_WINDOW;
            case CONTRAST -> {
                // what follows "but" is what the customer means: earlier clauses count half
                sum *= 0.5;
                weightSum *= 0.5;
                for (int k = 0; k < praised; k++) {
                    praise[3 * k] *= 0.5;
                }
                clauseWeight = 1;
                negationLeft = 0;
                multiplier = 1;
            }
            case MODIFIER -> multiplier *= e.value();
            case VALENCE -> {
                double value = e.value() * multiplier * (shouted ? 1.5 : 1);
                if (negationLeft > 0) {
                    // "not good" is mildly negative, "not bad" mildly positive: flip and damp
                    value = -value * 0.6;
                    negationLeft = 0;
                }
                sum += value * clauseWeight;
                weightSum += clauseWeight;
                multiplier = 1;
                lowest = Math.min(lowest, value);
                boolean opener = position == 0 && end < n && text.charAt(end) == ',' && !lower.startsWith(" but", end + 1);
                if (value >= 0.5 && praised < 8 && (opener || lowest <= -0.3)) {
                    praise[3 * praised] = value * clauseWeight;
                    praise[3 * praised + 1] = sentence;
                    praise[3 * praised + 2] = opener ? 1 : 0;
                    praised++;
                }
            }
            case PHRASE_ONLY -> {
                if (negationLeft > 0) {
                    negationLeft--;
                }
            }
        }
    }

    /** The score of the text: -1..+1, three decimals. */
    double score() {
        text = "";
        lower = "";
        if (lowest <= -0.3) {
            // sarcasm: praise that stands alone ("Brilliant.", "Fantastic job, really.") or opens a complaint ("Great, your
            // service is down AGAIN") in a turn that complains is the opposite of praise
            for (int k = 0; k < praised; k++) {
                int sent = (int) praise[3 * k + 1];
                if (praise[3 * k + 2] == 1 || sentenceWords[sent] <= 3) {
                    sum -= 2 * praise[3 * k];
                }
            }
        }
        if (weightSum == 0) {
            return 0;
        }
        double score = sum / Math.sqrt(weightSum);
        if (exclamations > 0) {
            // x1.3 per mark, at most three: "Thanks!" reads warmer than "Thanks." (labelled so in handoff-eval's corpus)
            score *= 1 + Math.min(3, exclamations) * 0.3;
        }
        return Math.max(-1, Math.min(1, Math.round(score * 1000) / 1000.0));
    }

    private double phraseValue(int at, double value) {
        boolean negated = value > 0 && at >= 4 && lower.regionMatches(true, at - 4, "not ", 0, 4);
        return negated ? -value * 0.6 : value;
    }
}
