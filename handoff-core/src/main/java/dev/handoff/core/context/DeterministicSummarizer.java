package dev.handoff.core.context;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SemanticLedger.Bant;
import dev.handoff.api.context.SemanticLedger.Budget;
import dev.handoff.api.context.SemanticLedger.KeyEntity;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.SentimentTrack.Level;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.internal.Text;
import dev.handoff.core.text.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default observer: deterministic and offline (a few milliseconds for a 300-turn session). It reads the
 * transcript with rules and fills
 * <ul>
 *   <li><b>BANT</b>: budget (an amount with currency next to "budget", "spend", "up to", "around" ...),
 *       authority (the customer's role or title, whether they sign off or someone else must approve), need (what
 *       they say they need, want, are looking for or evaluating), timeline ("by end of Q3", "next month",
 *       "within 2 weeks", "ASAP");</li>
 *   <li><b>pain points</b> in the customer's words and <b>key entities</b> (amounts, percentages, dates,
 *       references such as invoice numbers, products, and the bot's own NLU entities);</li>
 *   <li>the <b>whisper</b>: goal (the stated need, with the latest pain point when urgency is high, else the first
 *       substantive message), obstacle (the customer's
 *       stated concern, else the latest pain point, else the trigger reason; noted when the assistant could not
 *       answer it), sentiment in words with its trend and the velocity label, and an opening line that continues
 *       the conversation in the second person;</li>
 *   <li>the AI's <b>tone</b>: pace from its turn length, formality and empathy from its wording.</li>
 * </ul>
 * The same transcript always gives the same summary. Thread-safe; called on the orchestrator's worker thread,
 * and used as the fallback when a configured summarizer (such as the LLM one) fails.
 */
public final class DeterministicSummarizer implements Summarizer {

