package dev.handoff.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Scores an observer ({@link Summarizer}) on a corpus, field by field, as the agent would see it: each case with an
 * {@code "observer"} label ({@link ObserverLabel}) is replayed turn by turn through the trigger engine (default
 * policy) and the commitment ledger, then summarised with the decision of the latest handoff (or a bot's request
 * when nothing fired) and packaged by the {@link DefaultContextPackager}, so the sentiment track, its label and the
 * commitments are the ones the agent reads. The checks are listed in {@link ObserverChecks}.
 *
 * <p>Cases tagged {@code holdout} are reported separately: tune on the rest, and read the held-out column as the
 * score to expect on conversations the rules were not tuned on.
 */
public final class ObserverEvaluation implements Evaluation<Summarizer, ObserverReport> {

    private final Supplier<CommitmentLedger> ledgers;
    private final SentimentAnalyzer analyzer;
    private final TriggerEvaluator triggers;

    /** The default ledger (core's commitment detector), lexicon sentiment and trigger policy. */
    public ObserverEvaluation() {
        this(() -> new InMemoryCommitmentLedger(Clock.fixed(Corpus.START, ZoneOffset.UTC)), new LexiconSentimentAnalyzer(),
                new RuleTriggerEvaluator(TriggerPolicy.defaults()));
    }

    /**
     * @param ledgers  a fresh commitment ledger per case
     * @param analyzer scores customer turns without a sentiment signal (the packager's analyzer)
     * @param triggers decides where the handoff happens and with which evidence
     */
    public ObserverEvaluation(Supplier<CommitmentLedger> ledgers, SentimentAnalyzer analyzer, TriggerEvaluator triggers) {
        this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.triggers = Objects.requireNonNull(triggers, "triggers");
    }

    @Override
    public String labelName() {
        return "observer";
    }

    @Override
    public ObserverReport run(Corpus corpus, String policyName, Summarizer observer) {
        Objects.requireNonNull(observer, "observer");
        List<ObserverReport.CaseResult> results = new ArrayList<>();
        for (EvalCase c : corpus.cases()) {
            if (!c.appliesTo(policyName)) {
                continue;
            }
            JsonNode label = c.label(labelName(), policyName);
            if (label == null) {
                continue;
            }
            ObserverLabel expected = ObserverLabel.read(c.id(), label);
            HandoffContext seen = replay(c, observer);
            results.add(new ObserverReport.CaseResult(c, c.tags().contains("holdout"), seen, ObserverChecks.check(expected, seen)));
        }
        return new ObserverReport(observer.getClass().getSimpleName(), results);
    }

    /** What the agent would read for this case. */
    HandoffContext replay(EvalCase c, Summarizer observer) {
        Replay view = new Replay(c.id(), c.customer());
        CommitmentLedger ledger = ledgers.get();
        Instant at = Corpus.START;
        HandoffDecision handoff = null;
        for (EvalCase.CaseTurn t : c.turns()) {
            at = at.plusSeconds(t.afterSeconds());
            Turn turn = view.add(t, at);
            if (turn.speaker() == Speaker.AI) {
                ledger.observe(view.id(), turn);
            }
            HandoffDecision d = triggers.evaluate(view, turn);
            if (d.isHandoff()) {
                handoff = d;
            }
        }
        HandoffDecision decision = handoff != null ? handoff : HandoffDecision.handoff(Priority.NORMAL,
                List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "bot.request", "The assistant asked for a person")), null);
        return new DefaultContextPackager(analyzer).pack(new PackagingRequest(view, decision, null, ledger.commitments(view.id()),
                observer.summarize(view, decision), at.plusSeconds(1)));
    }
}
