package dev.handoff.core.trigger;

import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Speaker;
import dev.handoff.api.ValidationException;
import dev.handoff.api.Violation;
import dev.handoff.core.text.Currencies;
import dev.handoff.core.text.PhraseIndex;
import dev.handoff.core.text.Typos;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy compiled for evaluation: every active phrase (plain, alone-only, exception and companion phrases of
 * every rule) in one automaton, the owner and form of each phrase, the rules' speaker and language masks, the typo table,
 * the currency rates and the signal families. Immutable and thread-safe.
 */
final class CompiledPolicy {

    static final int PHRASE = 0;
    static final int ALONE = 1;
    static final int EXCEPT = 2;
    /** A companion phrase: one must share the sentence of a hit of a rule that has them. */
    static final int WITH = 3;

    final TriggerPolicy policy;
    final String name;
    final PhraseMatcher matcher;
    /** The matcher's index, which the engine scans. */
    final PhraseIndex index;
    final TriggerPolicy.PhraseRule[] rules;
    final int[] ruleOfPhrase;
    final byte[] formOfPhrase;
    final int[] speakerMask;
    /** True for rules whose hits need a companion ({@link #WITH}) phrase in their sentence. */
    final boolean[] needsWith;
    /** Bit of the rule's language in {@link Languages}, 0 for rules of every language. */
    final long[] languageBit;
    final Typos typos;
    final double[] rates;
    final int policyCurrency;
    final HandoffDecision proceed;
    final Signal[] signals;

    CompiledPolicy(TriggerPolicy policy) {
        this(policy, new HashMap<>());
    }

    /**
     * @param shared indexes already compiled for other policies of one engine, by their phrase list: policies whose
     *               active phrases are the same list (the default and open-door presets: they differ in thresholds
     *               only) share one automaton instead of holding two of about 24 MB each
     */
    CompiledPolicy(TriggerPolicy policy, Map<List<String>, PhraseIndex> shared) {
        this.policy = policy;
        this.name = policy.name();
        List<TriggerPolicy.PhraseRule> active = policy.phraseRules().stream()
                .filter(r -> r.isActive(policy.profiles()) && policy.kindEnabled(r.kind())).toList();
        rules = active.toArray(TriggerPolicy.PhraseRule[]::new);
        speakerMask = new int[rules.length];
        languageBit = new long[rules.length];
        needsWith = new boolean[rules.length];
        List<String> phrases = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        List<Byte> forms = new ArrayList<>();
        for (int r = 0; r < rules.length; r++) {
            for (Speaker sp : rules[r].speakers()) {
                speakerMask[r] |= 1 << sp.ordinal();
            }
            languageBit[r] = Languages.bit(rules[r].language());
            addAll(phrases, owners, forms, rules[r].phrases(), r, PHRASE);
            addAll(phrases, owners, forms, rules[r].alone(), r, ALONE);
            addAll(phrases, owners, forms, rules[r].except(), r, EXCEPT);
            addAll(phrases, owners, forms, rules[r].with(), r, WITH);
            needsWith[r] = !rules[r].with().isEmpty();
        }
        ruleOfPhrase = owners.stream().mapToInt(Integer::intValue).toArray();
        formOfPhrase = new byte[forms.size()];
        for (int i = 0; i < formOfPhrase.length; i++) {
            formOfPhrase[i] = forms.get(i);
        }
        try {
            index = shared.computeIfAbsent(List.copyOf(phrases),
                    list -> PhraseIndex.compile(list, PolicyLoader.MAX_AUTOMATON_CELLS));
        } catch (IllegalArgumentException e) {
            throw new ValidationException(PolicyLoader.SUBJECT, List.of(new Violation("$.phraseRules",
                    phrases.size() + " phrases", "phrases that compile to at most " + PolicyLoader.MAX_AUTOMATON_CELLS
                    + " automaton cells (" + e.getMessage() + ")")));
        }
        matcher = new PhraseMatcher(index);
        typos = policy.typoWords().isEmpty() ? Typos.none() : Typos.of(policy.typoWords(), index.normalizedPhrases());
        rates = new double[Currencies.CODES.size()];
        int own = 0;
        for (int i = 0; i < rates.length; i++) {
            rates[i] = policy.sales().rates().getOrDefault(Currencies.code(i), Double.NaN);
            if (Currencies.code(i).equals(policy.sales().currency())) {
                own = i;
                rates[i] = 1.0;
            }
        }
        policyCurrency = own;
        proceed = new HandoffDecision(HandoffDecision.Action.CONTINUE, List.of(), Priority.NORMAL, null, name);
        signals = new Signal[] {
            new PhraseSignals(this), new RequestSignal(this), new AmountSignal(this), new ConfidenceSignal(policy.confidence()),
            new SentimentSignal(policy.sentiment()), new IntentSignal(policy.loop(), policy.complex()),
            new LoopSignal(policy.loop()), new UrgencySignal(policy.urgency()),
        };
    }

    private static void addAll(List<String> phrases, List<Integer> owners, List<Byte> forms, List<String> add,
                               int rule, int form) {
        for (String p : add) {
            phrases.add(p);
            owners.add(rule);
            forms.add((byte) form);
        }
    }
}
