package dev.handoff.core.text;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The bundled sentiment lexicon's words: valences (customer-service vocabulary, -1..+1), multi-word phrases,
 * intensifiers, down-toners, negations and contrast words. The rules that combine them live with the analyzer
 * ({@code dev.handoff.core.context.LexiconSentimentAnalyzer}); the words live here, below it, so that the shared
 * tokenizer can mark them ({@link Words#SENTIMENT}) while it classifies every token, and the trigger engine's
 * estimate looks up only the tokens so marked. Immutable.
 */
public final class SentimentWords {

    private static final Map<String, Double> BASE = new HashMap<>();

    static {
        add(0.8, "excellent", "amazing", "fantastic", "wonderful", "awesome", "outstanding", "love", "loved");
        add(0.7, "perfect", "brilliant", "relieved", "relief");
        add(0.6, "happy", "glad", "delighted", "pleased", "impressed", "thrilled", "excited", "lovely", "reassuring", "reassured");
        add(0.5, "great", "helpful", "appreciate", "appreciated", "resolved", "easy", "kind", "painless");
        add(0.4, "nice", "good", "helped");
        add(0.3, "interested", "interesting", "fair", "reasonable", "fast", "quick", "cool");
        add(0.15, "works", "working", "clear");
        add(0.08, "thanks", "thank");
        add(0.05, "ok", "okay", "alright", "understood", "fine", "sure", "yes", "yeah");
        add(-0.9, "furious", "outraged", "outrageous", "disgusted", "hate", "scam", "scammed", "lawsuit", "sue", "worst", "horrible",
                "unacceptable");
        add(-0.8, "terrible", "awful", "useless", "stupid", "ridiculous", "pathetic", "incompetent", "angry", "livid", "disgusting",
                "garbage", "nightmare", "terrified", "panicking", "humiliated");
        add(-0.7, "frustrated", "frustrating", "annoyed", "annoying", "upset", "disappointed", "disappointing", "fed", "waste",
                "wasted", "broken", "rude", "pain", "painful", "agony", "throbbing", "unbearable", "lied", "absurd", "disaster",
                "desperate", "insulting");
        add(-0.6, "scared", "panic", "stressed", "unbelievable", "stolen");
        add(-0.5, "bad", "wrong", "hurts", "hurting", "hurt", "worried", "worry", "confused", "confusing", "unhappy", "failed",
                "fails", "failing", "error", "errors", "crash", "crashes", "crashed", "overcharged", "late", "missing", "lost",
                "stuck", "problem", "problems", "complaint", "bug", "bugs", "anxious", "nervous", "afraid", "urgent", "emergency",
                "crazy", "freezing", "stressing", "dispute", "disputing", "damaged", "cracked", "broke", "leaking", "snapped", "fraud",
                "suspended", "outage", "fired", "sued", "threatened", "refused", "refusing", "denied", "disappeared", "swollen",
                "bleeding", "sores", "abscess");
        add(-0.3, "chipped", "swelling", "declined", "dropped", "dropping", "overdue", "suing", "invalid", "loose", "leak");
        add(-0.4, "worse", "hurry", "lawyer", "reporting");
        add(-0.3, "issue", "issues", "slow", "expensive", "concerned", "concern", "difficult", "hard", "unclear", "delay",
                "delayed", "waiting", "unsure", "hesitant", "pricey", "costly", "doubt", "skeptical", "sceptical", "risky",
                "again", "steep");
        add(-0.2, "cancel");
        add(-0.3, "whatever");
    }

    /** Multi-word expressions scored as one hit each (lower case, apostrophes kept). */
    public static final Map<String, Double> PHRASES = Map.ofEntries(
            Map.entry("not good enough", -0.6), Map.entry("isn't the first time", -0.5), Map.entry("keeps happening", -0.5),
            Map.entry("charged twice", -0.5), Map.entry("charged me twice", -0.5), Map.entry("still hasn't", -0.5),
            Map.entry("still won't", -0.5), Map.entry("won't connect", -0.4), Map.entry("doesn't work", -0.5),
            Map.entry("isn't working", -0.5), Map.entry("not working", -0.5), Map.entry("stopped working", -0.5),
            Map.entry("don't understand", -0.5), Map.entry("don't recognise", -0.4), Map.entry("don't recognize", -0.4),
            Map.entry("nobody answers", -0.5), Map.entry("no one answers", -0.5), Map.entry("been down", -0.5), Map.entry("is down", -0.4),
            Map.entry("losing money", -0.6), Map.entry("more than we expected", -0.3),
            Map.entry("over budget", -0.4), Map.entry("too much", -0.4), Map.entry("no help", -0.6),
            Map.entry("went up", -0.3), Map.entry("waste of time", -0.8), Map.entry("fed up", -0.7), Map.entry("sounds good", 0.5),
            Map.entry("works for me", 0.4), Map.entry("that works", 0.2), Map.entry("makes sense", 0.3), Map.entry("thank you so much", 0.8),
            // relief and gratitude
            Map.entry("that helps", 0.5), Map.entry("would help", 0.4), Map.entry("really help", 0.4), Map.entry("thank god", 0.6),
            Map.entry("thank goodness", 0.6), Map.entry("thanks a lot", 0.5), Map.entry("fair enough", 0.2), Map.entry("you saved me", 0.8),
            Map.entry("that's something", 0.1), Map.entry("yes please", 0.3), Map.entry("hold you to that", -0.3),
            // problems reported in plain words
            Map.entry("still not", -0.4), Map.entry("not here", -0.3), Map.entry("broke down", -0.5), Map.entry("without asking", -0.4),
            Map.entry("shutting down", -0.4), Map.entry("won't let me", -0.5), Map.entry("got charged", -0.4), Map.entry("charged me", -0.3),
            Map.entry("by mistake", -0.4), Map.entry("doesn't fit", -0.3), Map.entry("never arrived", -0.5), Map.entry("didn't show", -0.6),
            Map.entry("knocked out", -0.5), Map.entry("not paying", -0.4), Map.entry("for me", 0.0), Map.entry("still says", -0.3),
            Map.entry("not what we agreed", -0.5), Map.entry("passed away", -0.5), Map.entry("wrong size", -0.2),
            // panic, threats and disbelief
            Map.entry("please hurry", -0.5), Map.entry("freaking out", -0.7), Map.entry("can't take", -0.6), Map.entry("is anyone there", -0.5),
            Map.entry("going to dispute", -0.6), Map.entry("with my bank", -0.3), Map.entry("bar association", -0.5),
            Map.entry("other vendor", -0.4), Map.entry("better be", -0.5), Map.entry("she'd better", -0.6), Map.entry("he'd better", -0.6),
            Map.entry("you'd better", -0.6), Map.entry("it'd better", -0.6), Map.entry("believe it when", -0.6),
            Map.entry("full stop", -0.4), Map.entry("want it back", -0.3), Map.entry("actually happens", -0.5), Map.entry("actually come", -0.4),
            Map.entry("you people", -0.6), Map.entry("another chatbot", -0.6), Map.entry("just what i needed", -0.7), Map.entry("oh great", -0.5),
            Map.entry("that's a no", -0.5), Map.entry("of course you are", -0.7), Map.entry("still in business", -0.5),
            Map.entry("are you even", -0.5), Map.entry("long time", -0.3), Map.entry("sick of", -0.7), Map.entry("tired of", -0.6),
            Map.entry("i'm done", -0.6), Map.entry("make sure they actually", -0.4), Map.entry("can't happen again", -0.5),
            Map.entry("heard nothing", -0.5), Map.entry("no one called", -0.5), Map.entry("nobody called", -0.5), Map.entry("nobody came", -0.5),
            Map.entry("nobody told", -0.4), Map.entry("nobody warned", -0.5), Map.entry("keeps asking", -0.4), Map.entry("same questions", -0.4),
            Map.entry("considering a lawyer", -0.6), Map.entry("a manager", -0.3), Map.entry("a supervisor", -0.3),
            Map.entry("someone senior", -0.3), Map.entry("take this much longer", -0.6),
            Map.entry("way over", -0.4), Map.entry("not fair", -0.5), Map.entry("lost my job", -0.7),
            Map.entry("can't afford", -0.4), Map.entry("it's tight", -0.15), Map.entry("is tight", -0.15),
            Map.entry("don't think it's for me", -0.3));

    /** Words that strengthen the next valence (the multiplier). */
    public static final Map<String, Double> INTENSIFIERS = Map.ofEntries(
            Map.entry("very", 1.5), Map.entry("really", 1.4), Map.entry("so", 1.4), Map.entry("extremely", 1.8),
            Map.entry("incredibly", 1.7), Map.entry("totally", 1.5), Map.entry("completely", 1.6), Map.entry("absolutely", 1.6),
            Map.entry("super", 1.5), Map.entry("too", 1.3), Map.entry("utterly", 1.7), Map.entry("deeply", 1.5),
            Map.entry("seriously", 1.4), Map.entry("most", 1.3), Map.entry("such", 1.3));
    /** Words that weaken the next valence (the multiplier). */
    public static final Map<String, Double> DOWNTONERS = Map.ofEntries(
            Map.entry("slightly", 0.5), Map.entry("somewhat", 0.6), Map.entry("bit", 0.6), Map.entry("little", 0.6),
            Map.entry("kinda", 0.6), Map.entry("fairly", 0.7), Map.entry("rather", 0.8), Map.entry("barely", 0.4),
            Map.entry("mildly", 0.5), Map.entry("partly", 0.6));
    /** Words that flip the valence of what follows within {@code NEGATION_WINDOW} words (apostrophes dropped). */
    public static final Set<String> NEGATIONS = Set.of("not", "no", "never", "nothing", "nobody", "none", "neither", "nor",
            "without", "hardly", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont",
            "wouldnt", "couldnt", "shouldnt", "havent", "hasnt", "aint");
    /** Words after which the earlier clauses count half. */
    public static final Set<String> CONTRAST = Set.of("but", "however", "although", "though", "yet");

    private static void add(double value, String... words) {
        for (String w : words) {
            BASE.put(w, value);
        }
    }

    /** The valences of single words (lower case). */
    public static final Map<String, Double> VALENCES = Collections.unmodifiableMap(BASE);

    private SentimentWords() {
    }

    /**
     * Every word the bundled analyzer reads as more than an unknown word: its valences, modifiers, negations, contrast
     * words and the first word of each phrase, lower case without apostrophes (as the tokenizer hashes them).
     */
    public static Set<String> all() {
        Set<String> all = new HashSet<>(VALENCES.keySet());
        all.addAll(INTENSIFIERS.keySet());
        all.addAll(DOWNTONERS.keySet());
        all.addAll(NEGATIONS);
        all.addAll(CONTRAST);
        for (String phrase : PHRASES.keySet()) {
            all.add(phrase.substring(0, phrase.indexOf(' ')).replace("'", ""));
        }
        return all;
    }
}