    private static final int F = Pattern.CASE_INSENSITIVE;
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    /** A qualifier just before an amount ("around $75,000"): kept in the budget's text. */
    private static final Pattern QUALIFIER = Pattern.compile(
            "(?:around|about|roughly|approximately|approx\\.?|up to|under|below|less than|no more than|at most|maximum of|max|~)\\s*$", F);
    /** A period just after an amount ("$900 a month", "€250k annually"): kept in the budget's text. */
    private static final Pattern PERIOD = Pattern.compile(
            "^(?:\\s?(?:a|per|/|each)\\s?(?:year|yr|month|mo|seat|user|agent|license|head)\\b|\\s(?:annually|monthly|yearly)\\b)", F);
    private static final Pattern BUDGET_CUE = Pattern.compile("\\b(budget|budgeted|spend|spending|afford|allocated|approved for|set aside"
            + "|price range|willing to pay|can pay|looking to pay|pay up to|invest)\\b", F);
    private static final Pattern SELF_ROLE = Pattern.compile("\\b(?:i'?m|i am|as)\\s+(?:the|a|an|our|their)?\\s*"
            + "((?:co-?founder|founder|owner|ceo|cto|cfo|coo|cio|ciso|cmo|president|vice president|svp|evp|vp|director|head"
            + "|(?:it |office |practice |purchasing |procurement |operations |engineering |product |general |account |store )?manager"
            + "|team lead|lead|chief [a-z]+ officer|partner|principal|administrator|decision[- ]maker)"
            + "(?:\\s+(?:of|for)\\s+(?:the\\s+)?[A-Za-z&]+)?)", F);
    private static final Pattern SELF_DECIDES = Pattern.compile("\\b(i sign off|i sign|i'?ll sign|i make the (call|decision|decisions)"
            + "|i decide|my (call|decision)|final say|i approve|i have (the )?authority|i can sign|decision[- ]maker|decision is mine"
            + "|i own the budget|i hold the budget|i control the budget)\\b", F);
    private static final Pattern OTHER_APPROVER = Pattern.compile("(?:check with|run it by|run this by|approval from|sign-?off from|ask|talk to"
            + "|consult|clear it with)\\s+(?:my|our|the)\\s+(?<a>boss|manager|cfo|ceo|cto|coo|board|partner|wife|husband|spouse|director|vp"
            + "|finance team|procurement|legal team|legal|owner|committee)\\b|\\b(?:(?:my|our|the)\\s+)?(?<b>boss|manager|cfo|ceo|cto|coo|board"
            + "|partner|director|vp|finance team|procurement|legal team|owner|committee)\\s+(?:has to|needs to|must|will need to|would need to"
            + "|signs|approves|decides|has the final say|makes the (?:call|decision))", F);
    private static final Pattern NEED = Pattern.compile("\\b(?:i|we)\\s+(?:really\\s+)?(?<need>need|needs)\\s+(?:to\\s+)?"
            + "|\\b(?:i'?d|we'?d|i would|we would)\\s+like\\s+(?:to\\s+)?|\\b(?:i|we)\\s+(?:want|wanted)\\s+(?:to\\s+)?"
            + "|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:looking|trying|hoping|calling)\\s+(?:for|to|about)\\s+"
            + "|\\b(?:looking for|trying to|hoping to)\\s+|\\b(?:i'?m|we'?re|i am|we are)\\s+interested in\\s+"
            + "|\\b(?<eval>(?:i'?m|we'?re|i am|we are)\\s+(?:evaluating|comparing|considering|exploring))\\s+"
            + "|\\bcan you help me(?:\\s+(?:to|with))?\\s+", F);
    private static final Pattern VERB_START = Pattern.compile("^(book|get|buy|cancel|change|move|reschedule|fix|find|order|return|"
            + "upgrade|downgrade|add|remove|update|set up|setup|schedule|pay|dispute|close|open|renew|switch|understand|know|see|"
            + "talk|speak|make|have|replace|transfer|roll out|migrate|sign|start|stop|check|confirm|report|file|claim|track|refund|"
            + "increase|reduce|evaluate|compare|integrate|connect|deploy)\\b", F);
    private static final Pattern PAIN = Pattern.compile("\\b(worr(y|ied)|concern(ed)?|problem|issue|hurt(s|ing)?|pain(ful)?|broken|broke"
            + "|doesn'?t work|isn'?t working|not working|stopped working|won'?t (start|load|work|connect|turn on|open|print|charge|sync)"
            + "|can'?t (log|sign|connect|access|get|find|pay)|still hasn'?t|hasn'?t (come|arrived|shipped)|supposed to|didn'?t (arrive|come|work)"
            + "|more than (we|i) (expected|budgeted)|a lot more|too much|over (our|my|the) budget|frustrat\\w*|too slow|slow|too expensive"
            + "|keeps?|kept|failed|fails|failing|error|charged twice|double[- ]charged|overcharged|don'?t recogni[sz]e|can'?t|cannot|unable"
            + "|stuck|crash\\w*|late|missing|never (arrived|came|got)|wrong|damaged|leak\\w*|outage|down|bug|locked out|lost|swollen|bleeding"
            + "|throbbing|unacceptable|disappointed|confus\\w*)\\b", F);
    private static final Pattern CONCERN = Pattern.compile("\\b(?:my|our|the|main|one|only)\\s+(?:(?:real|main|biggest|only|big|one|key|"
            + "major)\\s+)*(?:worry|concern|problem|issue|blocker|hesitation|objection|sticking point|question)\\s+(?:is|was|would be|here is)"
            + "\\s+(?:that\\s+)?(?<what>[^.?!;]+)|\\b(?:i'?m|we'?re|i am|we are)\\s+(?:worried|concerned)\\s+(?:about|that)\\s+(?<what2>[^.?!;]+)"
            + "|\\b(?:stuck on|hung up on|blocked on)\\s+(?<what3>[^.?!;]+)", F);
    private static final Pattern TIMELINE = Pattern.compile("\\b(?:(?:by|before|until|no later than|within|in|for)\\s+(?:the\\s+)?"
            + "(?:end of\\s+(?:the\\s+)?(?:q[1-4]|quarter|month|year|week|day|january|february|march|april|may|june|july|august|september"
            + "|october|november|december)|q[1-4](?:\\s+\\d{4})?|(?:next|this)\\s+(?:week|month|quarter|year|monday|tuesday|wednesday"
            + "|thursday|friday|saturday|sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight"
            + "|(?:january|february|march|april|june|july|august|september|october|november|december)(?:\\s+\\d{1,2}(?:st|nd|rd|th)?)?"
            + "|\\d+\\s+(?:days|weeks|months)|(?:a|one|two|three|four|six)\\s+(?:days?|weeks?|months?)|the \\d{1,2}(?:st|nd|rd|th))"
            + "|end of (?:the )?(?:q[1-4]|quarter|month|year)|(?:next|this)\\s+(?:week|month|quarter|year)"
            + "|asap|as soon as possible|right away|immediately|today|tonight|tomorrow)\\b", F);
    private static final Pattern REFERENCE = Pattern.compile("\\b((?:INV|ORD|ORDER|TKT|CASE|AC|ACCT|PO|RMA|SR)[- #]?\\d{3,}|#\\d{4,})\\b", F);
    private static final Pattern PERCENT = Pattern.compile("\\b\\d{1,3}(?:\\.\\d+)?\\s?%");
    private static final Pattern PRODUCT = Pattern.compile("\\b((?:[A-Z][A-Za-z0-9+]*\\s){1,3}(?:tier|plan|package|module|edition|subscription"
            + "|license|licence|bundle|add-on))\\b");
    private static final Pattern DATE_PHRASE = Pattern.compile("\\b(?:since|by|before|until|on|next|last)\\s+(?:monday|tuesday|wednesday"
            + "|thursday|friday|saturday|sunday|week|month|quarter|year|q[1-4]|yesterday|end of [a-z0-9]+|(?:january|february|march|april"
            + "|may|june|july|august|september|october|november|december)\\s+\\d{1,2}(?:st|nd|rd|th)?)\\b|\\b(?:yesterday|last night)\\b", F);
    private static final Pattern GREETING = Pattern.compile("^(hi|hello|hey|good (morning|afternoon|evening)|thanks|thank you|ok|okay|yes|no"
            + "|yeah|sure)\\b[\\s,.!]*$", F);
    private static final Pattern THING = Pattern.compile("^(this|it|that|them|these|those)\\s+\\w+", F);
    private static final Pattern EVALUATIVE = Pattern.compile("^(this|that|it)('s| is| was)\\b", F);
    private static final Pattern LEADING_FILLER = Pattern.compile("^(?:and|but|so|also|honestly|well|plus|actually|basically|anyway|oh)[,\\s]+", F);
    private static final Pattern FORMAL = Pattern.compile("\\b(certainly|kindly|may i|would you|please|sir|madam|i apologi[sz]e|regarding"
            + "|assist|thank you for|appreciate your|shall|indeed|however|pleased to)\\b", F);
    private static final Pattern CASUAL = Pattern.compile("\\b(hey|yeah|yep|gonna|wanna|cool|awesome|no worries|sure thing|np|lol|btw|totally"
            + "|super|folks|gotcha|oops)\\b|:\\)|!", F);
    private static final Pattern EMPATHY = Pattern.compile("\\b(sorry|i understand|i hear you|that sounds|i appreciate|frustrating|i can imagine"
            + "|happy to help|glad to help|of course|i know how|must be|totally understand|thanks for your patience|no rush|take your time"
            + "|i'?m here to help)\\b", F);

