package dev.handoff.core.context;

import dev.handoff.api.Commitment.Kind;
import dev.handoff.core.text.Automaton;
import dev.handoff.core.text.Lexicon;
import dev.handoff.core.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The phrase and word tables the {@link PromiseReader} reads an AI turn with: one automaton holding the cue phrases
 * of every kind of promise and the markers around them (hedges, conditions, negations, escalation verbs), and a word
 * table of grammatical classes (modals, first person, determiners, participles). Phrases are matched after the
 * shared {@link Normalizer} (contractions expanded: "I've" reads "i have", "can't" reads "can not"), on whole words;
 * a trailing {@code *} matches a word prefix. Built once; immutable.
 */
final class PromiseCues {

    /** Marker ids (after the kinds) in {@link #ROLE}. */
    static final int HEDGE = 100;
    static final int CONDITION = 101;
    static final int NEGATION = 102;
    static final int NOT_A_PROMISE = 103;
    static final int GENERIC = 104;

    // word classes
    static final int MODAL = 1;
    static final int BE = 1 << 1;
    static final int HAVE = 1 << 2;
    static final int FIRST = 1 << 3;
    static final int YOU = 1 << 4;
    static final int DET = 1 << 5;
    static final int PRONOUN = 1 << 6;
    static final int PARTICIPLE = 1 << 7;
    static final int ADVERB = 1 << 8;
    static final int TITLE = 1 << 9;
    static final int LET = 1 << 10;
    static final int WILL = 1 << 11;
    static final int PREP = 1 << 12;

    /** The automaton's patterns: cues first, then markers. */
    static final Automaton AUTOMATON;
    /** Per pattern: a {@link Kind} ordinal, or one of the marker ids. */
    static final int[] ROLE;
    /** Per pattern: its normalized length without padding. */
    static final int[] LENGTH;
    /** Grammatical classes by word. */
    static final Lexicon WORDS;

    private static final List<String> PATTERNS = new ArrayList<>();
    private static final List<Integer> ROLES = new ArrayList<>();

