package dev.handoff.core.trigger;

import dev.handoff.api.CustomerData;
import dev.handoff.api.EvidenceSpan;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.TriggerEvaluator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision rule engine: evaluates every trigger of a {@link TriggerPolicy} on each turn and explains each
 * decision (trigger kind, rule id, matched span and turn, the value compared and its threshold).
 *
 * <pre>{@code
 * TriggerEvaluator engine = new RuleTriggerEvaluator(TriggerPolicy.preset(Preset.DENTAL_PRACTICE));
 * Handoff handoff = Handoff.builder().triggerEvaluator(engine).build();
 * }</pre>
 *
 * <p>All phrases of all rules are compiled once into one {@link PhraseMatcher}; a turn is normalized and scanned
 * once whatever the number of phrases. Incremental state (confidence streaks, sentiment series, recent turns'
 * fingerprints, intent sets) lives with the session through {@link ConversationView#state}. Thread-safe: one
 * instance serves every session; calls for one session are serialized on that session's state. Never throws:
 * a failure inside a rule is logged and the turn continues with the bot. A turn on which nothing fires
 * allocates nothing (see the benchmarks module).
 */
public final class RuleTriggerEvaluator implements TriggerEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(RuleTriggerEvaluator.class);

    /** At most this many distinct content words of a turn are kept for loop detection. */
    static final int MAX_PRINT = 32;

    // lexicon flags of tokens
    static final int STOP = 1;
    static final int NEG = 1 << 1;
    static final int PRONOUN = 1 << 2;
    static final int NUMBER = 1 << 3;
    static final int HUNDRED = 1 << 4;
    static final int SCALE = 1 << 5;
    static final int CURRENCY = 1 << 6;
    static final int MONEY_CONTEXT = 1 << 7;
    static final int AND = 1 << 8;
    static final int POINT = 1 << 9;
    static final int ARTICLE = 1 << 10;
    static final int MONEY_SCALE = 1 << 11;
    static final int LETTER_SCALE = 1 << 12;

    static final String[] CURRENCY_CODES = {"USD", "EUR", "GBP", "JPY"};
    static final Lexicon WORDS = words();

    private final TriggerPolicy policy;
    private final PhraseMatcher matcher;
    private final TriggerPolicy.PhraseRule[] rules;
    private final int[] ruleOfPhrase;
    private final int[] speakerMask;
    private final double[] rates;
    private final int policyCurrency;
    private final Object stateKey = new Object();
    private final java.util.function.Supplier<SessionState> newState;

    /** An engine over the default policy ({@link TriggerPolicy#defaults()}). */
    public RuleTriggerEvaluator() {
        this(TriggerPolicy.defaults());
    }

    /** Compiles {@code policy}; compiling the default policy takes a few milliseconds. */
    public RuleTriggerEvaluator(TriggerPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        List<TriggerPolicy.PhraseRule> active = policy.phraseRules().stream().filter(r -> r.isActive(policy.profiles())).toList();
        rules = active.toArray(TriggerPolicy.PhraseRule[]::new);
        speakerMask = new int[rules.length];
        List<String> phrases = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int r = 0; r < rules.length; r++) {
            for (Speaker sp : rules[r].speakers()) {
                speakerMask[r] |= 1 << sp.ordinal();
            }
            for (String p : rules[r].phrases()) {
                phrases.add(p);
                owners.add(r);
            }
        }
        ruleOfPhrase = owners.stream().mapToInt(Integer::intValue).toArray();
        matcher = PhraseMatcher.compile(phrases);
        rates = new double[CURRENCY_CODES.length];
        int own = 0;
        for (int i = 0; i < CURRENCY_CODES.length; i++) {
            rates[i] = policy.sales().rates().getOrDefault(CURRENCY_CODES[i], Double.NaN);
            if (CURRENCY_CODES[i].equals(policy.sales().currency())) {
                own = i;
                rates[i] = 1.0;
            }
        }
        policyCurrency = own;
        newState = () -> new SessionState(policy); // one supplier, so that a state lookup allocates nothing
    }

    /** The policy this engine evaluates. */
    public TriggerPolicy policy() {
        return policy;
    }

    /** The compiled phrases of every active rule. */
    public PhraseMatcher matcher() {
        return matcher;
    }

    @Override
    public HandoffDecision evaluate(ConversationView conversation, Turn turn) {
        if (turn == null || turn.partial()) {
            return HandoffDecision.proceed();
        }
        try {
            return decide(conversation, turn);
        } catch (RuntimeException e) {
            LOG.warn("Trigger rules failed on turn {}; continuing with the bot", turn.index(), e);
            return HandoffDecision.proceed();
        }
    }

    private HandoffDecision decide(ConversationView view, Turn turn) {
        String text = turn.text() == null ? "" : turn.text();
        Speaker speaker = turn.speaker() == null ? Speaker.SYSTEM : turn.speaker();
        Scratch s = matcher.scan(text);
        tokenize(s);
        List<Fired> fired = null;
        if (s.hitCount > 0) {
            fired = phrases(s, speaker, turn, text, fired);
        }
        NluSignals signals = turn.signalsOrNone();
        if (speaker == Speaker.CUSTOMER && policy.sales().enabled()) {
            fired = amount(s, turn, text, fired);
        }
        if (view != null) {
            SessionState st = view.state(stateKey, newState);
            synchronized (st) {
                fired = confidence(st, signals, turn, fired);
                if (speaker == Speaker.CUSTOMER) {
                    fired = sentiment(st, signals, turn, fired);
                }
                fired = intents(st, signals, turn, fired);
                if (speaker == Speaker.CUSTOMER || speaker == Speaker.AI) {
                    fired = loop(st, s, speaker, turn, text, fired);
                }
                fired = urgency(st, view, turn, fired);
            }
        }
        return fired == null ? HandoffDecision.proceed() : verdict(fired);
    }

    // ---------------------------------------------------------------- phrases

    private List<Fired> phrases(Scratch s, Speaker speaker, Turn turn, String text, List<Fired> fired) {
        int bit = 1 << speaker.ordinal();
        long seen = 0; // rules already reported on this turn (first 64 rules); later rules use the list
        s.negatedCount = 0;
        for (int h = 0; h < s.hitCount; h++) {
            int phrase = s.hits[2 * h];
            int r = ruleOfPhrase[phrase];
            TriggerPolicy.PhraseRule rule = rules[r];
            if ((speakerMask[r] & bit) == 0 || (r < 64 && (seen & (1L << r)) != 0) || (r >= 64 && has(fired, rule.id()))) {
                continue;
            }
            int normEnd = s.hits[2 * h + 1];
            int normStart = matcher.normalizedStart(phrase, normEnd);
            if (rule.negatable() && (insideNegated(s, r, normStart) || negated(s, normStart))) {
                s.addNegated(r, normStart, normEnd);
                continue;
            }
            if (r < 64) {
                seen |= 1L << r;
            }
            long span = matcher.span(s, phrase, normEnd);
            int start = (int) (span >>> 32);
            int end = Math.min((int) span, text.length());
            String evidence = text.substring(start, end);
            fired = add(fired, new Fired(new Reason(rule.kind(), rule.id(), rule.description() + ": \"" + evidence + "\"",
                    turn.index(), new EvidenceSpan(start, end, evidence), null, null), rule.priority(), rule.routeHint(),
                    rule.kind() == TriggerKind.KILL_SWITCH));
        }
        return fired;
    }

    private static boolean has(List<Fired> fired, String ruleId) {
        if (fired != null) {
            for (Fired f : fired) {
                if (f.reason.ruleId().equals(ruleId)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when one of the three words before the phrase (within its clause) is a negation that is not
     * followed by a pronoun: "I don't need a human" is negated, "why can't I talk to a person" is not.
     */
    static boolean negated(Scratch s, int normStart) {
        int t = tokenAt(s, normStart);
        for (int j = t - 1; j >= 0 && j >= t - 3; j--) {
            if (s.out[s.tokStart[j]] == '|') {
                return false;
            }
            if ((s.tokFlags[j] & NEG) != 0 && !(j + 1 < s.tokCount && (s.tokFlags[j + 1] & PRONOUN) != 0)) {
                return true;
            }
        }
        return false;
    }

    /** True when a negated, longer phrase of the same rule covers this start ("never ... speak to a representative"). */
    private static boolean insideNegated(Scratch s, int rule, int normStart) {
        for (int k = 0; k < s.negatedCount; k++) {
            int at = 3 * k;
            if (s.negated[at] == rule && normStart >= s.negated[at + 1] && normStart < s.negated[at + 2]) {
                return true;
            }
        }
        return false;
    }

    private static int tokenAt(Scratch s, int normPos) {
        int lo = 0;
        int hi = s.tokCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (s.tokStart[mid] < normPos) {
                lo = mid + 1;
            } else if (s.tokStart[mid] > normPos) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return lo;
    }

    // ---------------------------------------------------------------- tokens

    /** Splits the normalized text into tokens, hashes and classifies them, and builds the turn's fingerprint. */
    static void tokenize(Scratch s) {
        char[] out = s.out;
        int len = s.len;
        s.ensureTokens(len / 2 + 2);
        int n = 0;
        int printLen = 0;
        long[] print = s.print;
        int i = 1;
        while (i < len) {
            int start = i;
            long h = Lexicon.FNV_OFFSET;
            while (i < len && out[i] != ' ') {
                h ^= out[i];
                h *= Lexicon.FNV_PRIME;
                i++;
            }
            if (i > start) {
                if (h == 0) {
                    h = 1;
                }
                int slot = WORDS.find(h);
                int flags = WORDS.flagsAt(slot);
                s.tokStart[n] = start;
                s.tokEnd[n] = i;
                s.tokHash[n] = h;
                s.tokFlags[n] = flags;
                s.tokValue[n] = WORDS.valueAt(slot);
                n++;
                if ((flags & STOP) == 0 && printLen < MAX_PRINT && TextNormalizer.isWordChar(out[start])) {
                    // insertion into the sorted, distinct fingerprint
                    int k = printLen - 1;
                    while (k >= 0 && print[k] > h) {
                        k--;
                    }
                    if (k < 0 || print[k] != h) {
                        System.arraycopy(print, k + 1, print, k + 2, printLen - k - 1);
                        print[k + 1] = h;
                        printLen++;
                    }
                }
            }
            i++;
        }
        s.tokCount = n;
        s.printLen = printLen;
    }

    // ---------------------------------------------------------------- amounts

    private List<Fired> amount(Scratch s, Turn turn, String text, List<Fired> fired) {
        int n = s.tokCount;
        double best = -1;
        double bestRaw = 0;
        int bestCurrency = -1;
        int bestFrom = 0;
        int bestTo = 0;
        char[] out = s.out;
        int t = 0;
        while (t < n) {
            int flags = s.tokFlags[t];
            char c0 = out[s.tokStart[t]];
            double value;
            int end;
            boolean money = false;
            boolean magnitude = false;
            if (c0 >= '0' && c0 <= '9') {
                int p = s.tokStart[t];
                int e = s.tokEnd[t];
                value = 0;
                double scale = 0;
                while (p < e && (out[p] >= '0' && out[p] <= '9' || out[p] == '.')) {
                    if (out[p] == '.') {
                        if (scale != 0) {
                            break;
                        }
                        scale = 1;
                    } else if (scale == 0) {
                        value = value * 10 + (out[p] - '0');
                    } else {
                        scale /= 10;
                        value += (out[p] - '0') * scale;
                    }
                    p++;
                }
                if (p < e) {
                    int slot = WORDS.find(Lexicon.hash(out, p, e));
                    if ((WORDS.flagsAt(slot) & LETTER_SCALE) == 0) {
                        t++;
                        continue; // "2nd", "4g", "10am"
                    }
                    value *= pow10(WORDS.valueAt(slot));
                    money = true;
                }
                end = t + 1;
                if (end < n && (s.tokFlags[end] & SCALE) != 0) {
                    value *= pow10(s.tokValue[end]);
                    money |= (s.tokFlags[end] & (MONEY_SCALE | LETTER_SCALE)) != 0;
                    magnitude = true;
                    end++;
                }
            } else if ((flags & (NUMBER | HUNDRED)) != 0
                    || ((flags & ARTICLE) != 0 && t + 1 < n && (s.tokFlags[t + 1] & (HUNDRED | SCALE)) != 0)) {
                double total = 0;
                double current = 0;
                double fraction = 0;
                int u = t;
                while (u < n) {
                    int f = s.tokFlags[u];
                    if (fraction > 0 && (f & NUMBER) != 0 && s.tokValue[u] < 10) {
                        current += s.tokValue[u] * fraction;
                        fraction /= 10;
                    } else if ((f & NUMBER) != 0) {
                        current += s.tokValue[u];
                    } else if ((f & ARTICLE) != 0 && u == t) {
                        current = 1;
                    } else if ((f & HUNDRED) != 0) {
                        current = (current == 0 ? 1 : current) * 100;
                    } else if ((f & SCALE) != 0 && (f & LETTER_SCALE) == 0) {
                        total += (current == 0 ? 1 : current) * pow10(s.tokValue[u]);
                        current = 0;
                        magnitude = true;
                        money |= (f & MONEY_SCALE) != 0;
                        fraction = 0;
                    } else if ((f & POINT) != 0 && u + 1 < n && (s.tokFlags[u + 1] & NUMBER) != 0) {
                        fraction = 0.1;
                    } else if ((f & AND) != 0 && u > t && u + 1 < n && (s.tokFlags[u + 1] & NUMBER) != 0) {
                        // "two hundred and fifty"
                    } else {
                        break;
                    }
                    u++;
                }
                value = total + current;
                end = u;
                if (end == t) {
                    t++;
                    continue;
                }
            } else {
                t++;
                continue;
            }
            int from = t;
            int currency = -1;
            if (t > 0 && (s.tokFlags[t - 1] & CURRENCY) != 0) {
                currency = s.tokValue[t - 1];
                from = t - 1;
            } else if (end < n && (s.tokFlags[end] & CURRENCY) != 0) {
                currency = s.tokValue[end];
                end++;
            }
            boolean qualifies = currency >= 0 || money || (magnitude && moneyContext(s, t - 4, t) );
            if (qualifies) {
                int cur = currency >= 0 ? currency : policyCurrency;
                double converted = value * rates[cur];
                if (converted > best) {
                    best = converted;
                    bestRaw = value;
                    bestCurrency = cur;
                    bestFrom = from;
                    bestTo = end - 1;
                }
            }
            t = end;
        }
        double threshold = policy.sales().amountThreshold();
        if (best < threshold) {
            return fired;
        }
        int start = s.from[s.tokStart[bestFrom]];
        int end = Math.min(text.length(), Math.max(start, s.to[s.tokEnd[bestTo] - 1]));
        String evidence = text.substring(start, end);
        String own = CURRENCY_CODES[policyCurrency];
        String value = fmt(round2(bestRaw)) + " " + CURRENCY_CODES[bestCurrency]
                + (bestCurrency == policyCurrency ? "" : " (" + fmt(round2(best)) + " " + own + ")");
        return add(fired, new Fired(new Reason(TriggerKind.SALES, "sales.amount",
                "Deal value " + value + " is at or over the threshold " + fmt(threshold) + " " + own + ": \"" + evidence + "\"",
                turn.index(), new EvidenceSpan(start, end, evidence), round2(best), threshold),
                policy.sales().priority(), policy.sales().routeHint(), false));
    }

    private static boolean moneyContext(Scratch s, int from, int to) {
        for (int j = Math.max(0, from); j < to; j++) {
            if ((s.tokFlags[j] & MONEY_CONTEXT) != 0) {
                return true;
            }
        }
        return false;
    }

    private static double pow10(int exponent) {
        switch (exponent) {
            case 3: return 1e3;
            case 6: return 1e6;
            case 9: return 1e9;
            default: return Math.pow(10, exponent);
        }
    }

    // ---------------------------------------------------------------- signals

    private List<Fired> confidence(SessionState st, NluSignals signals, Turn turn, List<Fired> fired) {
        TriggerPolicy.Confidence c = policy.confidence();
        Double boxed = signals.confidence();
        if (!c.enabled() || boxed == null || boxed.isNaN()) {
            return fired;
        }
        double conf = boxed;
        st.lowConfidenceRun = conf < c.softThreshold() ? st.lowConfidenceRun + 1 : 0;
        st.confidences[st.confidenceCount % st.confidences.length] = conf;
        st.confidenceCount++;
        if (conf < c.hardFloor()) {
            return add(fired, new Fired(new Reason(TriggerKind.CONFIDENCE, "confidence.floor",
                    "Bot confidence " + fmt(conf) + " is under the hard floor " + fmt(c.hardFloor()), turn.index(), null,
                    conf, c.hardFloor()), c.priority(), null, false));
        }
        if (st.lowConfidenceRun >= c.consecutiveTurns()) {
            return add(fired, new Fired(new Reason(TriggerKind.CONFIDENCE, "confidence.soft",
                    "Bot confidence was under " + fmt(c.softThreshold()) + " for " + st.lowConfidenceRun
                            + " turns in a row (now " + fmt(conf) + ")", turn.index(), null, conf, c.softThreshold()),
                    c.priority(), null, false));
        }
        if (st.confidenceCount >= st.confidences.length) {
            double sum = 0;
            for (double v : st.confidences) {
                sum += v;
            }
            double mean = sum / st.confidences.length;
            if (mean < c.softThreshold()) {
                return add(fired, new Fired(new Reason(TriggerKind.CONFIDENCE, "confidence.mean",
                        "Mean bot confidence over the last " + st.confidences.length + " turns is " + fmt(round2(mean))
                                + ", under " + fmt(c.softThreshold()), turn.index(), null, round2(mean), c.softThreshold()),
                        c.priority(), null, false));
            }
        }
        return fired;
    }

    private List<Fired> sentiment(SessionState st, NluSignals signals, Turn turn, List<Fired> fired) {
        TriggerPolicy.Sentiment c = policy.sentiment();
        Double boxed = signals.sentiment();
        if (!c.enabled() || boxed == null || boxed.isNaN()) {
            return fired;
        }
        double score = boxed;
        int k = st.sentiments.length;
        st.sentiments[st.sentimentCount % k] = score;
        st.sentimentCount++;
        if (score < c.threshold()) {
            fired = add(fired, new Fired(new Reason(TriggerKind.NEGATIVE_SENTIMENT, "sentiment.negative",
                    "Customer sentiment " + fmt(score) + " is under " + fmt(c.threshold()), turn.index(), null, score,
                    c.threshold()), c.priority(), null, false));
        }
        if (st.sentimentCount >= k) {
            // least-squares slope over the last k scores, oldest first
            double meanX = (k - 1) / 2.0;
            double meanY = 0;
            for (int i = 0; i < k; i++) {
                meanY += st.sentiments[(st.sentimentCount - k + i) % k];
            }
            meanY /= k;
            double num = 0;
            double den = 0;
            for (int i = 0; i < k; i++) {
                double dx = i - meanX;
                num += dx * (st.sentiments[(st.sentimentCount - k + i) % k] - meanY);
                den += dx * dx;
            }
            double slope = num / den;
            if (slope < c.velocityThreshold()) {
                double first = st.sentiments[(st.sentimentCount - k) % k];
                fired = add(fired, new Fired(new Reason(TriggerKind.NEGATIVE_SENTIMENT, "sentiment.velocity",
                        "Customer sentiment fell from " + fmt(first) + " to " + fmt(score) + " over " + k + " turns ("
                                + fmt(round2(slope)) + " per turn, threshold " + fmt(c.velocityThreshold()) + ")",
                        turn.index(), null, round2(slope), c.velocityThreshold()), c.priority(), null, false));
            }
        }
        return fired;
    }

    private List<Fired> intents(SessionState st, NluSignals signals, Turn turn, List<Fired> fired) {
        String intent = signals.intent();
        if (intent == null || intent.isBlank()) {
            return fired;
        }
        TriggerPolicy.Loop loop = policy.loop();
        TriggerPolicy.Complex complex = policy.complex();
        boolean multi = intent.indexOf('+') >= 0 || intent.indexOf(',') >= 0;
        if (!multi) {
            boolean fallback = loop.fallbackIntents().contains(intent);
            if (loop.enabled()) {
                st.fallbackRun = fallback ? st.fallbackRun + 1 : 0;
                if (fallback && st.fallbackRun >= loop.maxConsecutiveFallbacks()) {
                    fired = add(fired, new Fired(new Reason(TriggerKind.CONVERSATION_LOOP, "loop.fallback",
                            st.fallbackRun + " no-match intents in a row (\"" + intent + "\"), limit "
                                    + loop.maxConsecutiveFallbacks(), turn.index(), null, (double) st.fallbackRun,
                            (double) loop.maxConsecutiveFallbacks()), loop.priority(), null, false));
                }
            }
            if (complex.enabled() && !fallback) {
                if (complex.intents().contains(intent)) {
                    fired = add(fired, complexIntent(intent, turn));
                }
                fired = sessionIntents(st, intent, turn, fired);
            }
            return fired;
        }
        if (loop.enabled()) {
            st.fallbackRun = 0;
        }
        if (!complex.enabled()) {
            return fired;
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String part : intent.split("[+,]")) {
            if (!part.isBlank() && !loop.fallbackIntents().contains(part.strip())) {
                distinct.add(part.strip());
            }
        }
        for (String part : distinct) {
            if (complex.intents().contains(part)) {
                fired = add(fired, complexIntent(part, turn));
                break;
            }
        }
        if (distinct.size() > complex.maxIntentsPerTurn()) {
            fired = add(fired, new Fired(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.multi-intent",
                    distinct.size() + " distinct intents in one turn " + distinct + ", more than " + complex.maxIntentsPerTurn(),
                    turn.index(), null, (double) distinct.size(), (double) complex.maxIntentsPerTurn()),
                    complex.priority(), complex.routeHint(), false));
        }
        for (String part : distinct) {
            fired = sessionIntents(st, part, turn, fired);
        }
        return fired;
    }

    private Fired complexIntent(String intent, Turn turn) {
        TriggerPolicy.Complex complex = policy.complex();
        return new Fired(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.intent",
                "Intent \"" + intent + "\" is configured as complex", turn.index(), null, null, null),
                complex.priority(), complex.routeHint(), false);
    }

    private List<Fired> sessionIntents(SessionState st, String intent, Turn turn, List<Fired> fired) {
        TriggerPolicy.Complex complex = policy.complex();
        if (st.intents().add(intent) && !st.sessionIntentsFired && st.intents.size() > complex.maxIntentsPerSession()) {
            st.sessionIntentsFired = true;
            fired = add(fired, new Fired(new Reason(TriggerKind.COMPLEX_ISSUE, "complex.session-intents",
                    st.intents.size() + " distinct intents in the session, more than " + complex.maxIntentsPerSession(),
                    turn.index(), null, (double) st.intents.size(), (double) complex.maxIntentsPerSession()),
                    complex.priority(), complex.routeHint(), false));
        }
        return fired;
    }

    private List<Fired> loop(SessionState st, Scratch s, Speaker speaker, Turn turn, String text, List<Fired> fired) {
        TriggerPolicy.Loop c = policy.loop();
        if (!c.enabled()) {
            return fired;
        }
        boolean customer = speaker == Speaker.CUSTOMER;
        long[][] prints = customer ? st.customerPrints : st.botPrints;
        int[] lengths = customer ? st.customerPrintLengths : st.botPrintLengths;
        int count = customer ? st.customerCount : st.botCount;
        double threshold = customer ? c.similarity() : c.botSimilarity();
        int needed = customer ? c.minRepeats() : 1;
        int window = prints.length;
        if (s.printLen >= c.minTokens()) {
            int repeats = 0;
            double best = 0;
            int available = Math.min(count, window);
            for (int k = 0; k < available; k++) {
                int slot = (count - 1 - k) % window;
                double sim = jaccard(s.print, s.printLen, prints[slot], lengths[slot]);
                if (sim >= threshold) {
                    repeats++;
                    best = Math.max(best, sim);
                }
            }
            if (repeats >= needed) {
                String detail = customer
                        ? "The customer repeated an earlier request " + repeats + (repeats == 1 ? " time" : " times")
                                + " (similarity " + fmt(round2(best)) + ", threshold " + fmt(threshold) + ")"
                        : "The bot gave the same answer again (similarity " + fmt(round2(best)) + ", threshold "
                                + fmt(threshold) + ")";
                fired = add(fired, new Fired(new Reason(TriggerKind.CONVERSATION_LOOP, customer ? "loop.repeat" : "loop.bot-repeat",
                        detail, turn.index(), new EvidenceSpan(0, text.length(), text), round2(best), threshold),
                        c.priority(), null, false));
            }
        }
        int slot = count % window;
        System.arraycopy(s.print, 0, prints[slot], 0, s.printLen);
        lengths[slot] = s.printLen;
        if (customer) {
            st.customerCount++;
        } else {
            st.botCount++;
        }
        return fired;
    }

    static double jaccard(long[] a, int na, long[] b, int nb) {
        if (na == 0 || nb == 0) {
            return 0;
        }
        int i = 0;
        int j = 0;
        int common = 0;
        while (i < na && j < nb) {
            if (a[i] == b[j]) {
                common++;
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return (double) common / (na + nb - common);
    }

    private List<Fired> urgency(SessionState st, ConversationView view, Turn turn, List<Fired> fired) {
        TriggerPolicy.Urgency u = policy.urgency();
        if (!u.enabled() || turn.timestamp() == null) {
            return fired;
        }
        long now = turn.timestamp().toEpochMilli();
        if (!st.repeatContactFired) {
            CustomerData customer = view.customer();
            List<Instant> contacts = customer == null ? List.of() : customer.previousContacts();
            long since = now - u.repeatContactWindow().toMillis();
            int recent = 0;
            for (int i = 0; i < contacts.size(); i++) {
                long at = contacts.get(i).toEpochMilli();
                if (at >= since && at <= now) {
                    recent++;
                }
            }
            if (recent >= u.repeatContacts()) {
                st.repeatContactFired = true;
                fired = add(fired, new Fired(new Reason(TriggerKind.URGENCY, "urgency.repeat-contact",
                        "The customer contacted us " + recent + " times in the last " + human(u.repeatContactWindow())
                                + " before this conversation (limit " + u.repeatContacts() + ")",
                        turn.index(), null, (double) recent, (double) u.repeatContacts()), u.priority(), null, false));
            }
        }
        Instant started = view.startedAt();
        if (!st.durationFired && started != null) {
            long elapsed = now - started.toEpochMilli();
            long max = u.maxSessionDuration().toMillis();
            if (elapsed > max) {
                st.durationFired = true;
                fired = add(fired, new Fired(new Reason(TriggerKind.URGENCY, "urgency.duration",
                        "The conversation has lasted " + fmt(round2(elapsed / 60_000.0)) + " minutes, over "
                                + fmt(round2(max / 60_000.0)), turn.index(), null, round2(elapsed / 60_000.0),
                        round2(max / 60_000.0)), u.priority(), null, false));
            }
        }
        return fired;
    }

    // ---------------------------------------------------------------- verdict

    private static final Comparator<Fired> IMPORTANCE = Comparator
            .comparing((Fired f) -> f.silent ? 0 : 1)
            .thenComparing(f -> -f.priority.ordinal())
            .thenComparing(f -> rank(f.reason.kind()));

    private static int rank(TriggerKind kind) {
        switch (kind) {
            case KILL_SWITCH: return 0;
            case REGULATORY: return 1;
            case URGENCY: return 2;
            case EXPLICIT_REQUEST: return 3;
            case SALES: return 4;
            case COMPLEX_ISSUE: return 5;
            case NEGATIVE_SENTIMENT: return 6;
            case CONVERSATION_LOOP: return 7;
            default: return 8;
        }
    }

    private static HandoffDecision verdict(List<Fired> fired) {
        fired.sort(IMPORTANCE);
        List<Reason> reasons = new ArrayList<>(fired.size());
        Priority priority = Priority.LOW;
        String route = null;
        boolean silent = false;
        for (Fired f : fired) {
            reasons.add(f.reason);
            priority = priority.max(f.priority);
            if (route == null) {
                route = f.routeHint;
            }
            silent |= f.silent;
        }
        HandoffDecision decision = silent ? HandoffDecision.silentAlarm(reasons) : HandoffDecision.handoff(priority, reasons, route);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Trigger decision {} ({}): {}", decision.action(), decision.priority(),
                    reasons.stream().map(Reason::ruleId).toList());
        }
        return decision;
    }

    private static List<Fired> add(List<Fired> fired, Fired f) {
        List<Fired> list = fired == null ? new ArrayList<>(2) : fired;
        list.add(f);
        return list;
    }

    /** One rule that fired, with what the decision needs beyond the reason. */
    private record Fired(Reason reason, Priority priority, String routeHint, boolean silent) {
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String human(java.time.Duration d) {
        if (d.toDaysPart() > 0 && d.toHoursPart() == 0 && d.toMinutesPart() == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        return d.toString();
    }

    // ---------------------------------------------------------------- word lists

    private static Lexicon words() {
        Map<String, int[]> w = new HashMap<>();
        for (String stop : ("a an the i me my mine myself you your yours we our ours us it its itself he him his she her they "
                + "them their is am are was were be been being do does did to of in on at for with and or but so that this "
                + "these those there here what how why when where which who whom can could would will shall should may might "
                + "must have has had please pls just again still yes yeah yep no nope not ok okay hi hello hey thanks thank "
                + "um uh er like really want wanted need needed get got help about from if then than also some any all very "
                + "too now as by let let's tell said say ask asked know mean trying try | $ € £ ¥ %").split(" ")) {
            put(w, stop, STOP, 0);
        }
        for (String neg : "not no never without nor neither".split(" ")) {
            put(w, neg, NEG, 0);
        }
        for (String p : "i you we they he she u ya".split(" ")) {
            put(w, p, PRONOUN, 0);
        }
        String[] units = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                + "sixteen seventeen eighteen nineteen").split(" ");
        for (int i = 0; i < units.length; i++) {
            put(w, units[i], NUMBER, i);
        }
        String[] tens = "twenty thirty forty fifty sixty seventy eighty ninety".split(" ");
        for (int i = 0; i < tens.length; i++) {
            put(w, tens[i], NUMBER, (i + 2) * 10);
        }
        put(w, "hundred", HUNDRED, 2);
        put(w, "thousand", SCALE, 3);
        put(w, "million", SCALE, 6);
        put(w, "billion", SCALE, 9);
        put(w, "mil", SCALE, 6);
        put(w, "mln", SCALE, 6);
        put(w, "grand", SCALE | MONEY_SCALE, 3);
        put(w, "k", SCALE | LETTER_SCALE, 3);
        put(w, "m", SCALE | LETTER_SCALE, 6);
        put(w, "mm", SCALE | LETTER_SCALE, 6);
        put(w, "mn", SCALE | LETTER_SCALE, 6);
        put(w, "bn", SCALE | LETTER_SCALE, 9);
        for (String c : "$ usd dollar dollars bucks".split(" ")) {
            put(w, c, CURRENCY, 0);
        }
        for (String c : "€ eur euro euros".split(" ")) {
            put(w, c, CURRENCY, 1);
        }
        for (String c : "£ gbp pound pounds quid".split(" ")) {
            put(w, c, CURRENCY, 2);
        }
        for (String c : "¥ jpy yen".split(" ")) {
            put(w, c, CURRENCY, 3);
        }
        for (String c : ("budget budgeted deal contract price pricing priced cost costs spend spending worth value valued pay "
                + "paying invest investment quote quoted acv arr revenue purchase buy buying license licenses licensing "
                + "annual annually yearly per renewal").split(" ")) {
            put(w, c, MONEY_CONTEXT, 0);
        }
        put(w, "and", AND, 0);
        put(w, "point", POINT, 0);
        put(w, "a", ARTICLE, 1);
        put(w, "an", ARTICLE, 1);
        return new Lexicon(w);
    }

    private static void put(Map<String, int[]> w, String word, int flags, int value) {
        int[] old = w.get(word);
        if (old == null) {
            w.put(word, new int[] {flags, value});
        } else {
            old[0] |= flags;
            if (value != 0) {
                old[1] = value;
            }
        }
    }
}
