package dev.handoff.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.TriggerKind;
import dev.handoff.api.ValidationException;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TriggerEvaluationTest {

    private static final String CASES = """
            // a hit, a missed request, a false alarm, a quiet turn and a wrong kind
            {"id": "a", "turns": [{"speaker": "customer", "text": "let me talk to a person"}], "labels": {"trigger": {"handoffAt": 0, "kind": "EXPLICIT_REQUEST"}}}
            {"id": "b", "turns": [{"speaker": "customer", "text": "hmm"}], "labels": {"trigger": {"handoffAt": 0, "kind": "EXPLICIT_REQUEST"}}}
            {"id": "c", "turns": [{"speaker": "customer", "text": "this is urgent"}], "labels": {"trigger": {"never": true}}}
            {"id": "d", "turns": [{"speaker": "customer", "text": "what time do you open?"}], "labels": {"trigger": {"never": true}}}
            {"id": "e", "turns": [{"speaker": "customer", "text": "I want to dispute this charge"}], "labels": {"trigger": {"handoffAt": 0, "kind": "SALES"}, "trigger@high-gate": {"never": true}}}
            """;

    @Test
    void each_outcome_counts_where_it_belongs() {
        TriggerReport r = new TriggerEvaluation().run(Corpus.parse("t.jsonl", CASES), "default",
                new RuleTriggerEvaluator(TriggerPolicy.defaults()));

        assertThat(r.results()).extracting(c -> c.evalCase().id() + ":" + c.outcome())
                .containsExactly("a:HIT", "b:MISSED", "c:FALSE_ALARM", "d:QUIET", "e:WRONG_KIND");
        assertThat(r.byKind().get(TriggerKind.EXPLICIT_REQUEST)).extracting(TriggerReport.KindScore::truePositives,
                TriggerReport.KindScore::falsePositives, TriggerReport.KindScore::falseNegatives).containsExactly(1, 0, 1);
        assertThat(r.byKind().get(TriggerKind.URGENCY).precision()).isZero();
        assertThat(r.byKind().get(TriggerKind.SALES).recall()).isZero();
        assertThat(r.confusion().get("SALES")).containsEntry("REGULATORY", 1);
        assertThat(r.render(true)).contains("WRONG_KIND   e          want turn 0 SALES", "got turn 0 REGULATORY (regulatory.financial-dispute)");
    }

    @Test
    void a_label_for_one_policy_overrides_the_general_one() {
        TriggerReport r = new TriggerEvaluation().run(Corpus.parse("t.jsonl", CASES), "high-gate",
                new RuleTriggerEvaluator(TriggerPolicy.preset(TriggerPolicy.Preset.HIGH_GATE)));

        assertThat(r.results()).filteredOn(c -> c.evalCase().id().equals("e")).singleElement()
                .satisfies(c -> assertThat(c.outcome()).isEqualTo(TriggerReport.Outcome.FALSE_ALARM));
    }

    @Test
    void bad_lines_are_named_with_file_and_line() {
        assertThatThrownBy(() -> Corpus.parse("bad.jsonl", "{\"id\": \"x\", \"turns\": [{\"speaker\": \"robot\", \"text\": \"hi\", \"signals\": {\"confidence\": 39}}]}\nnot json\n"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("bad.jsonl:1 turns[0].speaker: customer, ai, agent or system (was \"ROBOT\")")
                .hasMessageContaining("bad.jsonl:1 turns[0].signals.confidence: a fraction from 0 to 1")
                .hasMessageContaining("bad.jsonl:2: a JSON object on one line");
    }

    @Test
    void the_command_compares_policies_on_a_teams_own_transcripts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.jsonl"), CASES);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = EvalCli.run(new String[] {"trigger", "--corpus", dir.toString(), "--policy", "default", "--policy", "high-gate", "--diff"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(text).contains("policy default: 5 cases", "policy high-gate: 5 cases", "kind (P / R)", "MISSED       b");
    }

    @Test
    void the_command_scores_the_held_out_set_and_refuses_it_together_with_a_corpus(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = EvalCli.run(new String[] {"trigger", "--heldout", "--policy", "default"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        int both = EvalCli.run(new String[] {"trigger", "--heldout", "--corpus", dir.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("policy default: " + Corpus.heldOut().cases().size() + " cases");
        assertThat(both).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--heldout and --corpus exclude each other");
    }

    @Test
    void the_held_out_set_shares_no_case_with_the_corpus_the_engine_was_tuned_on() {
        java.util.Set<String> tuned = new java.util.HashSet<>();
        for (EvalCase c : Corpus.shipped().cases()) {
            tuned.add(c.id());
            c.turns().forEach(t -> tuned.add(t.text().strip().toLowerCase(java.util.Locale.ROOT)));
        }
        for (EvalCase c : Corpus.heldOut().cases()) {
            assertThat(tuned).as("held-out case %s", c.id()).doesNotContain(c.id());
            // a one-turn held-out case is not a copy of a tuned turn
            if (c.turns().size() == 1) {
                assertThat(tuned).as("held-out case %s", c.id()).doesNotContain(c.turns().get(0).text().strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
    }
}
