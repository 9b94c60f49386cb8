package dev.handoff.core.context.llm;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.text.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Merges a valid model answer with the deterministic facts of the same transcript. The model's words are kept (need,
 * authority, timeline, pain points, the whisper, the tone); facts stay deterministic unless the model cites them:
 * <ul>
 *   <li>a budget <em>amount</em> is taken only when its {@code turnIndex} names a customer turn that states that amount
 *       (within 1%); otherwise the deterministic budget is kept (or none);</li>
 *   <li>an {@code amount} entity is taken only when its turn states it; the deterministic amounts are always kept;</li>
 *   <li>a promise is kept only when its {@code turnIndex} names an assistant turn whose text contains its {@code quote};
 *       kept promises are listed under the ledger's {@code modelCommitments} extension for the agent to see, while the
 *       commitment ledger, which the agent verifies, stays the deterministic one.</li>
 * </ul>
 * Anything dropped is noted (the ledger's {@code observerNotes} extension). An entity's turn index that names no turn breaks the contract.
 */
final class AnswerMerger {

    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*[$\u20ac\u00a3]?\\s*(\\d[\\d,]*(?:\\.\\d+)?)\\s*([kKmM])?");

    private AnswerMerger() {
    }

    /** Thrown when the answer names things the transcript does not hold. */
    static final class ContractViolation extends Exception {
        private static final long serialVersionUID = 1L;

        ContractViolation(String message) {
            super(message, null, false, false);
        }
    }

    static Summary merge(ObserverAnswer a, List<Turn> turns, Summary deterministic, List<String> notes) throws ContractViolation {
        Map<Integer, Turn> byIndex = new HashMap<>();
        turns.forEach(t -> byIndex.put(t.index(), t));
        for (int i = 0; i < a.entities().size(); i++) {
            Integer ti = a.entities().get(i).turnIndex();
            if (ti != null && !byIndex.containsKey(ti)) {
                throw new ContractViolation("entities[" + i + "].turnIndex must be the index of a turn in the transcript, was " + ti);
            }
        }
        SemanticLedger.Budget budget = budget(a.bant().budget(), byIndex, deterministic.ledger().bant().budget(), notes);
        List<SemanticLedger.KeyEntity> entities = new ArrayList<>();
        for (ObserverAnswer.Entity e : a.entities()) {
            if (e.type().equalsIgnoreCase("amount") && !cited(e.value(), e.turnIndex(), byIndex)) {
                notes.add("amount entity \"" + e.value() + "\" not stated in the turn it cites; dropped");
                continue;
            }
            entities.add(new SemanticLedger.KeyEntity(e.type(), e.value(), e.turnIndex()));
        }
        for (SemanticLedger.KeyEntity d : deterministic.ledger().entities()) {
            if (d.type().equals("amount") && entities.stream().noneMatch(e -> e.type().equalsIgnoreCase("amount")
                    && same(e.value(), d.value()))) {
                entities.add(d);
            }
        }
        List<Map<String, Object>> promises = new ArrayList<>();
        for (ObserverAnswer.Promise p : a.commitments()) {
            Turn t = byIndex.get(p.turnIndex());
            if (t == null || t.speaker() != Speaker.AI || !fold(t.text()).contains(fold(p.quote()))) {
                notes.add("promise " + p.kind() + " in turn " + p.turnIndex() + " does not quote that assistant turn; dropped");
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", p.kind().name());
            m.put("strength", p.strength().name());
            if (p.value() != null) {
                m.put("value", p.value());
            }
            m.put("turnIndex", p.turnIndex());
            m.put("quote", p.quote());
            promises.add(m);
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("observer", "llm");
        if (!promises.isEmpty()) {
            extensions.put("modelCommitments", promises);
        }
        if (!notes.isEmpty()) {
            extensions.put("observerNotes", List.copyOf(notes));
        }
        SemanticLedger ledger = new SemanticLedger(new SemanticLedger.Bant(budget, a.bant().authority(), a.bant().need(),
                a.bant().timeline()), a.painPoints(), entities.size() > 30 ? entities.subList(0, 30) : entities, extensions);
        ObserverAnswer.Tone tone = a.tone();
        return new Summary(ledger, new WhisperSummary(a.goal().strip(), a.obstacle().strip(), a.sentiment().strip(),
                a.suggestedOpening().strip()), new ToneProfile(tone.pace(), tone.formality(), tone.empathy(), tone.guidance()));
    }

    private static SemanticLedger.Budget budget(ObserverAnswer.Budget b, Map<Integer, Turn> byIndex, SemanticLedger.Budget fallback,
                                                List<String> notes) {
        if (b == null) {
            return fallback;
        }
        if (b.amount() == null) {
            // a stated absence or a range the model describes in words: its words, the deterministic amount if any
            return fallback != null && fallback.amount() != null ? fallback : new SemanticLedger.Budget(null, b.currency(), b.text());
        }
        Turn t = b.turnIndex() == null ? null : byIndex.get(b.turnIndex());
        if (t != null && t.speaker() == Speaker.CUSTOMER && states(t.text(), b.amount().doubleValue())) {
            return new SemanticLedger.Budget(b.amount(), b.currency(), b.text());
        }
        notes.add("budget amount " + b.amount().toPlainString() + " not stated in the customer turn it cites; kept the deterministic budget");
        return fallback;
    }

    /** True when the cited turn states the amount at the start of {@code value} ("75000 USD", "$75k"). */
    private static boolean cited(String value, Integer turnIndex, Map<Integer, Turn> byIndex) {
        Turn t = turnIndex == null ? null : byIndex.get(turnIndex);
        Double amount = amountOf(value);
        return t != null && amount != null && states(t.text(), amount);
    }

    private static boolean states(String text, double amount) {
        for (Money.Amount m : Money.numbers(text)) {
            if (Math.abs(m.value() - amount) <= Math.max(0.01, Math.abs(amount) * 0.01)) {
                return true;
            }
        }
        return false;
    }

    private static Double amountOf(String value) {
        Matcher m = LEADING_NUMBER.matcher(value);
        if (!m.find()) {
            return null;
        }
        double v = new BigDecimal(m.group(1).replace(",", "")).doubleValue();
        if (m.group(2) != null) {
            v *= m.group(2).equalsIgnoreCase("k") ? 1_000 : 1_000_000;
        }
        return v;
    }

    private static boolean same(String a, String b) {
        Double x = amountOf(a);
        Double y = amountOf(b);
        return x != null && x.equals(y);
    }

    private static String fold(String s) {
        return s.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("\\s+", " ").strip();
    }
}
