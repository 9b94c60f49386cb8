package dev.handoff.core.text;

/**
 * The word tables of {@link Dates}: month and weekday names, the small number words, the cue-word groups each reader
 * of a date or time matches against ({@code W0} .. {@code W26}, named by position as before the split) and the
 * {@link #STARTERS} words an expression can begin with. Package-private; the arrays are never written after class
 * initialisation and must not be, so sharing them between threads is safe.
 */
final class DateWords {

    static final String[] MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"};
    static final String[] DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    static final String[] W0 = {"last", "since", "ago", "been", "earlier", "previous", "past"};
    static final String[] W1 = {"within", "in"};
    static final String[] W2 = {"hour", "day", "week"};
    static final String[] W3 = {"about", "around", "roughly", "approximately", "maybe", "another"};
    static final String[] W4 = {"to", "or"};
    static final String[] W5 = {"business", "working"};
    static final String[] W6 = {"minute", "minutes", "mins", "min"};
    static final String[] W7 = {"hour", "hours", "hrs", "hr"};
    static final String[] W8 = {"day", "days"};
    static final String[] W9 = {"week", "weeks"};
    static final String[] W10 = {"month", "months"};
    static final String[] W11 = {"year", "years"};
    static final String[] W12 = {"noon", "midday"};
    static final String[] W13 = {"at", "by", "before", "after", "until", "till"};
    static final String[] W14 = {"percent", "people", "users", "seats", "dollars", "of"};
    static final String[] W15 = {"and", "to"};
    static final String[] W16 = {"am", "pm"};
    static final String[] W17 = {"on", "by", "before", "until", "till", "this", "next", "coming", "for", "from", "to"};
    static final String[] W18 = {"morning", "afternoon", "evening", "night"};
    static final String[] W19 = {"by", "before", "until", "on", "for"};
    static final String[] W20 = {"today", "tonight"};
    static final String[] W21 = {"morning", "afternoon", "evening"};
    static final String[] W22 = {"by", "before", "until", "till", "ahead"};
    static final String[] W23 = {"in", "during", "over", "for", "around", "from", "after"};
    static final String[] W24 = {"early", "beginning"};
    static final String[] W25 = {"week", "weekend"};
    static final String[] W26 = {"i", "we", "you", "be", "have", "not", "need", "want"};
    static final String[] SMALL_WORDS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
    static final String[] SMALL = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};

    /** Words an expression can start with (besides numbers); the scan skips every other word. */
    static final Lexicon STARTERS;

    static {
        java.util.Map<String, int[]> m = new java.util.HashMap<>();
        String starters = "every each within in the a an couple few several about around roughly approximately maybe another next coming "
                + "noon midday between from at by before after until till on this last since for to today tonight tomorrow yesterday end "
                + "mid middle early beginning start late past previous during over ahead quarter week weekend month year q1 q2 q3 q4 "
                + "spring summer fall autumn winter tax sat sun wed mon tue tues thu thur thurs fri jan feb mar apr jun jul aug sep sept "
                + "oct nov dec thirty forty fortyeight";
        for (String w : starters.split(" ")) {
            m.put(w, new int[] {1, 0});
        }
        for (String w : MONTHS) {
            m.put(w, new int[] {1, 0});
        }
        for (String w : DAYS) {
            m.put(w, new int[] {1, 0});
        }
        for (String w : SMALL_WORDS) {
            m.put(w, new int[] {1, 0});
        }
        STARTERS = new Lexicon(m);
    }

    private DateWords() {
    }
}
