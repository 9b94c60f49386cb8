package dev.handoff.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.context.SemanticLedger;
import dev.handoff.api.context.ToneProfile;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.DeterministicSummarizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObserverEvaluationTest {

    private static final String CASE = """
            {"id": "o-1", "tags": ["sales"], "turns": [
              {"speaker": "customer", "text": "We've earmarked roughly sixty grand. Our COO approves any spend over ten thousand."},
              {"speaker": "ai", "text": "I can't match that price, but I can take 8% off the first year. Discounts are sometimes available."},
              {"speaker": "customer", "text": "That helps. We need route planning for 40 trucks before May."}],
             "labels": {"observer": {"budget": "sixty|60k", "budgetAmount": 60000, "authority": "COO", "need": "route",
               "timeline": "May", "pains": [], "commitments": [{"turn": 1, "kind": "DISCOUNT", "strength": "HARD", "value": "8%"}],
               "notCommitments": [{"turn": 1, "kind": "ANY"}], "direction": "steady", "mood": "positive", "lowTrust": false,
               "whisper": {"goal": "route", "obstacle": "route|trucks|price|deal value"}}}}
            """.replace("\n", " ").strip() + "\n";

    /** A summarizer that gives a fixed answer, to see each check fail where it should. */
    private static Summarizer fixed(SemanticLedger ledger, WhisperSummary whisper) {
        return (conversation, decision) -> new Summary(ledger, whisper, ToneProfile.neutral());
    }

    @Test
    void a_good_observer_passes_the_checks_a_reader_set() {
        ObserverReport r = new ObserverEvaluation().run(Corpus.parse("o.jsonl", CASE), "default", new DeterministicSummarizer());

        assertThat(r.score("budget.stated", ObserverReport.Split.ALL)).isEqualTo(new ObserverReport.Score(1, 1));
        assertThat(r.score("authority.stated", ObserverReport.Split.ALL).rate()).isEqualTo(1.0);
        assertThat(r.score("commitments.recall", ObserverReport.Split.ALL)).isEqualTo(new ObserverReport.Score(1, 1));
        assertThat(r.score("commitments.precision", ObserverReport.Split.ALL)).isEqualTo(new ObserverReport.Score(1, 1));
        assertThat(r.score("whisper.noScores", ObserverReport.Split.ALL).rate()).isEqualTo(1.0);
    }

    @Test
    void a_whisper_that_breaks_the_rules_fails_each_rule_it_breaks() {
        SemanticLedger ledger = new SemanticLedger(new SemanticLedger.Bant(new SemanticLedger.Budget(new BigDecimal("10000"), "USD", "ten thousand"),
                null, "route planning", null), List.of("I'm so frustrated"), List.of(), Map.of());
        WhisperSummary bad = new WhisperSummary("I run operations at Northwind Freight and we're looking at route planning for our trucks",
                "She said \"my real worry is \"onboarding\" the drivers\"", "Frustrated and getting worse (0.40 to -0.50)",
                "I've applied a 20% refund for you; let's talk about your budget of ten thousand and everything else you told the assistant today.");

        ObserverReport r = new ObserverEvaluation().run(Corpus.parse("o.jsonl", CASE), "default", fixed(ledger, bad));

        assertThat(r.results().get(0).checks()).filteredOn(c -> !c.passed()).extracting(ObserverChecks.Check::field).contains(
                "budget.stated", "authority.stated", "timeline.stated", "painPoints.precision", "whisper.thirdPerson", "whisper.noScores",
                "whisper.noNestedQuotes", "whisper.opening", "whisper.sentimentAgrees");
        assertThat(r.render(ObserverReport.Split.ALL)).contains("o-1", "whisper.noScores", "Frustrated and getting worse (0.40 to -0.50)");
    }

    @Test
    void held_out_cases_are_scored_apart() {
        String held = CASE.replace("\"o-1\", \"tags\": [\"sales\"]", "\"o-2\", \"tags\": [\"sales\", \"holdout\"]");
        ObserverReport r = new ObserverEvaluation().run(Corpus.parse("o.jsonl", CASE + held), "default", new DeterministicSummarizer());

        assertThat(r.score("budget.stated", ObserverReport.Split.TUNING).total()).isEqualTo(1);
        assertThat(r.score("budget.stated", ObserverReport.Split.HOLDOUT).total()).isEqualTo(1);
        assertThat(r.score("budget.stated", ObserverReport.Split.ALL).total()).isEqualTo(2);
    }

    @Test
    void a_label_without_commitments_does_not_score_the_promises_one_with_an_empty_list_expects_none() {
        String unlabelled = CASE.replace("\"commitments\": [{\"turn\": 1, \"kind\": \"DISCOUNT\", \"strength\": \"HARD\", \"value\": \"8%\"}],", "")
                .replace("\"notCommitments\": [{\"turn\": 1, \"kind\": \"ANY\"}], ", "");
        String none = CASE.replace("\"commitments\": [{\"turn\": 1, \"kind\": \"DISCOUNT\", \"strength\": \"HARD\", \"value\": \"8%\"}]",
                "\"commitments\": []").replace("\"o-1\"", "\"o-3\"");
        assertThat(unlabelled).doesNotContain("ommitments");

        ObserverReport r = new ObserverEvaluation().run(Corpus.parse("o.jsonl", unlabelled + none), "default", new DeterministicSummarizer());

        assertThat(r.results().get(0).checks()).extracting(ObserverChecks.Check::field).noneMatch(f -> f.startsWith("commitments."));
        assertThat(r.results().get(1).checks()).filteredOn(c -> c.field().equals("commitments.precision"))
                .singleElement().satisfies(c -> assertThat(c.passed()).isFalse());
    }

    @Test
    void an_unreadable_label_names_the_case() {
        String bad = CASE.replace("\"direction\": \"steady\"", "\"direction\": \"sideways\"");

        assertThatThrownBy(() -> new ObserverEvaluation().run(Corpus.parse("o.jsonl", bad), "default", new DeterministicSummarizer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("case o-1: unreadable observer label (direction must be one of");
    }

    @Test
    void the_command_prints_the_table_and_the_failed_checks() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EvalCli.run(new String[] {"observer", "--diff"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Observer DeterministicSummarizer on 274 cases (224 tuning, 50 held out)",
                "budget.stated", "whisper.opening", "Failed checks (tuning):");
    }

    @Test
    void terms_match_loosely_as_a_reader_writes_them() {
        assertThat(Terms.of("sixty|60k|60,000").matches("roughly Sixty grand")).isTrue();
        assertThat(Terms.of("charged", "three times").matches("Charged my card three times")).isTrue();
        assertThat(Terms.of("charged", "three times").matches("charged twice")).isFalse();
        assertThat(Terms.of("don't").matches("I don\u2019t recognise it")).isTrue();
        assertThat(Terms.of("x").matches(null)).isFalse();
    }
}
