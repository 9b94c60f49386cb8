package dev.handoff.core.context;

import static dev.handoff.core.context.Sentences.abbreviate;
import static dev.handoff.core.context.Sentences.capitalize;
import static dev.handoff.core.context.Sentences.trim;

import dev.handoff.core.context.ObserverCues.Cue;
import dev.handoff.core.text.Alternation;
import dev.handoff.core.text.Words;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The need from the customer's sentences, for {@link BantReader}: the first thing the customer says they need, want,
 * are looking for, evaluating or calling about ("We're looking for route planning software for our 40 trucks",
 * "I'd like to move my appointment", "Can you help me with my March invoice?" gives "help with my March invoice"), not
 * a request for a person ("I want to talk to a human") nor something vague ("I need to think about it"); without one,
 * the topic: the first substantive thing they said, greetings and introductions aside. Besides the text it keeps
 * whether the need starts with a verb ({@link #needIsVerb}) and whether the topic was a question
 * ({@link #topicQuestion}), which the whisper's goal and opening line are worded from ({@link WhisperWriter}). One
 * instance reads one conversation, sentence by sentence in order ({@link #read}); not thread-safe.
 */
final class NeedReader {

    private static final int F = Pattern.CASE_INSENSITIVE;

    static final Pattern NEED = Pattern.compile("\\b(?:i|we)\\s+(?:really\\s+|just\\s+|urgently\\s+|also\\s+)?(?:need|needs)\\s+(?:to\\s+)?"
            + "|\\b(?:i'?d|we'?d|i would|we would)\\s+(?:really\\s+)?(?:like|love)\\s+(?:to\\s+)?|\\b(?:i|we)\\s+(?:really\\s+|just\\s+|only\\s+)?(?:want|wanted)\\s+(?:to\\s+)?"
            + "|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:looking|shopping|trying|hoping)\\s+(?:for|to|into|at)\\s+"
            + "|\\b(?:i'?m|we'?re|i am|we are)\\s+calling\\s+(?:to|about|for|because)\\s+"
            + "|\\b(?:i'?ve|we'?ve|i have|we have)\\s+been\\s+(?:trying|looking|hoping)\\s+(?:for|to|into|at)\\s+"
            + "|\\b(?:looking|shopping)\\s+(?:for|into|at)\\s+|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:interested in|thinking about)\\s+"
            + "|\\b(?<eval>(?:i'?m|we'?re|i am|we are)\\s+(?:evaluating|comparing|considering|exploring|starting|buying))\\s+"
            + "|\\band (?:really |also )?(?:need|want)\\s+(?:to\\s+)?|\\blooking to\\s+"
            // "her dentist suggested we see an orthodontist": advice the customer is acting on
            + "|\\b(?:suggested|recommended|advised)\\s+(?:that\\s+)?(?:we|i)\\s+(?:should\\s+)?(?=(?:see|get|have|book)\\b)"
            + "|\\bcan you help me(?:\\s+(?:to|with))?\\s+|^(?:hi,?\\s+|hello,?\\s+)?(?:can|could) (?:i|we)\\s+"
            + "|^(?:hi,?\\s+)?can you (?:tell me|check|get|help|look into)\\s+"
            + "|\\bis (?:there|it possible)\\s+|\\basked me to (?:look into|get)\\s+|\\b(?:i|we) got (?:a |an )?(?=(?:quote|bill|invoice|court))"
            + "|^(?:please\\s+)?(?=(?:stop|opt out|unsubscribe|take me off|remove me|delete)\\b)"
            // "Do you do teeth whitening?", "do you fix cracked screens?": a service asked about
            + "|^(?:hi,?\\s+|hello,?\\s+)?do you (?:do|offer|provide|sell|carry|handle)\\s+"
            + "|^(?:hi,?\\s+|hello,?\\s+)?do you (?=(?:fix|repair|install|deliver|ship|treat)\\b)", F);
    private static final Pattern PERSON = Pattern.compile("^(?:to )?(?:talk|speak|chat)\\b|^(?:a |an |the |some |any )?(?:real |live |actual )?"
            + "(?:human|person|people|someone|somebody|agent|manager|supervisor|representative|lawyer|attorney|dentist|doctor)\\b"
            + "|^my (?:elderly )?(?:father|mother|dad|mum|mom|grandmother|grandfather|son|daughter)\\b$", F);
    private static final Pattern VAGUE = Pattern.compile("^(?:it|that|this|them|these|those|to think|to check|to run|to talk|to speak|to know what"
            + "|to be sure|more time|some time|a minute|help$|any flexibility|anything|to say|think|work up to"
            // "I'd like to get it resolved before we sell": the need is what "it" stands for, said earlier
            + "|(?:get|have) (?:it|this|that|them) (?:resolved|sorted|fixed|done|dealt with|over with)|(?:sort|fix|resolve|deal with) (?:it|this|that|them))\\b", F);
    /** "We'd like to start on the 1st": a time, not a need. */
    private static final Pattern ONLY_WHEN = Pattern.compile("^(?:start|begin|go live|sign|switch|book one|do (?:it|that))\\b(?:\\s+\\S+){0,4}$", F);
    private static final Pattern ANTECEDENT = Pattern.compile("\\b(?:my|our|the)\\s+[a-z]+", F);
    /** "I need it blocked now": the object is the topic of the sentence, so the sentence is the need. */
    private static final Pattern PRONOUN_RESULT = Pattern.compile("^(?:it|them|that)\\s+(?:\\w+ed|working|back|done|sorted|fixed|gone)\\b", F);
    private static final Pattern INTRO = Pattern.compile("^(?:hi,?\\s+|hello,?\\s+)?(?:i'?m|we'?re) (?:a|an|the) [^,.!?]{0,40}$"
            + "|^(?:hi,?\\s+|hello,?\\s+)?i'?m calling (?:for|about) my [^,.!?]{0,30}$"
            // "Hello, I run a small accounting firm.": who, not what
            + "|^(?:hi,?\\s+|hello,?\\s+)?(?:i|we) (?:run|own|manage) (?:a|an|the|our|my) [^,.!?]{0,40}$", F);
    /** "I've explained this three times already": how often, not what; the topic is said next. */
    private static final Pattern REPEATED = Pattern.compile("^(?:i'?ve|i have|i)\\s+(?:already\\s+)?(?:explained|told you|said|asked about"
            + "|written about|emailed about|called about)\\s+(?:this|that|it)\\b", F);
    private static final Pattern GREETING = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you|ok|okay|yes|no"
            + "|yeah|sure|great|perfect|got it)\\b[\\s,.!]*$", F);
    private static final Pattern CUT = Pattern.compile(",\\s*(?:but|though|although|because|since|and honestly|so|which|as)\\b|;|\\s+but\\s+"
            + "|\\s+because\\s+|\\s+so that\\s+|\\.|\\?|!|\\s+-\\s+|\\s+—\\s+", F);

    private static final Pattern WHEN_WORD = Pattern.compile("\\b(" + Alternation.byFirstLetter("on|in|next|by|this|the|tomorrow|today|\\d") + ")\\b", F);
    private static final Pattern ASKS_TO_KNOW = Pattern.compile("^(?:know|find out|ask)\\b", F);
    private static final Pattern SUBJECT_BE = Pattern.compile("^(i'?m|we'?re|i am|we are)\\s+", F);
    /** A cue and its rest that ask for help with something: "can you help me with ", "can you help " + "us with ". */
    private static final Pattern HELP_WITH = Pattern.compile("^(.*?)\\bhelp\\s+(?:(?:me|us)\\s+)?with\\s+", F);
    private static final Pattern VERB_NEXT = Pattern.compile("\\b(to|can (?:i|we)|help me)\\s*$", F);
    private static final Pattern HELLO = Pattern.compile("^(?:hi|hello|hey|good (?:morning|afternoon|evening))(?:\\s+there)?[,!.]?\\s+", F);
    private static final Pattern LEADING_FILLER = Pattern.compile("^(?:so|and|but|also|honestly|well|oh|okay|ok|yes|yeah|quick question)[,:]?\\s+", F);

    String need;
    boolean needIsVerb;
    private boolean needFromTopic;
    private int needTurn = -1;
    String topic;
    private int topicTurn = -1;
    private boolean topicShort;
    boolean topicQuestion;

    /** Reads one customer sentence; {@code asksForPerson} when this is where they asked for a person. */
    void read(String s, int turn, boolean asksForPerson, long cues) {
        String text = s.strip();
        if ((topic == null || topicShort) && !asksForPerson && !GREETING.matcher(text).lookingAt() && Words.count(text) >= 3
                && !PERSON.matcher(stripGreeting(text)).lookingAt() && !INTRO.matcher(trim(text)).lookingAt() && !text.endsWith("??")
                && !REPEATED.matcher(text).lookingAt()) {
            boolean shortOne = Words.count(text) < 6;
            if (topic == null || !shortOne) {
                topicQuestion = text.endsWith("?");
                topic = stripGreeting(trim(text));
                topicTurn = turn;
                topicShort = shortOne;
            }
        }
        if (need != null && !needFromTopic || !Cue.NEED.in(cues)) {
            return;
        }
        Matcher m = NEED.matcher(text);
        while (m.find()) {
            String rest = clause(text.substring(m.end()));
            if (PRONOUN_RESULT.matcher(rest).lookingAt()) {
                // "My card was stolen and I need it blocked": the sentence names it; "I want it done before then": the topic did
                String before = text.substring(0, m.start());
                if (ANTECEDENT.matcher(before).find() && Words.count(text) >= 7) {
                    need = abbreviate(trim(stripGreeting(text)), 90);
                    needIsVerb = false;
                    needFromTopic = false;
                    needTurn = turn;
                    return;
                }
                continue;
            }
            if (ONLY_WHEN.matcher(rest).lookingAt() && WHEN_WORD.matcher(rest).find()) {
                continue;
            }
            if (ASKS_TO_KNOW.matcher(rest).lookingAt() && m.start() > 12) {
                rest = abbreviate(trim(stripGreeting(text)), 90); // "I have an implant consult booked, but I want to know the price"
                need = rest;
                needIsVerb = false;
                needFromTopic = false;
                needTurn = turn;
                return;
            }
            if (rest.isBlank() || PERSON.matcher(rest).lookingAt() || VAGUE.matcher(rest).lookingAt() || asksForPerson && rest.length() < 30) {
                continue;
            }
            String eval = m.group("eval");
            String cueAndRest = m.group() + rest;
            Matcher helpWith = HELP_WITH.matcher(cueAndRest);
            if (eval == null && helpWith.lookingAt() && helpWith.end(1) < m.group().length()) {
                // "Can you help me with my March invoice?": the need is help with it, not the invoice (nor "me with ...")
                need = "help with " + cueAndRest.substring(helpWith.end());
                needIsVerb = false;
                needFromTopic = false;
                needTurn = turn;
                return;
            }
            need = eval != null ? Sentences.dropLead(SUBJECT_BE, eval) + " " + rest : rest;
            needIsVerb = eval == null && (VERB_NEXT.matcher(m.group()).find()
                    || VERB_START.matcher(rest).lookingAt());
            needFromTopic = false;
            needTurn = turn;
            return;
        }
    }

    private static final Pattern VERB_START = Pattern.compile("^(book|get|buy|cancel|change|move|reschedule|fix|find|order|return|upgrade"
            + "|downgrade|add|remove|update|set up|setup|schedule|pay|dispute|close|open|renew|switch|understand|know|see|make|have|replace"
            + "|transfer|roll out|migrate|sign|start|stop|check|confirm|report|file|claim|track|refund|increase|reduce|evaluate|compare"
            + "|integrate|connect|deploy|complain|trademark|contest|swap|exchange|trademark|sue|adopt|plan|set|send|speak|talk|take|put|use)\\b", F);

    /** The need, or the topic when none was said. */
    String needOrTopic() {
        if (need != null) {
            return capitalize(need);
        }
        return topic == null ? null : capitalize(abbreviate(topic, 90));
    }

    private static String clause(String rest) {
        String r = rest.strip();
        Matcher m = CUT.matcher(r);
        int cut = m.find() ? m.start() : r.length();
        return abbreviate(trim(r.substring(0, cut)), 90);
    }

    private static String stripGreeting(String s) {
        return Sentences.dropLead(LEADING_FILLER, Sentences.dropLead(HELLO, s));
    }
}
