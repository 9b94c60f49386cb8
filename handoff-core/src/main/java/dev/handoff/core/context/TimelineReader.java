package dev.handoff.core.context;

import dev.handoff.core.context.ObserverCues.Cue;
import dev.handoff.core.text.Alternation;
import dev.handoff.core.text.Words;
import dev.handoff.core.text.Dates;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer's timeline: when they need it, in their words. A moment the shared {@link Dates} reader finds counts
 * when the customer sets it as a target ("by end of Q2", "ahead of tax season", "before our peak season starts in
 * May", "my court date is on the 16th", "we'd start next week"), answers the assistant's "when?", or asks to be seen
 * at it ("can you fit me in this afternoon?"); urgency ("right now", "please hurry", "as soon as possible") and
 * flexibility ("no rush") count too, and so do a wish said in the past ("I was hoping to go live by March 20"), a
 * deadline set by something of theirs ("before my flight on Thursday") and a date a later "by then" points back to.
 * Background dates do not ("billed twice this quarter", "since Friday", "I paid on the 28th"), nor do times the
 * customer repeats after the assistant ("Tomorrow at 3 works"). The first timeline
 * said is kept; a concrete date replaces "no rush". One instance per conversation; not thread-safe.
 */
final class TimelineReader {

    private static final int F = Pattern.CASE_INSENSITIVE;
    private static final Pattern TARGET = Pattern.compile("\\b(" + Alternation.byFirstLetter("by|before|until|till|ahead of|in time for|no later than|deadline|due|within"
            + "|expires?|starts?|starting|launch\\w*|go(?:ing)? live|renews?|closes?|closing|ends?|need(?:ed|s)?|want(?:ed|s)?|would like|'d like"
            + "|like to|rather|prefer|hoping|hope|planning|plan to|start|switch|sign|move in|married|wedding|party|interview|hearing|court date|presentation"
            + "|trip|meeting|retire|announce|respond|response|shutting down|workshops?|semester|pilot|have to|has to|must|asap|answers|done"
            + "|running|active|enrolled|live|decision|moving|counting on|book|rebook|schedule|come in|see|be there|be in|arrives?|leaving|comes"
            + "|on (?:our|my) way|coming|aim\\w*|target\\w*|goal|timeframe|time frame|window|ready|in place|fly|flying|travel\\w*"
            + "|leave|vacation|holiday|surgery|free|available|runs out|run out|running out|lapses|meets|kicks? off|begins?|we open|we're opening|we are opening|we'll open|we will open"
            + "|deposition|trade show|conference|expo|goes out|go out|comes out|shows? up|turns? up|go(?:es)? to (?:print|press)") + "|(?:is|are|'s|'re|been) (?:booked|scheduled|planned|slated|set))\\b", F);
    /** "The conference on Saturday was cancelled", "the trade show in March went well": the moment is over. */
    private static final Pattern OVER_AFTER = Pattern.compile("^\\s*(?:was|were|went|did|had|happened)\\b", F);
    /** "Next week would be better", "this afternoon if possible": the customer asks for that moment. */
    private static final Pattern AFTER = Pattern.compile("^[,\\s]*(?:works|would work|is fine|is good|is best|suits|would suit|would be (?:better"
            + "|great|ideal|good|best|perfect)|is ideal|if possible|if you can|at the latest|latest|please)\\b", F);
    private static final Pattern HEDGES_ONLY = Pattern.compile("^\\s*(?:maybe|ideally|probably|hopefully|perhaps|possibly|preferably)?[,\\s]*$", F);
    /** "cancel my appointment on Friday": the date of something that exists, not a target. */
    private static final Pattern EXISTING = Pattern.compile("\\bmy\\s+(?:\\w+\\s+)?(?:appointment|booking|visit|cleaning|reservation|order"
            + "|flight|meeting|session|class|check-?up)\\s*$", F);
    /** "... before my flight on Thursday": the thing that exists is what the customer's deadline is set by. */
    private static final Pattern BEFORE_EXISTING = Pattern.compile("\\b(?:before|by|ahead of|in time for)\\s+my\\s+(?:\\w+\\s+)?\\w+\\s*$", F);
    /** "Payroll runs on Friday, so the fix has to be in by then": a later "by then" makes the date a deadline. */
    private static final Pattern BY_THEN = Pattern.compile("\\b(?:by|before|until|till) then\\b|\\bin time\\b"
            // "my visa appointment is on the 22nd and I need the letter": what they need is set by that date
            + "|^[,\\s]*(?:and|so)\\s+(?:(?:i|we)\\s+)?(?:really\\s+|still\\s+)?(?:need|have to|must)\\b"
            // "the kids go back to school on the 8th, so mornings after that work": later words set by that date
            + "|\\b(?:after|before) (?:that|then)\\b", F);
    /** "close at 6 on weekdays", "we usually open at 9": a time that comes round again, not a target. */
    private static final Pattern HABITUAL_AFTER = Pattern.compile("^\\s*(?:on weekdays|on weekends|(?:of\\s+)?every\\s+\\w+|(?:of\\s+)?each\\s+\\w+|daily"
            + "|nightly|on (?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays))\\b", F);
    private static final Pattern HABITUAL_BEFORE = Pattern.compile("\\b(?:usually|normally|always|typically|generally|(?:opening|business|office) hours|your hours)\\b", F);
    /**
     * "Right now the screen just shows an error": "right now" opening a sentence about how something stands is when
     * it is so, not how soon the customer needs it.
     */
    private static final Pattern STATE_NOW = Pattern.compile("^,?\\s+(?:the|my|our|your|it|it's|this|that|there|they|his|her|their)\\b", F);
    /**
     * A story of what happened: a subject and a verb in the past ("they immediately charged me again", "the app crashed
     * right away", "I was told ... as soon as possible"); urgency words in it say how fast things went, not how soon the
     * customer needs something.
     */
    private static final Pattern NARRATED = Pattern.compile("\\b(?:i|we|they|he|she|it|you|(?:the|my|our|your|their|his|her) \\w+)"
            + "\\s+(?:\\w+ly\\s+)?(?:\\w+ed|broke|went|hung|got|was|were|came|took|said|told|began|fell|ran|sent|had|gave|left|made|put"
            + "|shut|quit|stopped)\\b", F);
    /** A request in the same sentence keeps the urgency the customer's own ("it crashed again, I need someone right away"). */
    private static final Pattern REQUESTED = Pattern.compile("\\b(?:need|needs|want|wants|please|can you|could you|would you|have to"
            + "|has to|must|call me|get me|send|fix)\\b", F);
    private static final Pattern SEEN = Pattern.compile("\\b(?:can|could) (?:you|someone|anyone|i|we|(?:a|an|the|your) \\w+)\\b[^?]*\\b(?:fit|see|book|rebook|look at|come"
            + "|get|schedule|help|do|make it|meet|talk|have)\\b|\\b(?:book|rebook)\\b[^.?!]*\\bfor\\b|\\bi'?ll book\\b|\\bdo you have\\b"
            + "|\\bany (?:openings?|slots?|availability|appointments?|chance)\\b|\\bavailable\\b|\\bis there anything\\b", F);
    private static final Pattern PAST = Pattern.compile("(?<!\\b(?:a|an|the|be) )(?<!\\b(?:wants?|needs?|like|get|gets|have|has) (?:it|this|that|them|everything|both|these|those) )\\b(" + Alternation.byFirstLetter("was|were|did|didn'?t|had|paid|ordered|bought|received|arrived|cancell?ed|called"
            + "|reported|sent|installed|fired|charged|billed|happened|since|ago|went|came|told|said|tried|spent|been|last|used to|promised"
            + "|supposed to|started|broke|fell|slipped|signed|took|moved|filed|missed") + ")\\b"
            // "I got a letter", not "I've got a court date" (a present "have")
            + "|(?<!['\u2019]ve |\\bhave |['\u2019]s |\\bhas )\\bgot\\b", F);
    /**
     * An event said to be on a date, in the present: "the exam is in two weeks", "our open day is the 18th", "my court
     * thing is Thursday" (not "it's Thursday", "today is", "what is").
     */
    private static final Pattern SCHEDULED = Pattern.compile("\\b(?!(?:it|that|this|there|today|tomorrow|tonight|which|what|when|where"
            + "|who|here|mine|yours|one)\\b)[a-z]+\\s+(?:is|are)\\s+(?:on\\s+|in\\s+)?$", F);
    /** "The problem is Monday's update": the date names a thing, not when. */
    private static final Pattern POSSESSIVE = Pattern.compile("^['\u2019]s\\b");
    /**
     * "I was hoping to", "we were counting on": a wish still held, said politely in the past; the target word follows
     * the {@code was}/{@code were} directly.
     */
    private static final Pattern TENTATIVE = Pattern.compile("\\b(?:was|were)\\s+(?:really\\s+|kind of\\s+|sort of\\s+)?$", F);
    private static final Pattern TENTATIVE_TARGET = Pattern.compile("counting on|hoping|planning|aiming|targeting|targetting", F);
    static final Pattern URGENT = Pattern.compile("\\b(as soon as possible|asap|right now|right away|immediately|urgently|please hurry"
            + "|as early as possible|as quickly as possible"
            + "|hurry|earliest|next available|as soon as you can|soon as possible|straight away)\\b|(?-i:\\bNOW\\b)"
            + "|\\b(?:need|want|call me|see me|speak to|talk to|help me|help us)\\b[^.?!]{0,30}\\bnow\\b|\\bsee me soon\\b"
            + "|\\b(?:come|see me|get here|be here|someone)\\b[^.?!]{0,20}\\bsooner\\b|\\bthe sooner the better\\b"
            // "I need to know my rights quickly", not "I need a phone that charges fast"
            + "|\\b(?:need|needs|want)\\b(?:(?!\\b(?:that|which|who)\\b)[^.?!]){0,30}\\b(?:quickly|fast)\\b", F);
    /**
     * A target named by an event rather than a date ("before Christmas", "in time for the holidays", "ahead of tax
     * season", "before the audit", "before the fiscal year ends", "before the weekend", "in the new year"): read when no
     * date mention gave one.
     */
    static final Pattern EVENT = Pattern.compile("\\bin the new year\\b"
            + "|\\b(?:by|before|ahead of|in time for|until|till|no later than|after)\\s+(?:(?:the|our|my|this|next)\\s+){0,2}"
            + "(?:(?:start|end|beginning|middle)\\s+of\\s+(?:(?:the|our|my|this|next)\\s+)?)?"
            + "(?:christmas|xmas|(?:the\\s+)?holidays|holiday season|new year|easter|thanksgiving|weekend"
            + "|black friday|tax season|tax day|peak season|busy season|(?:annual\\s+)?audit|(?:new\\s+)?school year|(?:new\\s+)?term"
            + "|(?:fiscal|financial) year|year[- ]end|launch|move|wedding|board meeting|renewal|billing (?:cycle|date|period))"
            + "(?:\\s+(?:starts|ends|begins|kicks off|is over|rush))?\\b", F);
    static final Pattern FLEXIBLE = Pattern.compile("\\b(" + Alternation.byFirstLetter("no rush|no hurry|in no rush|not urgent|whenever(?: works)?|any day"
            + "|sometime (?:in|next)[^.,!?]*|flexible"
            // "Anything the week after is fine"
            + "|(?:anything|any time|anytime) the (?:week|day|month) after"
            // a stated absence ("nothing decided and no timeframe yet"), not one the customer was left with ("they gave me
            // no timeline for the refund", "a letter with no deadline")
            + "|(?<!\\b(?:with|without|gave me|gave us|given|giving me|got|get|offered|left me with) )"
            + "no (?:(?:set |fixed |firm |real |particular )?(?:timeframe|time frame|timeline|deadline)|(?:set|fixed|firm) date)") + ")\\b", F);
    /** "can I just speak to someone now?": when they want a person, not when they need the outcome. */
    private static final Pattern PERSON = Pattern.compile("\\b(?:speak|talk)\\s+(?:to|with)\\s+(?:someone|somebody|a person|a human|a manager"
            + "|a supervisor|an agent|a real person)\\b", F);
    private static final Pattern WHEN_ASKED = Pattern.compile("\\b(when|what timeline|timeline|how soon|by when|what date|which day|what day)\\b", F);
    private static final Pattern DEADLINE_WORD = Pattern.compile("^(by|before|until|till|ahead of)\\b", F);
    private static final Pattern LEAD_PREPOSITION = Pattern.compile("^(by|before|on|at|for|until|in|within)\\s+");
    private static final Pattern LEAD_NEED = Pattern.compile("^(?:we|i|it|they)\\s+(?:need|want|have|has)\\s+(?:it|this|to)?\\s*", F);
    private static final Pattern LEAD_BE = Pattern.compile("^(?:is|are|'s|'re|been)\\s+", F);
    private static final Pattern LEAD_LIKE = Pattern.compile("^(?:would like|'d like|like|rather|prefer)\\s+(?:to\\s+)?", F);

    private String timeline;
    private boolean flexible;

    String timeline() {
        return timeline;
    }

    /**
     * Reads one customer sentence said at {@code now}; {@code lastAi} is the assistant's previous turn (nullable);
     * {@code asksForPerson} when the trigger quoted the sentence as a request for a person ("can I speak to someone
     * now?" says when they want a person, not when they need the outcome).
     */
    void read(String s, ZonedDateTime now, String lastAi, boolean asksForPerson) {
        read(s, now, lastAi, asksForPerson, null, ObserverCues.find(s));
    }

    /**
     * As {@link #read(String, ZonedDateTime, String, boolean)}, with the sentence's date mentions when already found (or
     * null) and its {@link ObserverCues}.
     */
    void read(String s, ZonedDateTime now, String lastAi, boolean asksForPerson, List<Dates.Mention> found, long cues) {
        if (timeline != null && !flexible || asksForPerson) {
            return;
        }
        String lower = s.toLowerCase(Locale.ROOT);
        boolean answer = lastAi != null && lastAi.contains("?") && WHEN_ASKED.matcher(lastAi).find();
        String ai = lastAi == null ? "" : lastAi.toLowerCase(Locale.ROOT);
        List<Dates.Mention> mentions = found != null ? found : Dates.find(s, now);
        for (int k = 0; k < mentions.size(); k++) {
            Dates.Mention m = mentions.get(k);
            if (m.past() || echo(m.text(), ai)) {
                continue;
            }
            String before = s.substring(0, m.start());
            String clause = clauseBefore(before);
            if (PAST.matcher(clause).find() && !TARGET.matcher(clause).find()) {
                continue; // "I paid on the 28th", "my order was supposed to arrive on Saturday"
            }
            String after = s.substring(m.end());
            if (HABITUAL_AFTER.matcher(after).lookingAt() || HABITUAL_BEFORE.matcher(clause).find()
                    || OVER_AFTER.matcher(after).lookingAt()) {
                continue; // "your hours say you close at 6 on weekdays", "the trade show in March went well"
            }
            if (EXISTING.matcher(before).find() && !(BEFORE_EXISTING.matcher(before).find() && !PAST.matcher(after).find())) {
                continue; // "cancel my appointment on Friday"
            }
            Matcher target = TARGET.matcher(clause);
            int from = -1;
            int fromEnd = -1;
            while (target.find()) {
                from = target.start();
                fromEnd = target.end();
            }
            boolean deadline = DEADLINE_WORD.matcher(m.text()).lookingAt();
            String pre = from >= 0 ? tentativeCut(clause.substring(0, from), clause.substring(from, fromEnd)) : "";
            if (from >= 0 && (pastAfter(clause, fromEnd) || !deadline && PAST.matcher(pre).find())) {
                continue; // "a note saying I was at the dentist this morning", "it was supposed to arrive on Saturday"
            }
            boolean seen = SEEN.matcher(lower).find() && s.strip().endsWith("?");
            boolean agreed = AFTER.matcher(after).lookingAt() || BY_THEN.matcher(after).find();
            boolean opens = HEDGES_ONLY.matcher(clause).lookingAt();
            boolean scheduled = SCHEDULED.matcher(before).find() && !POSSESSIVE.matcher(after).lookingAt();
            if (from < 0 && !answer && !seen && !deadline && !agreed && !opens && !scheduled) {
                continue;
            }
            if (from < 0 && opens && NARRATED.matcher(after).find() && !REQUESTED.matcher(after).find()
                    && !TENTATIVE_TARGET.matcher(after).find()) {
                continue; // "Friday before last, I got a letter", "Monday through Wednesday it worked fine"
            }
            int start = from >= 0 && !deadline ? before.length() - clause.length() + from : m.start();
            int end = m.end();
            Dates.Mention next = k + 1 < mentions.size() ? mentions.get(k + 1) : null;
            if (next != null && !next.past() && next.start() >= end && s.substring(end, next.start()).isBlank()) {
                end = next.end();   // "by noon tomorrow": one moment in two mentions
            }
            if (end - start > 45) {
                start = m.start();
            }
            String text = Sentences.trim(s.substring(start, end));
            set(Sentences.abbreviate(stripLead(text), 60), false);
            return;
        }
        Matcher event = EVENT.matcher(s);
        if (Cue.EVENT.in(cues) && event.find() && !(PAST.matcher(clauseBefore(s.substring(0, event.start()))).find()
                && !TARGET.matcher(clauseBefore(s.substring(0, event.start()))).find())) {
            set(Sentences.abbreviate(event.group().toLowerCase(Locale.ROOT).replace("xmas", "christmas")
                    .replace("christmas", "Christmas").replace("easter", "Easter").replace("thanksgiving", "Thanksgiving")
                    .replace("new year", "New Year").replace("black friday", "Black Friday"), 60), false);
            return;
        }
        Matcher urgent = URGENT.matcher(s);
        if (mayBeUrgent(s, cues) && urgentFind(urgent, s) && !echo(urgent.group(), ai) && !PERSON.matcher(s).find()) {
            String u = urgent.group();
            String lu = u.toLowerCase(Locale.ROOT);
            set(lu.endsWith("quickly") ? "quickly" : lu.endsWith(" fast") ? "fast"
                    : lu.contains("now") && !u.equals("NOW") && !lu.startsWith("right") ? "now" : u.equals("NOW") ? "now" : lu, false);
            return;
        }
        Matcher flex = FLEXIBLE.matcher(s);
        if (timeline == null && Cue.FLEXIBLE.in(cues) && flex.find()) {
            set(lower.contains("no rush") ? "no rush" : Sentences.abbreviate(flex.group().toLowerCase(Locale.ROOT), 60), true);
        }
    }

    /**
     * The next urgency in {@code s}, skipping a "right now" that opens a sentence about how things stand and any in a
     * story of what happened.
     */
    private static boolean urgentFind(Matcher urgent, String s) {
        while (urgent.find()) {
            boolean opens = s.substring(0, urgent.start()).isBlank();
            if (!(opens && urgent.group().equalsIgnoreCase("right now") && STATE_NOW.matcher(s.substring(urgent.end())).lookingAt())) {
                // the story test runs only on a sentence that has an urgency word to keep or drop
                return !(NARRATED.matcher(s).find() && !REQUESTED.matcher(s).find());
            }
        }
        return false;
    }

    /** True when {@code clause} says something past after {@code from}; the words before may still be read behind it. */
    private static boolean pastAfter(String clause, int from) {
        Matcher past = PAST.matcher(clause);
        past.useTransparentBounds(true);
        past.region(from, clause.length());
        return past.find();
    }

    /** False when {@link #URGENT} cannot match {@code s}, whose cues are {@code cues}. */
    static boolean mayBeUrgent(String s, long cues) {
        return Cue.URGENT.in(cues) || Cue.NOW.in(cues) && (Cue.NOW_LEAD.in(cues) || s.contains("NOW"));
    }

    private void set(String value, boolean flexibleOne) {
        timeline = value;
        flexible = flexibleOne;
    }

    /** The customer repeats a time the assistant just offered ("Tomorrow at 3 works", "Thursday?"). */
    private static boolean echo(String mention, String ai) {
        if (ai.isEmpty()) {
            return false;
        }
        String m = Sentences.dropLead(LEAD_PREPOSITION, mention.toLowerCase(Locale.ROOT)).strip();
        String head = Words.first(m);
        return ai.contains(m) || head.length() > 3 && ai.contains(head);
    }

    /** {@code pre} without its closing "was"/"were" when {@code target} is a wish ("I was hoping"), else as it is. */
    private static String tentativeCut(String pre, String target) {
        if (!TENTATIVE_TARGET.matcher(target).matches()) {
            return pre;
        }
        Matcher m = TENTATIVE.matcher(pre);
        return m.find() ? pre.substring(0, m.start()) : pre;
    }

    /**
     * The part of {@code before} after its last clause break; a clause that only says "which is" ("tracking in place at
     * renewal, which is the 1st of April") takes the clause it describes with it.
     */
    private static String clauseBefore(String before) {
        int cut = Math.max(Math.max(lastClauseComma(before), before.lastIndexOf(';')), before.lastIndexOf(" but "));
        int and = before.lastIndexOf(" and ");
        String c = cut >= 0 ? before.substring(cut + 1) : before;
        if (cut > 0 && APPOSITION.matcher(c).matches()) {
            return clauseBefore(before.substring(0, cut)) + before.substring(cut);
        }
        return and > cut && before.length() - and > 30 ? before.substring(and + 5) : c;
    }

    /** The last comma of {@code s} that is not inside a number ("3,000"). */
    private static int lastClauseComma(String s) {
        int k = s.lastIndexOf(',');
        while (k > 0 && k + 1 < s.length() && Character.isDigit(s.charAt(k - 1)) && Character.isDigit(s.charAt(k + 1))) {
            k = s.lastIndexOf(',', k - 1);
        }
        return k;
    }

    private static final Pattern APPOSITION = Pattern.compile("\\s*(?:which|that)(?:\\s+is|\\s+will be|'s)?\\s*|\\s*that's\\s*", F);

    private static String stripLead(String s) {
        return Sentences.dropLead(LEAD_BE, Sentences.dropLead(LEAD_LIKE, Sentences.dropLead(LEAD_NEED, s)));
    }
}
