package dev.handoff.core.context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cue words and phrases found in one turn, as bits, from one pass over its words (an n-gram lookup, no regular
 * expressions): fast enough to run over every turn of a long transcript at packaging time.
 */
final class TurnFeatures {

    static final int URGENCY = 1;
    static final int DISTRUST = 1 << 1;
    static final int AI_INABILITY = 1 << 2;
    static final int PRICE = 1 << 3;
    static final int HESITATION = 1 << 4;
    /** The customer asks for someone senior, threatens to leave, dispute or report. */
    static final int DEMAND = 1 << 5;

    private static final Map<String, Integer> GRAMS = new HashMap<>();
    /** Longest phrase (in words) starting with a word. */
    private static final Map<String, Integer> LONGEST = new HashMap<>();

    static {
        gram(URGENCY, "urgent", "urgently", "asap", "as soon as possible", "immediately", "right now", "right away", "emergency",
                "tonight", "can't wait", "cannot wait", "cant wait", "deadline", "critical", "time sensitive", "hurry", "pain", "painful",
                "bleeding", "swollen", "throbbing", "today");
        gram(DISTRUST, "are you a bot", "are you a robot", "are you a real person", "are you real", "are you human", "are you a human",
                "are you a machine", "not what i asked", "not what i said", "you already said", "you already told", "i already said",
                "i already told", "i already gave", "i already explained", "this isn't working", "this is not working", "it isn't working",
                "it is not working", "you don't understand", "you do not understand", "you're not listening", "you're not understanding",
                "you're not helping", "useless", "waste of time", "waste of my time", "makes no sense", "made no sense",
                "doesn't make sense", "that's wrong", "that's not right", "that's not true", "i don't believe", "scam", "lied",
                "same thing again", "going round in circles", "going around in circles", "stop repeating", "nobody answers",
                "no one answers", "i'm telling you", "disputing", "actually come", "actually happens", "believe it when",
                "better be", "you said that", "last time", "already told", "are you even", "another chatbot", "still in business",
                "heard nothing", "nobody called", "same questions", "the last person", "full stop", "of course you are", "whatever",
                "that's a no", "bar association", "you people", "she'd better", "he'd better", "nobody warned", "nobody told",
                "not what we agreed", "reporting", "going to dispute", "dispute this charge", "nobody came", "no one came",
                "reported it twice", "already reported", "not good enough", "doesn't fix anything", "actually help",
                // observer sentiment family 1: "A bot. Of course. I don't trust this at all.", "feels like a bait and switch"
                "don't trust this", "don't trust you", "don't trust your", "don't trust bots", "don't trust chatbots", "do not trust this",
                "do not trust you", "can't trust you", "can't trust your", "cannot trust you", "bait and switch", "bait-and-switch", "nobody mentioned",
                "no one mentioned",
                // observer family 5: "every time I get the same copy-paste answer", "it's in every one of my emails"
                "copy-paste", "copy and paste", "copy paste", "same answer", "same reply", "every one of my emails",
                // observer family 7: "That's a policy, not an answer."
                "not an answer", "answer the question", "straight answer");
        // "manager" only when asked for: "the plant manager and I decide" and "my manager told me" are not demands
        gram(DEMAND, "a manager", "your manager", "the manager", "a supervisor", "your supervisor", "the supervisor",
                "someone senior", "a human", "a real person", "speak to someone", "talk to someone",
                "speak to a", "talk to a", "someone who can", "call me right now", "someone on the phone", "speak to someone now",
                // giving up on the conversation ends it upset just as surely as asking for someone senior
                "i'm done", "i am done", "done with this", "full stop", "fed up", "had enough", "waste of time", "wasting my time",
                // and so does leaving: "I'm disputing it with my bank and cancelling everything" (a dispute alone may be a
                // condition on a refund already made: "if they're not back by Friday I'm disputing them")
                "cancelling everything", "canceling everything", "cancel everything", "take my business elsewhere",
                "taking my business elsewhere");
        gram(AI_INABILITY, "i don't have exact", "i don't have the", "i don't have that", "i do not have", "i can't help", "i can't answer",
                "i can't find", "i cannot help", "i'm not able to", "i am not able to", "i'm unable to", "i can't confirm",
                "i cannot confirm", "i'm not sure", "i am not sure",
                "i don't know", "i do not know", "not something i can", "i didn't understand", "i didn't catch",
                "i'm sorry i don't", "i'm sorry i didn't");
        gram(PRICE, "price", "prices", "pricing", "cost", "costs", "per month", "per seat", "per user", "per year", "discount", "quote",
                "fee", "fees", "invoice", "plan", "plans", "tier", "a year", "annual", "annually");
        gram(HESITATION, "hm", "hmm", "hmmm", "um", "umm", "uh", "uhh", "that's a lot", "that is a lot", "expensive", "pricey", "steep",
                "too much", "not sure", "i'll think", "i'll have to think", "i'll need to think", "let me think", "need to think",
                "over our budget", "over my budget", "over the budget", "above our budget", "out of our budget", "out of my budget",
                "more than we expected", "more than i expected", "more than we budgeted", "more than we can", "more than i can",
                "more than we wanted", "can't afford", "cannot afford", "hard to justify", "i don't know", "on the fence", "not cheap",
                "sticker shock");
    }

    private static void gram(int bit, String... phrases) {
        for (String p : phrases) {
            GRAMS.merge(p, bit, (a, b) -> a | b);
            String[] words = p.split(" ");
            LONGEST.merge(words[0], words.length, Math::max);
        }
    }

    private TurnFeatures() {
    }

    /** The feature bits of a text. */
    static int of(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        int bits = 0;
        int n = text.length();
        for (int i = 0; i + 1 < n; i++) {
            char c = text.charAt(i);
            if ((c == '$' || c == '€' || c == '£') && Character.isDigit(text.charAt(i + 1))) {
                bits |= PRICE;
            } else if (c == '.' && text.charAt(i + 1) == '.') {
                bits |= HESITATION;
            } else if (c == '…') {
                bits |= HESITATION;
            }
        }
        List<String> words = words(text);
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < words.size(); i++) {
            String first = words.get(i);
            Integer longest = LONGEST.get(first);
            if (longest == null) {
                continue;
            }
            sb.setLength(0);
            sb.append(first);
            Integer b = GRAMS.get(first);
            if (b != null) {
                bits |= b;
            }
            for (int k = 1; k < longest && i + k < words.size(); k++) {
                sb.append(' ').append(words.get(i + k));
                b = GRAMS.get(sb.toString());
                if (b != null) {
                    bits |= b;
                }
            }
        }
        return bits;
    }

    /** Lower-case words of letters, digits and apostrophes (curly apostrophes made straight). */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>(16);
        StringBuilder w = new StringBuilder(16);
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                w.append(Character.toLowerCase(c));
            } else if ((c == '\'' || c == '\u2019') && w.length() > 0) {
                w.append('\'');
            } else if (w.length() > 0) {
                out.add(w.toString());
                w.setLength(0);
            }
        }
        if (w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    static boolean has(int bits, int feature) {
        return (bits & feature) != 0;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
