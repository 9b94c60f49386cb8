package dev.handoff.core.context;

import static dev.handoff.core.context.Sentences.capitalize;
import static dev.handoff.core.context.Sentences.firstGroup;

import dev.handoff.core.context.ObserverCues.Cue;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authority from the customer's sentences, for {@link BantReader}: the customer's role ("I'm the CISO", "I run
 * operations at Northwind"), whether they decide ("it's my call", "I own this decision"), who else signs off ("legal
 * has the last word", "our COO approves spend", "I'll need procurement to sign off", "my director signs the contract"),
 * who decides with them ("my co-founder and I decide together"), and a family member booking for a patient ("I'm her
 * mum", "I look after her appointments", "a cleaning for my son"). The first role, approver and co-decider said are
 * kept; {@link #authority()} puts them in one line ("CISO, decides; the CFO signs off"). One instance reads one
 * conversation, sentence by sentence in order ({@link #read}); not thread-safe.
 */
final class AuthorityReader {

    private static final int F = Pattern.CASE_INSENSITIVE;

    private static final String ROLES = "co-?founder|founder|owner|ceo|cto|cfo|coo|cio|ciso|cmo|president|vice president|svp|evp"
            + "|vp(?: of [a-z]+(?: (?!at\\b|for\\b|and\\b|but\\b|in\\b|with\\b)[a-z]+)?)?|(?:[a-z]+ )?director|head of [a-z]+|(?:it|office|practice|operations|plant|store|hr|account|"
            + "product|engineering|procurement|purchasing|general|marketing|sales|finance) (?:manager|lead|director)|support lead|team lead"
            + "|chief [a-z]+ officer|managing partner|partner|principal|administrator|decision[- ]maker|general counsel|co-executors?"
            + "|executor(?: of [a-z]+ estate)?|landlord|trustee|(?:solo |practicing )?accountant|dentist at another practice|dentist";
    static final Pattern SELF_ROLE = Pattern.compile("\\b(?:i'?m|i am|as)\\s+(?:the|a|an|our|their)?\\s*(" + ROLES + ")\\b", F);
    static final Pattern SELF_RUNS = Pattern.compile("\\bi (run|manage|head|lead|own) ([a-z]+(?: [a-z]+)?) (?:at|for)\\b", F);
    static final Pattern SELF_DECIDES = Pattern.compile("\\b(?:i sign off|i sign (?:the|it|off)|i'?ll sign|i make the (?:final )?(?:call|decision)"
            + "|i make (?:these|the) decisions|i decide|it'?s (?:my|our) (?:call|decision)|(?:my|our) call|final say is mine|i approve|i can approve"
            + "|i have (?:the |budget |spending |signing )?authority|i can sign|i'?m the decision[- ]maker|decision is mine|i own (?:this|the) decision|i own the budget|i choose the vendor"
            + "|i place the order|it'?s just me deciding|just me deciding|within what i can approve|approve (?:it )?myself|i'?m the one who"
            + " (?:signs|decides|approves)|i make the final decision)\\b", F);
    private static final String APPROVER = "board chair|school board|capital committee|managing partner|general counsel|finance director|operations director"
            + "|it director|it manager|head of it|general manager"
            + "|plant manager|head of [a-z]+|finance team|legal team|business partner|board|partners|boss|manager|director|cfo|ceo|cto|coo|cio|ciso|procurement"
            + "|legal|counsel|committee|owner|dean|vp|it|co-?founder|husband|wife|partner|spouse";
    static final Pattern OTHER_APPROVES = Pattern.compile("(?:^|\\b(?:my|our|the)\\s+|\\b)(?<a>" + APPROVER + ")\\s+(?:has to|needs to|must"
            + "|will need to|would need to|would have to|will have to|will|signs|approves|decides|votes|has the (?:final|last) (?:say|word)|makes the (?:final )?(?:call|decision)"
            + "|handles (?:that|the budget|it|(?:all )?(?:our |the )?(?:purchases|purchasing|buying|contracts|approvals))"
            + "|holds the purse strings|controls the budget|owns the budget|has to approve|has to sign|decide"
            // "our CFO wants a decision before the end of Q1"
            + "|wants (?:a|the) (?:decision|final say)|wants to (?:decide|approve|sign off))\\b", F);
    static final Pattern GOES_TO = Pattern.compile("\\b(?:it )?goes to (?:my|our|the)\\s+(?<a>" + APPROVER + ")\\b", F);
    static final Pattern ASK_APPROVER = Pattern.compile("\\b(?:check with|run (?:it|this) by|approval from|sign-?off from|clear it with"
            + "|talk (?:it|this) over with|discuss (?:it|this) with|run (?:it|this) past|share (?:it|this) with|show (?:it|this) to"
            + "|talk to|talk with|speak to|ask)\\s+(?:my|our|the)\\s+(?<a>" + APPROVER + ")\\b", F);
    static final Pattern NEED_APPROVER = Pattern.compile("\\b(?:need|needs)\\s+(?:my |our |the )?(?<a>" + APPROVER + ")(?:\\s+to\\s+"
            + "(?:sign off|sign|approve)|'s\\s+(?:ok|okay|approval|sign-?off|go-?ahead|blessing))", F);
    static final Pattern TOGETHER = Pattern.compile("\\b(?:my|our)\\s+(?<a>husband|wife|spouse|partner|co-?founder|brother|sister|sisters"
            + "|brothers|sons|plant manager)\\s+and\\s+(?:i|me)\\b|\\b(?:the )?(?<b>plant manager|co-?founder)\\s+and\\s+i\\b"
            + "|\\b(?:it'?s|it is)\\s+my\\s+(?<c>wife|husband|partner)\\s+and\\s+me\\b"
            + "|\\bwith (?:my |two |three |four |\\d )?(?<d>co-?founders?|business partners)\\b", F);
    static final Pattern FAMILY_ROLE = Pattern.compile("\\bi'?m (?:her|his|their) (mum|mom|mother|dad|father|parent|guardian)\\b"
            + "|\\bi (?:handle|look after|manage|book) (?:his|her|their) appointments\\b", F);
    static final Pattern CHILD_PATIENT = Pattern.compile("\\b(?:book\\w*|appointment|check-?up|cleaning)\\b[^.?!]*\\bfor my\\s+(?:\\d+ year old"
            + "|son|daughter|child|kids?)\\b|\\bmy\\s+(?:\\d+ year old|son|daughter|child|kids?)\\s+(?:has|needs|knocked|chipped|broke|is|cracked|due)\\b"
            // "my daughter's retainer snapped": the parent speaks for the child's teeth
            + "|\\bmy\\s+(?:son|daughter|child|kid)(?:'|\u2019)?s\\s+(?:tooth|teeth|retainer|braces?|filling|crown|gums?|appointment"
            + "|check-?up|cleaning|dentist|orthodontist)\\b", F);
    static final Pattern ELDER_PATIENT = Pattern.compile("\\b(?:calling (?:for|about)|(?<!\\bcar(?:e|es|ing) )for) my\\s+(?:elderly\\s+)?(?:father|mother|dad|mum"
            + "|mom|grandmother|grandfather|grandma|grandpa)\\b", F);

    /** The approver patterns in the order they are tried, and their cues. */
    private static final List<Pattern> APPROVERS = List.of(NEED_APPROVER, OTHER_APPROVES, ASK_APPROVER, GOES_TO);
    private static final List<Cue> APPROVER_CUES = List.of(Cue.NEED_APPROVER, Cue.OTHER_APPROVES, Cue.ASK_APPROVER, Cue.GOES_TO);

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private String role;
    private boolean decides;
    private String approver;
    private String together;
    private String family;

    /** Reads one customer sentence. */
    void read(String s, long cues) {
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
            case "it director", "it manager" -> "The IT " + a.substring(3) + " signs off";
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
}