    static {
        cue(Kind.DISCOUNT, "off", "discount*", "half price", "price match*", "knock*", "it lower", "price down", "a better price");
        cue(Kind.REFUND, "refund*", "money back", "reimburs*", "back on your card", "back to your card", "credited back",
                "reverse the charge*", "reversed the charge*");
        cue(Kind.CREDIT, "credit", "credits", "credited", "store credit", "account credit");
        cue(Kind.CALLBACK, "call you", "call you back", "callback", "call back", "give you a call", "give you a ring", "phone you",
                "ring you", "contact you", "reach out to you", "get back to you", "be in touch", "reach out", "get in touch");
        cue(Kind.FOLLOW_UP, "email you", "emailing you", "e mail you", "text you", "message you", "send you", "send it", "send them",
                "send the", "send a", "send an", "send all", "send your", "send out", "send over", "let you know", "follow up",
                "put together", "email your", "email the", "email a", "to your email", "to your registered email", "update you",
                "keep you updated", "keep you posted", "keep you informed");
        cue(Kind.DELIVERY_DATE, "deliver", "delivered", "redeliver", "redelivered", "arrive", "arrives", "arriving", "ship", "ships", "shipped", "dispatch",
                "dispatched", "posted", "reach you", "in your hands", "at your door");
        cue(Kind.FEE_WAIVER, "waiv*", "removed the", "taken off the", "reduced the bill", "reduced your bill");
        cue(Kind.FREE_TRIAL, "trial", "days free", "weeks free", "months free", "free for");
        cue(Kind.FREE_ADD_ON, "free", "at no cost", "at no charge", "at no extra cost", "free of charge", "for free", "complimentary",
                "on the house", "no charge for", "included free");
        cue(Kind.ESCALATION, "escalat*", "passed your", "passed this", "passed it", "passing this", "passing it", "pass your",
                "pass this", "pass it", "hand this", "handing this", "handed this", "connecting you with", "connecting you to",
                "transferring you to", "flagged", "flag it", "flag this", "put your request to", "refer you", "referred",
                "forwarded");
        cue(Kind.APPOINTMENT, "booked", "book", "rebook*", "scheduled", "schedule you", "rescheduled", "moved your", "moved you",
                "set up a consultation", "set up a meeting", "set up a call", "see you", "see him", "see her", "see them",
                "be with you", "collect it", "collect them", "i have a slot", "pencil*", "put you down for", "holding a slot",
                "speak with you", "talk with you", "visit you", "will visit", "visit on", "come out to you");
        cue(Kind.OTHER, "replace it", "replace them", "replace the", "replace your", "ship a replacement", "send a replacement",
                "send you a replacement", "repaired", "repair it", "repair them", "reconnection", "reconnect", "void the", "on hold",
                "resubmit", "make sure", "add a note", "a note to your file", "from now on", "any more", "anymore", "cover the cost",
                "cover the repair", "cover the bill", "raise your limit", "increase your limit", "lift your limit");
        marker(HEDGE, "might", "may", "could", "possibly", "perhaps", "maybe", "potentially", "probably", "likely", "hopefully",
                "see if", "see whether", "see what", "check if", "check whether", "try to", "try and", "should", "i think",
                "eligible", "typically", "usually", "normally", "subject to", "pending", "depending on", "need to confirm",
                "needs to confirm", "confirm that with", "not sure", "whichever", "would");
        marker(GENERIC, "usually", "typically", "normally", "generally", "often", "sometimes");
        marker(CONDITION, "if", "unless", "once", "provided that", "as long as");
        marker(NEGATION, "not", "never", "nothing", "none", "cannot", "unable", "no longer", "without");
        marker(NOT_A_PROMISE, "credit card", "credit cards", "no problem", "no worries", "no rush", "pass that on", "pass it on",
                "could you", "would you", "would like", "would be happy", "would be glad", "would love", "consultation fee",
                "the consultation itself", "decide if", "decide whether", "know if", "ask if", "find out if", "tell you if",
                "confirm if", "wonder if");
        List<String> normalized = new ArrayList<>();
        LENGTH = new int[PATTERNS.size()];
        for (int i = 0; i < PATTERNS.size(); i++) {
            String p = PATTERNS.get(i);
            boolean prefix = p.endsWith("*");
            String norm = Normalizer.normalize(prefix ? p.substring(0, p.length() - 1) : p).strip();
            LENGTH[i] = norm.length();
            normalized.add(" " + norm + (prefix ? "" : " "));
        }
        AUTOMATON = new Automaton(normalized, 4_000_000);
        ROLE = ROLES.stream().mapToInt(Integer::intValue).toArray();

        Map<String, int[]> w = new HashMap<>();
        words(w, MODAL, "will", "would", "can", "could", "shall", "should", "may", "might", "must");
        words(w, WILL, "will", "shall");
        words(w, BE, "am", "is", "are", "was", "were", "be", "been", "being");
        words(w, HAVE, "have", "has", "had");
        words(w, FIRST, "i", "we");
        words(w, YOU, "you");
        words(w, LET, "let");
        words(w, DET, "the", "a", "an", "your", "our", "my", "his", "her", "their", "its", "this", "that", "these", "those", "any",
                "each", "both", "all");
        words(w, PRONOUN, "he", "she", "they", "it", "who", "someone", "somebody", "one", "which");
        words(w, TITLE, "dr", "mr", "ms", "mrs", "miss", "doctor", "professor");
        words(w, ADVERB, "also", "just", "already", "really", "now", "then", "certainly", "absolutely", "actually", "personally",
                "still", "happily", "gladly", "definitely", "immediately", "right", "even", "only", "quickly", "both", "all", "now");
        words(w, PREP, "to", "for", "with", "at", "on", "by", "in", "from", "of", "about");
        words(w, PARTICIPLE, "sent", "put", "set", "made", "given", "taken", "done", "got", "gotten", "written", "paid", "told",
                "brought", "kept", "found", "held", "left", "shown", "seen", "spoken", "begun", "run", "upgraded", "booked");
        WORDS = new Lexicon(w);
    }

    private PromiseCues() {
    }

    private static void cue(Kind kind, String... phrases) {
        for (String p : phrases) {
            PATTERNS.add(p);
            ROLES.add(kind.ordinal());
        }
    }

    private static void marker(int role, String... phrases) {
        for (String p : phrases) {
            PATTERNS.add(p);
            ROLES.add(role);
        }
    }

    private static void words(Map<String, int[]> table, int flag, String... words) {
        for (String word : words) {
            table.computeIfAbsent(word, k -> new int[2])[0] |= flag;
        }
    }

    /** True when role {@code r} is a kind of promise. */
    static boolean isKind(int r) {
        return r < HEDGE;
    }
}
