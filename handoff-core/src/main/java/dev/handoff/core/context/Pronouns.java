package dev.handoff.core.context;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the customer's words for the people who read or say them again: in the third person for the whisper
 * ("my card" becomes "their card", "your company" becomes "the company"), in the second person for the agent's
 * opening line ("my tooth hurts" becomes "your tooth hurts", "your company" becomes "our company"). Verbs after a
 * rewritten subject agree ("I am" becomes "they are", "I was" becomes "you were"). Stateless.
 */
final class Pronouns {


    private static final Map<String, String> THIRD = Map.ofEntries(
            Map.entry("i", "they"), Map.entry("me", "them"), Map.entry("my", "their"), Map.entry("mine", "theirs"),
            Map.entry("myself", "themselves"), Map.entry("i'm", "they're"), Map.entry("i've", "they've"), Map.entry("i'd", "they'd"),
            Map.entry("i'll", "they'll"), Map.entry("we", "they"), Map.entry("us", "them"), Map.entry("our", "their"),
            Map.entry("ours", "theirs"), Map.entry("ourselves", "themselves"), Map.entry("we're", "they're"), Map.entry("we've", "they've"),
            Map.entry("we'd", "they'd"), Map.entry("we'll", "they'll"), Map.entry("your", "the"), Map.entry("yours", "the company's"),
            Map.entry("you", "the company"), Map.entry("am", "are"), Map.entry("was", "were"), Map.entry("i'll've", "they'll have"));

    private static final Map<String, String> SECOND = Map.ofEntries(
            Map.entry("i", "you"), Map.entry("me", "you"), Map.entry("my", "your"), Map.entry("mine", "yours"),
            Map.entry("myself", "yourself"), Map.entry("i'm", "you're"), Map.entry("i've", "you've"), Map.entry("i'd", "you'd"),
            Map.entry("i'll", "you'll"), Map.entry("we", "you"), Map.entry("us", "you"), Map.entry("our", "your"), Map.entry("ours", "yours"),
            Map.entry("ourselves", "yourselves"), Map.entry("we're", "you're"), Map.entry("we've", "you've"), Map.entry("we'd", "you'd"),
            Map.entry("we'll", "you'll"), Map.entry("your", "our"), Map.entry("yours", "ours"), Map.entry("you", "we"),
            Map.entry("am", "are"), Map.entry("was", "were"));

    private Pronouns() {
    }

    private static final Pattern ASKS_YOU = Pattern.compile("\\b(do|does|are|have|were|can|could|will|would|did) you\\b", Pattern.CASE_INSENSITIVE);

    /** The customer's words as the whisper says them: about the customer ("their"), the business as "the company". */
    static String third(String s) {
        // "do you offer" reads "does the company offer"
        if (!hasSpaceYou(s)) {
            return swap(s, THIRD);   // no "<verb> you" to rewrite
        }
        Matcher m = ASKS_YOU.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String verb = m.group(1);
            String lower = verb.toLowerCase(Locale.ROOT);
            String agreed = switch (lower) {
                case "do" -> "does";
                case "are" -> "is";
                case "have" -> "has";
                case "were" -> "was";
                default -> lower;
            };
            if (Character.isUpperCase(verb.charAt(0))) {
                agreed = capitalize(agreed);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(agreed + " the company"));
        }
        m.appendTail(sb);
        return swap(sb.toString(), THIRD);
    }

    /** The customer's words as the agent says them back: to the customer ("your"), the business as "our". */
    static String second(String s) {
        return swap(s, SECOND);
    }

    private static String swap(String s, Map<String, String> table) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        boolean afterSubject = false;
        int n = s.length();
        for (int start = 0, end; start < n; start = end) {
            // the tokens: runs of ASCII letters and apostrophes, and runs of anything else
            boolean word = wordChar(s.charAt(start));
            end = start + 1;
            while (end < n && wordChar(s.charAt(end)) == word) {
                end++;
            }
            String tok = s.substring(start, end);
            if (!Character.isLetter(tok.charAt(0)) && tok.charAt(0) != '\'' && tok.charAt(0) != '\u2019') {
                out.append(tok);
                continue;
            }
            String lower = tok.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
            String rep = table.get(lower);
            boolean verb = lower.equals("am") || lower.equals("was");
            if (rep != null && (!verb || afterSubject) && !(lower.equals("us") && tok.equals("US"))) {
                out.append(rep); // callers capitalize the line they build
            } else {
                out.append(tok);
            }
            afterSubject = lower.equals("i") || lower.equals("we") || lower.equals("you");
        }
        return out.toString();
    }

    /** True when {@code s} holds " you" in any case: what {@link #ASKS_YOU} needs to match. */
    private static boolean hasSpaceYou(String s) {
        for (int i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) {
            if (s.regionMatches(true, i, " you", 0, 4)) {
                return true;
            }
        }
        return false;
    }

    private static boolean wordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '\'' || c == '\u2019';
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
