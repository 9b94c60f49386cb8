package dev.handoff.core.trigger;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.text.Money;
import dev.handoff.core.text.Normalizer;
import dev.handoff.core.text.PhraseIndex;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.TokenSentiment;
import dev.handoff.core.text.Words;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision rule engine: evaluates every trigger of a {@link TriggerPolicy} on each turn and explains each
 * decision (trigger kind, rule id, matched span and turn, the value compared and its threshold, and the name of the
 * policy that applied).
 *
 * <pre>{@code
 * TriggerEvaluator engine = new RuleTriggerEvaluator(TriggerPolicy.preset(Preset.DENTAL_PRACTICE));
 * // or a policy per session, chosen from the customer's record and the deal value they state:
 * TriggerEvaluator engine = new RuleTriggerEvaluator(PolicySelection.builder(TriggerPolicy.defaults())
 *         .when("deal >= 50k", TriggerPolicy.preset(Preset.OPEN_DOOR))
 *         .when("deal < 10k", TriggerPolicy.preset(Preset.HIGH_GATE)).build());
 * Handoff handoff = Handoff.builder().triggerEvaluator(engine).build();
 * }</pre>
 *
 * <p>A turn is read once: normalized (the shared {@code dev.handoff.core.text} reader), tokenized, its typos of
 * request words corrected, scanned by the policy's automaton (all phrases of all rules at once) and its amounts
 * found; then each signal family (phrases, amounts, confidence, sentiment, intents, loops, urgency) looks at it.
 * Incremental state (confidence streaks, the sentiment series, recent turns' fingerprints, intents, the chosen
 * policy and language) lives with the session through {@link ConversationView#state}.
 *
 * <p>Thread-safe: one instance serves every session; calls for one session are serialized on that session's state.
 * Called on the bot's thread by {@code HandoffSession}. Never throws: a failure inside a rule is logged and the turn
 * continues with the bot. A turn on which nothing fires allocates nothing (see the benchmarks module).
 */
public final class RuleTriggerEvaluator implements TriggerEvaluator {

    /**
     * The rule id of a request for a person read from its form rather than a listed phrase (a request verb, small
     * words, a word for a person: "could you get somebody from billing on the line"). It shares the
     * {@code explicit.request} rule's settings and is off when that rule is.
     */
    public static final String REQUEST_FORM = "explicit.request-form";

    private static final Logger LOG = LoggerFactory.getLogger(RuleTriggerEvaluator.class);
    private static final SentimentAnalyzer LEXICON = new LexiconSentimentAnalyzer();

    private final PolicySelection selection;
    private final Map<String, CompiledPolicy> compiled;
    private final CompiledPolicy first;
    private final boolean selects;
    private final SentimentAnalyzer analyzer;
    /** The analyzer's token path when it has one (the bundled lexicon analyzer), else null. */
    private final TokenSentiment.@Nullable Scorer tokenSentiment;
    private final Object stateKey = new Object();
    private final Supplier<SessionState> newState = SessionState::new;

    /** An engine over the default policy ({@link TriggerPolicy#defaults()}). */
    public RuleTriggerEvaluator() {
        this(TriggerPolicy.defaults());
    }

    /**
     * Compiles {@code policy}; compiling the default policy takes a few milliseconds.
     *
     * @param policy the policy every session gets
     * @throws dev.handoff.api.ValidationException when the policy's phrases compile to an automaton over the limit
     */
    public RuleTriggerEvaluator(TriggerPolicy policy) {
        this(PolicySelection.of(Objects.requireNonNull(policy, "policy")));
    }

    /**
     * Compiles every policy of {@code selection}; each session gets the policy its rules choose.
     *
     * @param selection the policies and the rules that choose among them
     * @throws dev.handoff.api.ValidationException when a policy's phrases compile to an automaton over the limit
     */
    public RuleTriggerEvaluator(PolicySelection selection) {
        this(selection, LEXICON);
    }

    /**
     * Compiles every policy of {@code selection}, with a sentiment analyzer of your own.
     *
     * @param selection the policies and the rules that choose among them
     * @param analyzer scores customer turns that came without the bot's sentiment, for policies whose
     *                 {@code sentiment.fallback} is {@code LEXICON} (the default is the bundled lexicon analyzer)
     */
    public RuleTriggerEvaluator(PolicySelection selection, SentimentAnalyzer analyzer) {
        this.selection = Objects.requireNonNull(selection, "selection");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.tokenSentiment = TokenSentiment.of(analyzer);
        Map<String, CompiledPolicy> byName = new LinkedHashMap<>();
        Map<List<String>, PhraseIndex> shared = new HashMap<>();
        for (TriggerPolicy p : selection.policies()) {
            byName.put(p.name(), new CompiledPolicy(p, shared));
        }
        this.compiled = Map.copyOf(byName);
        this.first = byName.get(selection.defaultPolicy().name());
        this.selects = byName.size() > 1 || !selection.conditions().isEmpty();
    }

    /** The compiled policy of that name, or null (for tests in this package). */
    CompiledPolicy compiled(String name) {
        return compiled.get(name);
    }

    /**
     * The default policy (the only one unless a {@link PolicySelection} has rules).
     *
     * @return the default policy
     */
    public TriggerPolicy policy() {
        return first.policy;
    }

    /**
     * How policies are chosen per session.
     *
     * @return the selection
     */
    public PolicySelection selection() {
        return selection;
    }

    /**
     * The compiled phrases of every active rule of the default policy.
     *
     * @return the default policy's matcher
     */
    public PhraseMatcher matcher() {
        return first.matcher;
    }

    /**
     * Makes {@code policyName} apply to this session from its next turn on, whatever the selection rules say (null
     * goes back to the rules). Call from the bot's thread, between turns.
     *
     * @param session    the conversation
     * @param policyName nullable; a policy of this engine's selection, or null to follow the rules again
     * @throws IllegalArgumentException when this engine has no policy of that name
     */
    public void selectPolicy(ConversationView session, @Nullable String policyName) {
        if (policyName != null && !compiled.containsKey(policyName)) {
            throw new IllegalArgumentException("no policy named \"" + policyName + "\"; this engine has " + compiled.keySet());
        }
        SessionState st = session.state(stateKey, newState);
        synchronized (st) {
            st.policyOverride = policyName;
            st.selected = null;
        }
    }

    /**
     * Makes the session speak {@code language} (ISO 639-1, such as {@code es} or {@code fr}) for language-bound
     * phrase rules (the Spanish and French packs), whatever the customer record says; null goes back to the
     * customer's {@code language} field.
     *
     * @param session  the conversation
     * @param language nullable; an ISO 639-1 code, or null to follow the customer record
     */
    public void selectLanguage(ConversationView session, @Nullable String language) {
        SessionState st = session.state(stateKey, newState);
        synchronized (st) {
            st.languageOverride = language == null ? null : language.strip().toLowerCase(java.util.Locale.ROOT);
            st.selected = null;
        }
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
        Scratch s = Scratch.forLength(text.length());
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        boolean customer = speaker == Speaker.CUSTOMER;
        if (customer) {
            Money.scan(s);
        } else {
            s.amountCount = 0;
        }
        if (view == null) {
            return run(first, s, turn, text, speaker, null, null, 0);
        }
        SessionState st = view.state(stateKey, newState);
        synchronized (st) {
            if (customer) {
                st.statedDealUsd = Math.max(st.statedDealUsd, AmountSignal.statedDealUsd(s));
            }
            CompiledPolicy policy = choose(st, view.customer());
            return run(policy, s, turn, text, speaker, view, st, st.languages);
        }
    }

    private HandoffDecision run(CompiledPolicy policy, Scratch s, Turn turn, String text, Speaker speaker,
                                ConversationView view, SessionState st, long languages) {
        Words.markTypos(s, policy.typos);
        if (s.typoCount > 0) {
            Words.correctTypos(s, policy.typos);
            if (speaker == Speaker.CUSTOMER) {
                Money.scan(s);
            }
        }
        policy.index.scanTokenized(s);
        TurnInput in = TurnInput.get().reset(policy, s, turn, text, speaker, view, languages, analyzer,
                tokenSentiment);
        List<Fired> fired = null;
        for (Signal signal : policy.signals) {
            fired = signal.evaluate(in, st, fired);
        }
        if (fired == null) {
            return policy.proceed;
        }
        HandoffDecision decision = Verdict.of(fired, policy.name);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Trigger decision {} ({}) under policy {}: {}", decision.action(), decision.priority(), policy.name,
                    decision.reasons().stream().map(Reason::ruleId).toList());
        }
        return decision;
    }

    /** The session's policy, chosen again when the customer record or the stated deal value changed. */
    private CompiledPolicy choose(SessionState st, CustomerData customer) {
        if (st.selected != null && st.selectedFor == customer && st.selectedForDeal == st.statedDealUsd) {
            return st.selected;
        }
        CompiledPolicy chosen;
        if (st.policyOverride != null) {
            chosen = compiled.get(st.policyOverride);
        } else if (selects) {
            chosen = compiled.get(selection.select(customer, st.statedDealUsd).name());
        } else {
            chosen = first;
        }
        st.selected = chosen;
        st.selectedFor = customer;
        st.selectedForDeal = st.statedDealUsd;
        st.languages = st.languageOverride != null ? Languages.bit(st.languageOverride) : Languages.ofCustomer(customer);
        return chosen;
    }
}
