package dev.handoff.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.TriggerEvaluator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scores a trigger engine on a corpus: each case is replayed until the first decision that is not CONTINUE (a human
 * would have taken over there), and compared with its {@link TriggerLabel}.
 *
 * <ul>
 *   <li>hand off within {@code [handoffAt, latest]} with an accepted kind: a true positive of the expected kind;</li>
 *   <li>with another kind: a false positive of that kind and a false negative of the expected one (the confusion
 *       matrix shows it);</li>
 *   <li>before {@code handoffAt}, or on a "never" case: a false positive of the kind that fired (plus a false
 *       negative of the expected kind when one was expected);</li>
 *   <li>after {@code latest} or never: a false negative of the expected kind.</li>
 * </ul>
 * Precision of a kind is TP / (TP + FP), recall TP / (TP + FN). Turns to handoff is counted on true positives, from
 * the turn where a handoff was first warranted to the turn it happened (0 is on time).
 */
public final class TriggerEvaluation implements Evaluation<TriggerEvaluator, TriggerReport> {

    @Override
    public String labelName() {
        return "trigger";
    }

    @Override
    public TriggerReport run(Corpus corpus, String policyName, TriggerEvaluator engine) {
        List<TriggerReport.CaseResult> results = new ArrayList<>();
        for (EvalCase c : corpus.cases()) {
            if (!c.appliesTo(policyName)) {
                continue;
            }
            JsonNode label = c.label(labelName(), policyName);
            if (label == null) {
                continue;
            }
            TriggerLabel expected = read(c.id(), label);
            results.add(replay(c, expected, engine));
        }
        return new TriggerReport(policyName, results);
    }

    static TriggerLabel read(String id, JsonNode n) {
        try {
            if (n.path("never").asBoolean(false) || !n.has("handoffAt")) {
                return new TriggerLabel(-1, -1, null, Set.of(), null);
            }
            int at = n.get("handoffAt").asInt();
            Set<TriggerKind> also = EnumSet.noneOf(TriggerKind.class);
            for (JsonNode k : n.path("alsoAccept")) {
                also.add(TriggerKind.valueOf(k.asText().toUpperCase(Locale.ROOT)));
            }
            return new TriggerLabel(at, n.path("latest").asInt(at), TriggerKind.valueOf(n.path("kind").asText().toUpperCase(Locale.ROOT)),
                    also, n.hasNonNull("priority") ? Priority.valueOf(n.get("priority").asText().toUpperCase(Locale.ROOT)) : null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("case " + id + ": unreadable trigger label " + n + " (" + e.getMessage() + ")", e);
        }
    }

    private static TriggerReport.CaseResult replay(EvalCase c, TriggerLabel expected, TriggerEvaluator engine) {
        Replay view = new Replay(c.id(), c.customer());
        Instant at = Corpus.START;
        for (EvalCase.CaseTurn t : c.turns()) {
            at = at.plusSeconds(t.afterSeconds());
            Turn turn = view.add(t, at);
            HandoffDecision d = engine.evaluate(view, turn);
            if (d.isHandoff()) {
                Reason lead = d.reasons().get(0);
                return new TriggerReport.CaseResult(c, expected, turn.index(), lead.kind(), lead.ruleId(), lead.detail(),
                        d.priority(), d.policy());
            }
        }
        return new TriggerReport.CaseResult(c, expected, -1, null, null, null, null, null);
    }
}
