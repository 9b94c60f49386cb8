package dev.handoff.core.context;

import static dev.handoff.core.context.Sentences.abbreviate;
import static dev.handoff.core.context.Sentences.capitalize;
import static dev.handoff.core.context.Sentences.firstGroup;
import static dev.handoff.core.context.Sentences.trim;

import dev.handoff.core.context.ObserverCues.Cue;
import dev.handoff.core.text.Alternation;
import dev.handoff.core.text.Words;
import dev.handoff.api.context.SemanticLedger.Budget;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Budget, authority and need from the customer's sentences, across the ways people say them. One instance reads
 * one conversation, sentence by sentence in order ({@link #read}); not thread-safe.
 *
 * <ul>
 *   <li><b>budget</b>: an amount the customer sets aside, can spend, plans for or caps ("we've earmarked roughly
 *       sixty grand", "north of a million over the term", "budget's around 600 a month", "keep fees under 1,500",
 *       "somewhere between 20 and 25 thousand"), read by the shared amount reader; amounts in complaints, quotes,
 *       offers and deposits are not budgets. A stated absence ("no budget signed off yet", "the budget isn't approved
 *       yet", "we can't afford a big retainer") is a budget without an amount; "we can spend that" takes the
 *       assistant's last figure;</li>
 *   <li><b>authority</b>: the customer's role ("I'm the CISO"), whether they decide ("it's my call", "I own this
 *       decision"), who else signs off ("legal has the last word", "our COO approves spend", "I'll need procurement to
 *       sign off", "my director signs the contract"), who decides with them ("my co-founder and I decide together"),
 *       and a family member booking for a patient ("I'm her mum", "I look after her appointments");</li>
 *   <li><b>need</b>: the first thing the customer says they need, want, are looking for, evaluating or calling
 *       about, not a request for a person; without one, the first substantive thing they said.</li>
 * </ul>
 */
final class BantReader {

    private static final int F = Pattern.CASE_INSENSITIVE;

    // ------------------------------------------------------------------ authority
    private static final String ROLES = "co-?founder|founder|owner|ceo|cto|cfo|coo|cio|ciso|cmo|president|vice president|svp|evp"
            + "|vp(?: of [a-z]+(?: (?!at\\b|for\\b|and\\b|but\\b|in\\b|with\\b)[a-z]+)?)?|(?:[a-z]+ )?director|head of [a-z]+|(?:it|office|practice|operations|plant|store|hr|account|"
            + "product|engineering|procurement|purchasing|general|marketing|sales|finance) (?:manager|lead|director)|support lead|team lead"
            + "|chief [a-z]+ officer|managing partner|partner|principal|administrator|decision[- ]maker|general counsel|co-executors?"
            + "|executor(?: of [a-z]+ estate)?|landlord|trustee|(?:solo |practicing )?accountant|dentist at another practice|dentist";
    static final Pattern SELF_ROLE = Pattern.compile("\\b(?:i'?m|i am|as)\\s+(?:the|a|an|our|their)?\\s*(" + ROLES + ")\\b", F);
    static final Pattern SELF_RUNS = Pattern.compile("\\bi (run|manage|head|lead|own) ([a-z]+(?: [a-z]+)?) (?:at|for)\\b", F);
    static final Pattern SELF_DECIDES = Pattern.compile("\\b(?:i sign off|i sign (?:the|it|off)|i'?ll sign|i make the (?:final )?(?:call|decision)"
            + "|i make (?:these|the) decisions|i decide|it'?s (?:my|our) (?:call|decision)|(?:my|our) call|final say is mine|i approve|i have (?:the )?"
            + "authority|i can sign|i'?m the decision[- ]maker|decision is mine|i own (?:this|the) decision|i own the budget|i choose the vendor"
            + "|i place the order|it'?s just me deciding|just me deciding|within what i can approve|approve (?:it )?myself|i'?m the one who"
            + " (?:signs|decides|approves)|i make the final decision)\\b", F);
    private static final String APPROVER = "board chair|school board|capital committee|managing partner|general counsel|finance director|operations director"
            + "|plant manager|head of [a-z]+|finance team|legal team|board|partners|boss|manager|director|cfo|ceo|cto|coo|cio|ciso|procurement"
            + "|legal|counsel|committee|owner|dean|vp|it|co-?founder|husband|wife|partner|spouse";
    static final Pattern OTHER_APPROVES = Pattern.compile("(?:^|\\b(?:my|our|the)\\s+|\\b)(?<a>" + APPROVER + ")\\s+(?:has to|needs to|must"
            + "|will need to|would need to|will|signs|approves|decides|votes|has the (?:final|last) (?:say|word)|makes the (?:final )?(?:call|decision)"
            + "|handles (?:that|the budget|it)|has to approve|has to sign|decide)\\b", F);
    static final Pattern GOES_TO = Pattern.compile("\\b(?:it )?goes to (?:my|our|the)\\s+(?<a>" + APPROVER + ")\\b", F);
    static final Pattern ASK_APPROVER = Pattern.compile("\\b(?:check with|run (?:it|this) by|approval from|sign-?off from|clear it with"
            + "|talk to|talk with|speak to|ask)\\s+(?:my|our|the)\\s+(?<a>" + APPROVER + ")\\b", F);
    static final Pattern NEED_APPROVER = Pattern.compile("\\b(?:need|needs)\\s+(?:my |our |the )?(?<a>" + APPROVER + ")\\s+to\\s+"
            + "(?:sign off|sign|approve)", F);
    static final Pattern TOGETHER = Pattern.compile("\\b(?:my|our)\\s+(?<a>husband|wife|spouse|partner|co-?founder|brother|sister|sisters"
            + "|brothers|sons|plant manager)\\s+and\\s+(?:i|me)\\b|\\b(?:the )?(?<b>plant manager|co-?founder)\\s+and\\s+i\\b"
            + "|\\b(?:it'?s|it is)\\s+my\\s+(?<c>wife|husband|partner)\\s+and\\s+me\\b"
            + "|\\bwith (?:my |two |three |four |\\d )?(?<d>co-?founders?|business partners)\\b", F);
    static final Pattern FAMILY_ROLE = Pattern.compile("\\bi'?m (?:her|his|their) (mum|mom|mother|dad|father|parent|guardian)\\b"
            + "|\\bi (?:handle|look after|manage|book) (?:his|her|their) appointments\\b", F);
    static final Pattern CHILD_PATIENT = Pattern.compile("\\b(?:book\\w*|appointment|check-?up|cleaning)\\b[^.?!]*\\bfor my\\s+(?:\\d+ year old"
            + "|son|daughter|child|kids?)\\b|\\bmy\\s+(?:\\d+ year old|son|daughter|child|kids?)\\s+(?:has|needs|knocked|chipped|broke|is|cracked)\\b", F);
    static final Pattern ELDER_PATIENT = Pattern.compile("\\b(?:calling (?:for|about)|for) my\\s+(?:elderly\\s+)?(?:father|mother|dad|mum"
            + "|mom|grandmother|grandfather|grandma|grandpa)\\b", F);

    /** The approver patterns in the order they are tried, and their cues. */
    private static final List<Pattern> APPROVERS = List.of(NEED_APPROVER, OTHER_APPROVES, ASK_APPROVER, GOES_TO);
    private static final List<Cue> APPROVER_CUES = List.of(Cue.NEED_APPROVER, Cue.OTHER_APPROVES, Cue.ASK_APPROVER, Cue.GOES_TO);

    // ------------------------------------------------------------------ need
    static final Pattern NEED = Pattern.compile("\\b(?:i|we)\\s+(?:really\\s+|just\\s+|urgently\\s+|also\\s+)?(?:need|needs)\\s+(?:to\\s+)?"
            + "|\\b(?:i'?d|we'?d|i would|we would)\\s+(?:really\\s+)?(?:like|love)\\s+(?:to\\s+)?|\\b(?:i|we)\\s+(?:want|wanted)\\s+(?:to\\s+)?"
            + "|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:looking|shopping|trying|hoping)\\s+(?:for|to|into|at)\\s+"
            + "|\\b(?:i'?m|we'?re|i am|we are)\\s+calling\\s+(?:to|about|for|because)\\s+"
            + "|\\b(?:looking|shopping)\\s+(?:for|into|at)\\s+|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:interested in|thinking about)\\s+"
            + "|\\b(?<eval>(?:i'?m|we'?re|i am|we are)\\s+(?:evaluating|comparing|considering|exploring|starting|buying))\\s+"
            + "|\\band (?:really |also )?(?:need|want)\\s+(?:to\\s+)?|\\blooking to\\s+"
            + "|\\bcan you help me(?:\\s+(?:to|with))?\\s+|^(?:hi,?\\s+|hello,?\\s+)?(?:can|could) (?:i|we)\\s+"
            + "|^(?:hi,?\\s+)?can you (?:tell me|check|get|help|look into)\\s+"
            + "|\\bis (?:there|it possible)\\s+|\\basked me to (?:look into|get)\\s+|\\b(?:i|we) got (?:a |an )?(?=(?:quote|bill|invoice|court))"
            + "|^(?:please\\s+)?(?=(?:stop|opt out|unsubscribe|take me off|remove me|delete)\\b)", F);
    private static final Pattern PERSON = Pattern.compile("^(?:to )?(?:talk|speak|chat)\\b|^(?:a |an |the |some |any )?(?:real |live |actual )?"
            + "(?:human|person|people|someone|somebody|agent|manager|supervisor|representative|lawyer|attorney|dentist|doctor)\\b"
            + "|^my (?:elderly )?(?:father|mother|dad|mum|mom|grandmother|grandfather|son|daughter)\\b$", F);
    private static final Pattern VAGUE = Pattern.compile("^(?:it|that|this|them|these|those|to think|to check|to run|to talk|to speak|to know what"
            + "|to be sure|more time|some time|a minute|help$|any flexibility|anything|to say|think|work up to)\\b", F);
    /** "We'd like to start on the 1st": a time, not a need. */
    private static final Pattern ONLY_WHEN = Pattern.compile("^(?:start|begin|go live|sign|switch|book one|do (?:it|that))\\b(?:\\s+\\S+){0,4}$", F);
    private static final Pattern ANTECEDENT = Pattern.compile("\\b(?:my|our|the)\\s+[a-z]+", F);
    /** "I need it blocked now": the object is the topic of the sentence, so the sentence is the need. */
    private static final Pattern PRONOUN_RESULT = Pattern.compile("^(?:it|them|that)\\s+(?:\\w+ed|working|back|done|sorted|fixed|gone)\\b", F);
    private static final Pattern INTRO = Pattern.compile("^(?:hi,?\\s+|hello,?\\s+)?(?:i'?m|we'?re) (?:a|an|the) [^,.!?]{0,40}$"
            + "|^(?:hi,?\\s+|hello,?\\s+)?i'?m calling (?:for|about) my [^,.!?]{0,30}$", F);
    private static final Pattern GREETING = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you|ok|okay|yes|no"
            + "|yeah|sure|great|perfect|got it)\\b[\\s,.!]*$", F);
    private static final Pattern CUT = Pattern.compile(",\\s*(?:but|though|although|because|since|and honestly|so|which|as)\\b|;|\\s+but\\s+"
            + "|\\s+because\\s+|\\s+so that\\s+|\\.|\\?|!|\\s+-\\s+|\\s+—\\s+", F);

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern WHEN_WORD = Pattern.compile("\\b(" + Alternation.byFirstLetter("on|in|next|by|this|the|tomorrow|today|\\d") + ")\\b", F);
    private static final Pattern ASKS_TO_KNOW = Pattern.compile("^(?:know|find out|ask)\\b", F);
    private static final Pattern SUBJECT_BE = Pattern.compile("^(i'?m|we'?re|i am|we are)\\s+", F);
    /** A cue and its rest that ask for help with something: "can you help me with ", "can you help " + "us with ". */
    private static final Pattern HELP_WITH = Pattern.compile("^(.*?)\\bhelp\\s+(?:(?:me|us)\\s+)?with\\s+", F);
    private static final Pattern VERB_NEXT = Pattern.compile("\\b(to|can (?:i|we)|help me)\\s*$", F);
    private static final Pattern HELLO = Pattern.compile("^(?:hi|hello|hey|good (?:morning|afternoon|evening))(?:\\s+there)?[,!.]?\\s+", F);
    private static final Pattern LEADING_FILLER = Pattern.compile("^(?:so|and|but|also|honestly|well|oh|okay|ok|yes|yeah|quick question)[,:]?\\s+", F);

    private final BudgetReader budget = new BudgetReader();
    private String role;
    private boolean decides;
    private String approver;
    private String together;
    private String family;
    String need;
    boolean needIsVerb;
    boolean needFromTopic;
    int needTurn = -1;
    String topic;
    int topicTurn = -1;
    private boolean topicShort;
    boolean topicQuestion;

    /** The budget the customer stated, or null. */
    Budget budget() {
        return budget.budget;
    }

    /** Reads one customer sentence; {@code lastAi} is the assistant's previous turn (nullable). */
    void read(String s, int turn, String lastAi, boolean asksForPerson) {
        long cues = ObserverCues.find(s);
        budget.read(s, lastAi, cues);
        authority(s, cues);
        need(s, turn, asksForPerson, cues);
    }

    // ------------------------------------------------------------------ authority

    private void authority(String s, long cues) {
        Matcher m = SELF_ROLE.matcher(s);
        if (role == null && Cue.SELF_ROLE.in(cues) && m.find()) {
            role = cleanRole(m.group(1));
        }
        m = SELF_RUNS.matcher(s);
        if (role == null && Cue.SELF_RUNS.in(cues) && m.find() && !m.group(2).toLowerCase(Locale.ROOT).startsWith("a ")) {
            role = capitalize(m.group(1).toLowerCase(Locale.ROOT) + "s " + m.group(2));
        }
        if (!decides && Cue.SELF_DECIDES.in(cues) && SELF_DECIDES.matcher(s).find()) {
            decides = true;
        }
        if (approver == null) {
            for (int i = 0; i < APPROVERS.size(); i++) {
                if (!APPROVER_CUES.get(i).in(cues)) {
                    continue;
                }
                m = APPROVERS.get(i).matcher(s);
                while (m.find()) {
                    String a = m.group("a").toLowerCase(Locale.ROOT);
                    if (isApprover(a, s, m.start("a"))) {
                        approver = a;
                        break;
                    }
                }
                if (approver != null) {
                    break;
                }
            }
        }
        m = TOGETHER.matcher(s);
        if (together == null && Cue.TOGETHER.in(cues) && m.find()) {
            together = firstGroup(m, "a", "b", "c", "d").toLowerCase(Locale.ROOT);
        }
        m = FAMILY_ROLE.matcher(s);
        if (Cue.FAMILY_ROLE.in(cues) && m.find()) {
            family = m.group(1) != null ? "Parent" : "Family member who handles the appointments";
        } else if (family == null && Cue.CHILD_PATIENT.in(cues) && CHILD_PATIENT.matcher(s).find()) {
            family = "Parent booking for their child";
        } else if (family == null && Cue.ELDER_PATIENT.in(cues) && ELDER_PATIENT.matcher(s).find()) {
            family = "Family member booking for the patient";
        }
    }

    /** "my manager told me to stay" is not an approver; "it" only as the IT department. */
    private static boolean isApprover(String a, String s, int at) {
        if (a.equals("it")) {
            return s.startsWith("IT", at);
        }
        return !(a.equals("partner") && s.toLowerCase(Locale.ROOT).contains("business partner"));
    }

    /** The authority line: role, who decides, with whom; null when nothing was said. */
    String authority() {
        StringBuilder sb = new StringBuilder();
        if (role != null) {
            sb.append(role);
        } else if (family != null && (approver == null || !approver.equals("husband") && !approver.equals("wife"))) {
            sb.append(family);
        }
        if (decides) {
            sb.append(sb.length() == 0 ? "The customer decides" : ", decides");
        }
        if (together != null) {
            sb.append(sb.length() == 0 ? "Decides" : "; decides").append(" together with their ").append(together);
        } else if (approver != null) {
            sb.append(sb.length() == 0 ? "" : "; ").append(approverPhrase(approver).replaceFirst("^The ", "the ").replaceFirst("^Their ", "their "));
        }
        return sb.length() == 0 ? null : capitalize(sb.toString());
    }

    private static String approverPhrase(String a) {
        return switch (a) {
            case "legal", "procurement", "legal team", "finance team", "committee", "capital committee", "board", "school board", "partners" ->
                    capitalize(a.startsWith("legal") || a.equals("procurement") ? a : "the " + a) + " signs off";
            case "husband", "wife", "spouse", "boss", "partner" -> "Their " + a + " decides too";
            case "it" -> "IT has the final say";
            default -> (a.length() <= 4 && !a.equals("dean") && !a.equals("boss") ? "The " + a.toUpperCase(Locale.ROOT) : "The " + a)
                    + " signs off";
        };
    }

    private static String cleanRole(String role) {
        StringBuilder sb = new StringBuilder();
        for (String w : WHITESPACE.split(role.strip())) {
            String lw = w.toLowerCase(Locale.ROOT);
            String fixed = switch (lw) {
                case "ceo", "cto", "cfo", "coo", "cio", "ciso", "cmo", "vp", "svp", "evp", "it", "hr" -> lw.toUpperCase(Locale.ROOT);
                case "her", "his" -> "their";
                default -> lw;
            };
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(fixed);
        }
        String r = sb.toString();
        return r.startsWith("dentist at another practice") ? "Referring dentist" : capitalize(r);
    }

    // ------------------------------------------------------------------ need

    private void need(String s, int turn, boolean asksForPerson, long cues) {
        String text = s.strip();
        if ((topic == null || topicShort) && !asksForPerson && !GREETING.matcher(text).find() && Words.count(text) >= 3
                && !PERSON.matcher(stripGreeting(text)).find() && !INTRO.matcher(trim(text)).find() && !text.endsWith("??")) {
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
            if (PRONOUN_RESULT.matcher(rest).find()) {
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
            if (ONLY_WHEN.matcher(rest).find() && WHEN_WORD.matcher(rest).find()) {
                continue;
            }
            if (ASKS_TO_KNOW.matcher(rest).find() && m.start() > 12) {
                rest = abbreviate(trim(stripGreeting(text)), 90); // "I have an implant consult booked, but I want to know the price"
                need = rest;
                needIsVerb = false;
                needFromTopic = false;
                needTurn = turn;
                return;
            }
            if (rest.isBlank() || PERSON.matcher(rest).find() || VAGUE.matcher(rest).find() || asksForPerson && rest.length() < 30) {
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
            need = eval != null ? SUBJECT_BE.matcher(eval).replaceFirst("") + " " + rest : rest;
            needIsVerb = eval == null && (VERB_NEXT.matcher(m.group()).find()
                    || VERB_START.matcher(rest).find());
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

    static String stripGreeting(String s) {
        return LEADING_FILLER.matcher(HELLO.matcher(s).replaceFirst("")).replaceFirst("");
    }
}
