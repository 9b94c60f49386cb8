package dev.handoff.core.context;

import dev.handoff.core.text.Alternation;
import dev.handoff.core.text.Words;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.SemanticLedger.Bant;
import dev.handoff.api.context.SemanticLedger.KeyEntity;
import dev.handoff.api.context.SentimentTrack;
import dev.handoff.api.context.SentimentTrack.Level;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.text.Dates;
import dev.handoff.core.text.Money;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
 * customer's sentences in order and fills
 * <ul>
 *   <li><b>BANT</b> ({@link BantReader}, {@link TimelineReader}): a budget across ordinary speech ("we've earmarked
 *       roughly sixty grand", "north of a million over the term") or its stated absence ("no budget signed off yet"),
 *       authority (role, who decides, who else signs off: "legal has the last word", "our COO approves spend"), the
 *       need, and a timeline in the customer's words ("by end of Q1", "ahead of tax season", "no rush"), with dates read
 *       by the shared {@code dev.handoff.core.text.Dates} reader and background dates left out;</li>
 *   <li><b>pain points</b> in the customer's words ({@link PainReader}) and <b>key entities</b> (amounts,
 *       percentages, dates, references such as invoice numbers, products, and the bot's own NLU entities);</li>
 *   <li>the <b>whisper</b> ({@link WhisperWriter}): goal in the third person, obstacle, sentiment in words from the
 *       latest turns, and an opening line in the second person;</li>
 *   <li>the AI's <b>tone</b>: pace from its turn length, formality and empathy from its wording.</li>
 * </ul>
 * What it does not understand: sarcasm beyond the common set phrases, a need or budget only implied by context
 * ("half that"), a pronoun's antecedent ("I need it by then" falls back to what the customer first raised), and
 * meaning across turns beyond the assistant's last question and figure. The same transcript always gives the same
 * summary. Thread-safe; called on the orchestrator's worker thread, and used as the fallback when a configured
 * summarizer (such as the LLM one) fails.
 */
public final class DeterministicSummarizer implements Summarizer {

    private static final int F = Pattern.CASE_INSENSITIVE;
    /** Sentences: after . ! ? (not after "Dr." or "Mr."), and line breaks. */
    private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])(?<!\\b(?:Dr|Mr|Ms|Mrs|St|vs)\\.)\\s+|\\n+");
    private static final Pattern REFERENCE = Pattern.compile("\\b(" + Alternation.byFirstLetter("(?:INV|ORD|ORDER|TKT|CASE|AC|ACCT|PO|RMA|SR)[- #]?\\d{3,}|#\\d{4,}") + ")\\b", F);
    private static final Pattern PERCENT = Pattern.compile("\\b\\d{1,3}(?:\\.\\d+)?\\s?%");
    private static final Pattern PRODUCT = Pattern.compile("\\b((?:[A-Z][A-Za-z0-9+]*\\s){1,3}(?:tier|plan|package|module|edition|subscription"
            + "|license|licence|bundle|add-on))\\b");
    private static final List<String> PRODUCT_NOUNS = List.of("tier", "plan", "package", "module", "edition", "subscription", "licen",
            "bundle", "add-on");
    private static final Pattern FORMAL = Pattern.compile("\\b(" + Alternation.byFirstLetter("certainly|kindly|may i|would you|please|sir|madam"
            + "|i apologi[sz]e|regarding|assist|thank you for|appreciate your|shall|indeed|however|pleased to") + ")\\b", F);
    private static final Pattern CASUAL = Pattern.compile("\\b(" + Alternation.byFirstLetter("hey|yeah|yep|gonna|wanna|cool|awesome|no worries"
            + "|sure thing|np|lol|btw|totally|super|folks|gotcha|oops") + ")\\b|:\\)|!", F);
    private static final Pattern EMPATHY = Pattern.compile("\\b(" + Alternation.byFirstLetter("sorry|i understand|i hear you|that sounds"
            + "|i appreciate|frustrating|i can imagine|happy to help|glad to help|of course|i know how|must be|totally understand"
            + "|thanks for your patience|no rush|take your time|i'?m here to help") + ")\\b", F);

    /** Pain points kept (the first ones said). */
    public static final int MAX_PAIN_POINTS = PainReader.MAX;
    /** Key entities kept (first seen first). */
    public static final int MAX_ENTITIES = 20;
    /** The zone relative dates ("tomorrow", "by Friday") are read in. */
    public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

    /** The trigger engine's {@code RuleTriggerEvaluator.REQUEST_FORM} (this package does not depend on the engine). */
    static final String REQUEST_FORM = "explicit.request-form";
    /**
     * The default policy's companion rule for "can someone call me back ...": like the request form it quotes a whole
     * stretch of the sentence, which may carry the need or the timeline ("... before the move on Friday").
     */
    static final String CONTACT_ME = "explicit.contact-me";
    /** Requests whose quote is a stretch of the sentence, not the request itself: the readers still read it. */
    private static final java.util.Set<String> READ_ANYWAY = java.util.Set.of(REQUEST_FORM, CONTACT_ME);

    private final SentimentVelocity velocity;
    private final ZoneId zone;

    /**
     * Scores customer turns without a bot sentiment signal with the given analyzer.
     *
     * @param analyzer the analyzer
     */
    public DeterministicSummarizer(SentimentAnalyzer analyzer) {
        this(analyzer, DEFAULT_ZONE);
    }

    /**
     * @param analyzer scores customer turns without a bot sentiment signal
     * @param zone     the business's zone, for dates the customer names relative to today
     */
    public DeterministicSummarizer(SentimentAnalyzer analyzer, ZoneId zone) {
        this.velocity = new SentimentVelocity(Objects.requireNonNull(analyzer, "analyzer"));
        this.zone = Objects.requireNonNull(zone, "zone");
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

    /**
     * The summary of a transcript (final turns plus an optional partial one). Deterministic: the same input gives the
     * same summary.
     *
     * @param turns    the transcript, oldest first
     * @param customer what the bot knows about the customer
     * @param decision why the handoff was requested
     * @return the semantic ledger, whisper and tone
     */
    public Summary summarize(List<Turn> turns, CustomerData customer, HandoffDecision decision) {
        Objects.requireNonNull(turns, "turns");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(decision, "decision");
        BantReader bant = new BantReader();
        TimelineReader timeline = new TimelineReader();
        PainReader pains = new PainReader();
        Entities entities = new Entities();
        List<Object[]> requests = new ArrayList<>();
        for (Reason r : decision.reasons()) {
            // a request read from its form ("I need a specialist by Friday") may carry the need or the timeline: the
            // readers still read that sentence, as they read every sentence no listed phrase quotes
            if ((r.kind() == TriggerKind.EXPLICIT_REQUEST || r.kind() == TriggerKind.KILL_SWITCH)
                    && !READ_ANYWAY.contains(r.ruleId()) && r.turnIndex() != null && r.evidence() != null
                    && !r.evidence().text().isBlank()) {
                requests.add(new Object[] {r.turnIndex(), r.evidence().text()});
            }
        }
        String lastAi = null;
        for (Turn t : turns) {
            if (t.speaker() == Speaker.SYSTEM || t.text().isBlank()) {
                continue;
            }
            for (var e : t.signalsOrNone().entities().entrySet()) {
                entities.add(e.getKey(), e.getValue(), t.index());
            }
            for (String raw : Sentences.split(SENTENCE, t.text().strip(), true)) {
                String s = raw.strip();
                if (s.isEmpty()) {
                    continue;
                }
                // the customer's date mentions, found once for the entities and the timeline
                List<Dates.Mention> dates = t.speaker() == Speaker.CUSTOMER ? Dates.find(s, t.timestamp().atZone(zone)) : List.of();
                entities(s, t, entities, dates);
                if (t.speaker() == Speaker.CUSTOMER) {
                    boolean asks = asksForPerson(requests, t, s);
                    long cues = ObserverCues.find(s);   // once for the three readers
                    bant.read(s, t.index(), lastAi, asks, cues);
                    timeline.read(s, t.timestamp().atZone(zone), lastAi, asks, dates, cues);
                    pains.read(s, t.index(), asks, lastAi, cues);
                }
            }
            if (t.speaker() == Speaker.AI) {
                lastAi = t.text();
            }
        }
        SentimentTrack track = velocity.track(turns);
        String need = bant.needOrTopic();
        Bant b = new Bant(bant.budget(), bant.authority(), need, timeline.timeline());
        SemanticLedger ledger = new SemanticLedger(b, pains.painPoints(), entities.list, Map.of());
        WhisperSummary whisper = WhisperWriter.write(bant.need(), timeline.timeline(), pains, track, decision, turns, customer);
        return new Summary(ledger, whisper, tone(turns), track);
    }

    /** True when this piece of a customer turn is where they asked for a person, as the trigger decision's evidence says. */
    private static boolean asksForPerson(List<Object[]> requests, Turn t, String piece) {
        for (Object[] r : requests) {
            if ((int) r[0] == t.index() && (piece.contains((String) r[1]) || ((String) r[1]).contains(piece.strip()))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ entities

    private static final class Entities {
        final List<KeyEntity> list = new ArrayList<>();
        final Set<String> keys = new HashSet<>();

        void add(String type, String value, int turnIndex) {
            if (value == null || value.isBlank() || list.size() >= MAX_ENTITIES) {
                return;
            }
            String v = value.strip();
            if (keys.add(type + '\u0000' + v.toLowerCase(Locale.ROOT))) {
                list.add(new KeyEntity(type, v, turnIndex));
            }
        }
    }

    private void entities(String s, Turn t, Entities x, List<Dates.Mention> dates) {
        boolean digits = s.chars().anyMatch(Character::isDigit);
        if (digits) {
            for (Money.Amount a : Money.find(s)) {
                if (a.currency() != null) {
                    x.add("amount", BudgetReader.plain(a.value()).toPlainString() + " " + a.currency(), t.index());
                }
            }
            Matcher m = PERCENT.matcher(s);
            while (m.find()) {
                x.add("percent", m.group().replace(" ", ""), t.index());
            }
            m = REFERENCE.matcher(s);
            while (m.find()) {
                x.add("reference", m.group(1).toUpperCase(Locale.ROOT), t.index());
            }
        }
        String lower = s.toLowerCase(Locale.ROOT);
        if (PRODUCT_NOUNS.stream().anyMatch(lower::contains)) {
            Matcher m = PRODUCT.matcher(s);
            while (m.find()) {
                String p = m.group(1);
                String first = p.substring(0, p.indexOf(' '));
                if (!Set.of("The", "A", "An", "Our", "Your", "This", "That", "My", "We", "I", "It").contains(first)) {
                    x.add("product", p, t.index());
                } else if (p.indexOf(' ') < p.lastIndexOf(' ')) {
                    x.add("product", p.substring(p.indexOf(' ') + 1), t.index());
                }
            }
        }
        if (t.speaker() == Speaker.CUSTOMER) {
            for (Dates.Mention d : dates) {
                x.add("date", d.text(), t.index());
            }
        }
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
            words += Words.count(t.text());
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
}