    /** Pain points kept (the most recent ones). */
    public static final int MAX_PAIN_POINTS = 5;
    /** Key entities kept (first seen first). */
    public static final int MAX_ENTITIES = 20;

    private final SentimentVelocity velocity;

    /** Scores customer turns without a bot sentiment signal with the given analyzer. */
    public DeterministicSummarizer(SentimentAnalyzer analyzer) {
        this.velocity = new SentimentVelocity(Objects.requireNonNull(analyzer, "analyzer"));
    }

    /** With the default {@link LexiconSentimentAnalyzer}. */
    public DeterministicSummarizer() {
        this(new LexiconSentimentAnalyzer());
    }

    @Override
    public Summary summarize(ConversationView conversation, HandoffDecision decision) {
        List<Turn> turns = new ArrayList<>(conversation.turns());
        conversation.inFlight().ifPresent(turns::add);
        return summarize(turns, conversation.customer(), decision);
    }

    /** The summary of a transcript (final turns plus an optional partial one). */
    public Summary summarize(List<Turn> turns, CustomerData customer, HandoffDecision decision) {
        Objects.requireNonNull(turns, "turns");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(decision, "decision");
        Extraction x = extract(turns, decision);
        SentimentTrack track = velocity.track(turns);
        Bant bant = new Bant(x.budget, x.authority(), x.need == null ? null : capitalize(x.need), x.timeline);
        SemanticLedger ledger = new SemanticLedger(bant, x.painPoints(), x.entities, Map.of());
        ToneProfile tone = tone(turns);
        String goal = goal(x, track);
        String obstacle = obstacle(x, turns, decision);
        String sentiment = sentimentWords(track);
        String opening = opening(x, track, customer);
        return new Summary(ledger, new WhisperSummary(goal, obstacle, sentiment, opening), tone);
    }

    // ------------------------------------------------------------------ extraction

    private static final class Extraction {
        /** What the trigger engine quoted as the customer asking for a person: {turnIndex, evidence text}. */
        final List<Object[]> requests = new ArrayList<>();
        Budget budget;
        String role;
        boolean decides;
        String approver;
        String need;
        boolean needIsVerb;
        int needTurn = -1;
        String timeline;
        final List<String[]> pains = new ArrayList<>(); // {text, turnIndex}
        String concern;
        int concernTurn = -1;
        String firstSubstantive;
        final List<KeyEntity> entities = new ArrayList<>();
        final Set<String> entityKeys = new HashSet<>();

        /**
         * True when this piece of a customer turn is where they asked for a person, as the trigger decision's
         * evidence says (the summary does not detect requests again).
         */
        boolean asksForPerson(Turn t, String piece) {
            for (Object[] r : requests) {
                if ((int) r[0] == t.index() && (piece.contains((String) r[1]) || ((String) r[1]).contains(piece.strip()))) {
                    return true;
                }
            }
            return false;
        }

        String authority() {
            StringBuilder sb = new StringBuilder();
            if (role != null) {
                sb.append(role);
                if (decides) {
                    sb.append(", signs off");
                }
            } else if (decides) {
                sb.append("The customer signs off");
            }
            if (approver != null) {
                if (sb.length() > 0) {
                    sb.append("; ");
                    sb.append("needs approval from ").append(approverPhrase());
                } else {
                    sb.append("Needs approval from ").append(approverPhrase());
                }
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        String approverPhrase() {
            return approver.equals("procurement") || approver.equals("legal") ? approver : "the " + approver;
        }

        /** The latest pain point that says something concrete (five words or more, not just "this is awful"). */
        String[] substantivePain() {
            for (int i = pains.size() - 1; i >= 0; i--) {
                String p = pains.get(i)[0];
                if (p.split("\\s+").length >= 4 && !EVALUATIVE.matcher(p).find()) {
                    return pains.get(i);
                }
            }
            return pains.isEmpty() ? null : pains.get(pains.size() - 1);
        }

        List<String> painPoints() {
            List<String> out = new ArrayList<>();
            for (int i = Math.max(0, pains.size() - MAX_PAIN_POINTS); i < pains.size(); i++) {
                out.add(pains.get(i)[0]);
            }
            return out;
        }

        void entity(String type, String value, int turnIndex) {
            if (value == null || value.isBlank() || entities.size() >= MAX_ENTITIES) {
                return;
            }
            String v = value.strip();
            if (entityKeys.add(type + '\u0000' + v.toLowerCase(Locale.ROOT))) {
                entities.add(new KeyEntity(type, v, turnIndex));
            }
        }
    }

    private Extraction extract(List<Turn> turns, HandoffDecision decision) {
        Extraction x = new Extraction();
        for (Reason r : decision.reasons()) {
            if ((r.kind() == TriggerKind.EXPLICIT_REQUEST || r.kind() == TriggerKind.KILL_SWITCH)
                    && r.turnIndex() != null && r.evidence() != null && !r.evidence().text().isBlank()) {
                x.requests.add(new Object[] {r.turnIndex(), r.evidence().text()});
            }
        }
        for (Turn t : turns) {
            if (t.speaker() == Speaker.SYSTEM || t.text().isBlank()) {
                continue;
            }
            boolean customer = t.speaker() == Speaker.CUSTOMER;
            for (var e : t.signalsOrNone().entities().entrySet()) {
                x.entity(e.getKey(), e.getValue(), t.index());
            }
            for (String raw : SENTENCE.split(t.text().strip())) {
                String s = raw.strip();
                if (s.isEmpty()) {
                    continue;
                }
                entities(s, t, x);
                if (customer) {
                    customerSentence(s, t, x);
                }
            }
        }
        return x;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static void entities(String s, Turn t, Extraction x) {
        if (!hasDigit(s)) {
            productsAndDates(s, t, x);
            return;
        }
        for (Money.Amount a : Money.find(s)) {
            if (a.currency() != null) {
                x.entity("amount", plain(a.value()).toPlainString() + " " + a.currency(), t.index());
            }
        }
        Matcher m = PERCENT.matcher(s);
        while (m.find()) {
            x.entity("percent", m.group().replace(" ", ""), t.index());
        }
        m = REFERENCE.matcher(s);
        while (m.find()) {
            x.entity("reference", m.group(1).toUpperCase(Locale.ROOT), t.index());
        }
        productsAndDates(s, t, x);
    }

    private static final List<String> PRODUCT_NOUNS = List.of("tier", "plan", "package", "module", "edition", "subscription", "licen",
            "bundle", "add-on");
    private static final List<String> CONCERN_WORDS = List.of("worr", "concern", "problem", "issue", "blocker", "hesitation", "objection",
            "sticking", "question", "stuck", "hung up", "blocked");

    private static boolean containsAny(String lower, List<String> words) {
        for (String w : words) {
            if (lower.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static void productsAndDates(String s, Turn t, Extraction x) {
        Matcher m = PRODUCT.matcher(s);
        while (containsAny(s, PRODUCT_NOUNS) && m.find()) {
            String p = m.group(1);
            String first = p.substring(0, p.indexOf(' '));
            if (!Set.of("The", "A", "An", "Our", "Your", "This", "That", "My", "We", "I", "It").contains(first)) {
                x.entity("product", p, t.index());
            } else if (p.indexOf(' ') < p.lastIndexOf(' ')) {
                x.entity("product", p.substring(p.indexOf(' ') + 1), t.index());
            }
        }
        if (t.speaker() == Speaker.CUSTOMER) {
            m = DATE_PHRASE.matcher(s);
            while (m.find()) {
                x.entity("date", m.group(), t.index());
            }
        }
    }

    private static void customerSentence(String s, Turn t, Extraction x) {
        boolean asksForPerson = x.asksForPerson(t, s);
        if (x.firstSubstantive == null && !t.partial() && !GREETING.matcher(s).find() && !asksForPerson
                && s.split("\\s+").length >= 3) {
            x.firstSubstantive = s;
        }
        if (hasDigit(s) && (x.budget == null || BUDGET_CUE.matcher(s).find())) {
            boolean cue = BUDGET_CUE.matcher(s).find();
            for (Money.Amount a : Money.find(s)) {
                if (a.currency() == null) {
                    continue;
                }
                Matcher q = QUALIFIER.matcher(s.substring(0, a.start()));
                boolean qualified = q.find();
                if (cue || qualified) {
                    if (x.budget == null || cue) {
                        Matcher per = PERIOD.matcher(s.substring(a.end()));
                        int from = qualified ? q.start() : a.start();
                        int to = per.find() ? a.end() + per.end() : a.end();
                        x.budget = new Budget(plain(a.value()), a.currency(), s.substring(from, to).strip());
                    }
                    break;
                }
            }
        }
        Matcher m = SELF_ROLE.matcher(s);
        if (x.role == null && m.find()) {
            x.role = capitalize(cleanRole(m.group(1)));
        }
        if (!x.decides && SELF_DECIDES.matcher(s).find()) {
            x.decides = true;
        }
        m = OTHER_APPROVER.matcher(s);
        if (x.approver == null && m.find()) {
            String a = m.group("a") != null ? m.group("a") : m.group("b");
            x.approver = a.length() <= 4 && !a.equalsIgnoreCase("boss") && !a.equalsIgnoreCase("vp") ? a.toUpperCase(Locale.ROOT)
                    : a.toLowerCase(Locale.ROOT);
        }
        if (x.need == null && !asksForPerson) {
            m = NEED.matcher(s);
            if (m.find()) {
                String rest = clause(s.substring(m.end()));
                if (rest.split("\\s+").length >= 1 && !rest.isBlank()) {
                    boolean eval = m.group("eval") != null;
                    if (!eval && THING.matcher(rest).find()) {
                        rest = "get " + rest;
                    }
                    x.need = eval ? m.group("eval").replaceFirst("(?i)^(i'?m|we'?re|i am|we are)\\s+", "") + " " + rest : rest;
                    x.needIsVerb = eval || VERB_START.matcher(rest).find();
                    x.needTurn = t.index();
                }
            }
        }
        m = TIMELINE.matcher(s);
        if (x.timeline == null && !s.endsWith("?") && m.find()) {
            x.timeline = m.group().strip();
        }
        m = CONCERN.matcher(s);
        if (containsAny(s.toLowerCase(Locale.ROOT), CONCERN_WORDS) && m.find()) {
            String what = m.group("what") != null ? m.group("what") : m.group("what2") != null ? m.group("what2") : m.group("what3");
            x.concern = stripEnd(what.strip());
            x.concernTurn = t.index();
        }
        for (String clause : s.split("\\s*[,;]\\s+(?=\\S)|\\s+but\\s+|\\s+—\\s+|\\s+-\\s+")) {
            String c = LEADING_FILLER.matcher(clause.strip()).replaceFirst("");
            c = LEADING_FILLER.matcher(c).replaceFirst("");
            if (c.split("\\s+").length >= 3 && PAIN.matcher(c).find() && !x.asksForPerson(t, c)) {
                String p = Text.abbreviate(stripEnd(c), 120);
                boolean dup = x.pains.stream().anyMatch(q -> q[0].equalsIgnoreCase(p));
                if (!dup) {
                    x.pains.add(new String[] {p, String.valueOf(t.index())});
                }
            }
        }
    }

    /** An amount as a plain decimal ({@code 75000}, {@code 1.5}). */
    private static BigDecimal plain(double value) {
        BigDecimal v = BigDecimal.valueOf(value).stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }

    private static String cleanRole(String role) {
        String r = role.strip();
        String[] words = r.split("\\s+");
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            String lw = w.toLowerCase(Locale.ROOT);
            String fixed = switch (lw) {
                case "ceo", "cto", "cfo", "coo", "cio", "ciso", "cmo", "vp", "svp", "evp", "it" -> lw.toUpperCase(Locale.ROOT);
                default -> w;
            };
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(fixed);
        }
        return sb.toString();
    }

    /** The first clause of a need: up to a comma followed by "but"/"and then", a semicolon or the end. */
    private static String clause(String rest) {
        String r = rest.strip();
        int cut = r.length();
        Matcher m = Pattern.compile(",\\s*(but|though|although|because|since|and honestly|so)\\b|;|\\s+but\\s+|\\.|\\?|!", F).matcher(r);
        if (m.find()) {
            cut = m.start();
        }
        return stripEnd(r.substring(0, cut).strip());
    }

    private static String stripEnd(String s) {
        String t = s.strip();
        while (!t.isEmpty() && ".,;:!?".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        return t;
    }

    // ------------------------------------------------------------------ whisper

    private static String goal(Extraction x, SentimentTrack track) {
        String g;
        if (x.need != null) {
            g = capitalize(x.need);
            if (x.timeline != null && !g.toLowerCase(Locale.ROOT).contains(x.timeline.toLowerCase(Locale.ROOT))) {
                g = g + ", " + x.timeline;
            }
            String[] pain = x.substantivePain();
            if (track.urgency() == Level.HIGH && pain != null && Integer.parseInt(pain[1]) >= x.needTurn) {
                // the stated need may be out of date: the customer is now in trouble
                g = g + "; urgent now: \"" + capitalize(pain[0]) + "\"";
            }
        } else if (x.firstSubstantive != null) {
            g = stripTerminalPeriod(x.firstSubstantive);
        } else {
            return "Unknown: the customer has not said what they want yet";
        }
        return Text.abbreviate(g, 160);
    }

    private static String obstacle(Extraction x, List<Turn> turns, HandoffDecision decision) {
        Reason first = decision.reasons().isEmpty() ? null : decision.reasons().get(0);
        String base;
        int fromTurn;
        if (first != null && (first.kind() == TriggerKind.KILL_SWITCH || first.kind() == TriggerKind.REGULATORY)) {
            base = first.detail();
            fromTurn = first.turnIndex() == null ? -1 : first.turnIndex();
        } else if (x.concern != null) {
            base = capitalize(x.concern);
            fromTurn = x.concernTurn;
        } else if (!x.pains.isEmpty()) {
            String[] pain = x.substantivePain();
            base = "Customer says: \"" + capitalize(pain[0]) + "\"";
            fromTurn = Integer.parseInt(pain[1]);
        } else if (first != null && !first.detail().isBlank()) {
            base = first.detail();
            fromTurn = first.turnIndex() == null ? -1 : first.turnIndex();
        } else {
            return "The assistant could not resolve the request";
        }
        if (fromTurn >= 0 && aiCouldNotAnswerAfter(turns, fromTurn)) {
            base = base + " (the assistant could not answer it)";
        }
        return Text.abbreviate(base, 200);
    }

    private static boolean aiCouldNotAnswerAfter(List<Turn> turns, int index) {
        for (Turn t : turns) {
            if (t.index() > index && t.speaker() == Speaker.AI && !t.partial()) {
                Double c = t.signalsOrNone().confidence();
                if (c != null && c < 0.5 || TurnFeatures.has(TurnFeatures.of(t.text()), TurnFeatures.AI_INABILITY)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String sentimentWords(SentimentTrack track) {
        List<SentimentTrack.Point> s = track.series();
        if (s.isEmpty()) {
            return "Unknown: the customer has not spoken yet; " + shortLabel(track);
        }
        double last = s.get(s.size() - 1).score();
        String feeling = last <= -0.6 ? "Very upset" : last <= -0.3 ? "Frustrated" : last < -0.1 ? "Uneasy" : last < 0.3 ? "Calm" : "Positive";
        String trend = switch (track.trend()) {
            case DECLINING -> " and getting worse";
            case IMPROVING -> " and improving";
            case STABLE -> " and steady";
        };
        String range = s.size() == 1 ? String.format(Locale.ROOT, " (%.2f)", last)
                : String.format(Locale.ROOT, " (%.2f to %.2f)", s.get(0).score(), last);
        return feeling + trend + range + "; " + shortLabel(track);
    }

    private static String shortLabel(SentimentTrack track) {
        return track.label().replace("Entering conversation at ", "");
    }

    private String opening(Extraction x, SentimentTrack track, CustomerData customer) {
        String name = firstName(customer);
        String prefix = name == null ? "" : name + ", ";
        String line;
        if (x.concern != null) {
            line = "I see we're stuck on " + toSecondPerson(lowerFirst(x.concern)) + "; let's solve that now.";
        } else if (track.markers().contains(SentimentVelocity.PRICING_HESITATION)) {
            line = "I know the price came in higher than you expected; let's find an option that "
                    + (x.budget != null ? "fits your budget of " + x.budget.text() + "." : "works for you.");
        } else if (track.urgency() == Level.HIGH && !x.pains.isEmpty()) {
            String pain = toSecondPerson(lowerFirst(x.substantivePain()[0]));
            line = "I'm sorry that " + pain + "; I have everything you told us, so let's get this sorted right away.";
        } else if (track.trust() == Level.LOW) {
            line = "Thanks for your patience; I've read the whole conversation, so you won't need to repeat anything: " + goalPart(x);
        } else {
            line = "I've read the conversation so far, so you won't need to repeat anything: " + goalPart(x);
        }
        return prefix.isEmpty() ? line : prefix + lowerFirst(line);
    }

    private static String goalPart(Extraction x) {
        if (x.need != null && x.needIsVerb) {
            return "you'd like to " + lowerFirst(toSecondPerson(x.need)) + ". Let's take care of that now.";
        }
        if (x.need != null) {
            return "you're after " + lowerFirst(toSecondPerson(x.need)) + ". Let's take care of that now.";
        }
        if (x.firstSubstantive != null && x.firstSubstantive.strip().endsWith("?")) {
            return "you asked \"" + x.firstSubstantive.strip() + "\" Let's pick it up from there.";
        }
        if (x.firstSubstantive != null) {
            return "you mentioned that " + toSecondPerson(lowerFirst(stripEnd(x.firstSubstantive))) + ". Let's sort that out now.";
        }
        return "let's pick up where you left off.";
    }

    private static String firstName(CustomerData customer) {
        for (String key : List.of("firstName", "first_name", "name", "displayName")) {
            String v = customer.fields().get(key);
            if (v != null && !v.isBlank()) {
                return v.strip().split("\\s+")[0];
            }
        }
        return null;
    }

    private static final Map<String, String> SWAP = Map.ofEntries(
            Map.entry("i", "you"), Map.entry("me", "you"), Map.entry("my", "your"), Map.entry("mine", "yours"), Map.entry("myself", "yourself"),
            Map.entry("i'm", "you're"), Map.entry("i've", "you've"), Map.entry("i'd", "you'd"), Map.entry("i'll", "you'll"),
            Map.entry("we", "you"), Map.entry("our", "your"), Map.entry("ours", "yours"), Map.entry("us", "you"),
            Map.entry("we're", "you're"), Map.entry("we've", "you've"), Map.entry("we'd", "you'd"), Map.entry("we'll", "you'll"),
            Map.entry("your", "our"), Map.entry("yours", "ours"), Map.entry("am", "are"), Map.entry("was", "were"));

    /**
     * Rewrites the customer's words for the agent to say back: first person to second ("my tooth hurts" to "your
     * tooth hurts"), and the business the customer called "your" to "our".
     */
    static String toSecondPerson(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        Matcher m = Pattern.compile("[A-Za-z']+|[^A-Za-z']+").matcher(s);
        boolean afterI = false;
        while (m.find()) {
            String tok = m.group();
            String lower = tok.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
            String rep = SWAP.get(lower);
            if (rep != null && (!lower.equals("was") && !lower.equals("am") || afterI)) {
                out.append(rep);
            } else {
                out.append(tok);
            }
            if (Character.isLetter(tok.charAt(0))) {
                afterI = lower.equals("i") || lower.equals("we");
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ tone

    static ToneProfile tone(List<Turn> turns) {
        int aiTurns = 0;
        int words = 0;
        int formal = 0;
        int casual = 0;
        int empathic = 0;
        for (Turn t : turns) {
            if (t.speaker() != Speaker.AI || t.partial() || t.text().isBlank()) {
                continue;
            }
            aiTurns++;
            words += t.text().strip().split("\\s+").length;
            Matcher f = FORMAL.matcher(t.text());
            while (f.find()) {
                formal++;
            }
            Matcher c = CASUAL.matcher(t.text());
            while (c.find()) {
                casual++;
            }
            if (EMPATHY.matcher(t.text()).find()) {
                empathic++;
            }
        }
        if (aiTurns == 0) {
            return new ToneProfile(ToneProfile.Pace.MEASURED, ToneProfile.Formality.NEUTRAL, Level.MEDIUM,
                    "The assistant has not spoken yet; open plainly and politely.");
        }
        double avgWords = (double) words / aiTurns;
        ToneProfile.Pace pace = avgWords <= 12 ? ToneProfile.Pace.BRISK : avgWords >= 28 ? ToneProfile.Pace.SLOW : ToneProfile.Pace.MEASURED;
        double casualRate = (double) casual / aiTurns;
        double formalRate = (double) formal / aiTurns;
        ToneProfile.Formality formality = casualRate >= 0.5 && casualRate > formalRate ? ToneProfile.Formality.CASUAL
                : formalRate >= 0.75 && casual == 0 ? ToneProfile.Formality.FORMAL : ToneProfile.Formality.NEUTRAL;
        double empathyRate = (double) empathic / aiTurns;
        Level empathy = empathyRate >= 0.5 ? Level.HIGH : empathyRate >= 0.2 ? Level.MEDIUM : Level.LOW;
        String paceWords = switch (pace) {
            case BRISK -> "short, quick answers";
            case MEASURED -> "answers of a sentence or two";
            case SLOW -> "long, unhurried explanations";
        };
        String formalityWords = switch (formality) {
            case CASUAL -> "casual, friendly wording";
            case NEUTRAL -> "plain, polite wording";
            case FORMAL -> "formal wording";
        };
        String empathyWords = switch (empathy) {
            case HIGH -> "acknowledge how they feel first, as the assistant did";
            case MEDIUM -> "a little reassurance";
            case LOW -> "matter-of-fact, no small talk";
        };
        return new ToneProfile(pace, formality, empathy,
                "Match the assistant before pivoting: " + paceWords + "; " + formalityWords + "; " + empathyWords + ".");
    }

    // ------------------------------------------------------------------ text helpers

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String lowerFirst(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        // keep acronyms and "I" as they are
        if (s.length() > 1 && Character.isUpperCase(s.charAt(1)) || s.startsWith("I ") || s.startsWith("I'")) {
            return s;
        }
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static String stripTerminalPeriod(String s) {
        String t = s.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
