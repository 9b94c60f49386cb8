package dev.handoff.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.TriggerKind;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped corpus under every preset must score at least the recorded baseline ({@code baseline.txt}) in
 * precision and recall for each trigger kind and for handing off at all, and so must the held-out set under the
 * default policy ({@code baseline-heldout.txt}). A change that makes the engine worse on any kind fails here; a
 * change that makes it better should record the new numbers. The held-out set is never used to change the engine:
 * its baseline records what it scored, so that a later change cannot quietly lose it.
 */
class CorpusBaselineTest {

    private static final Corpus CORPUS = Corpus.shipped();
    private static final Corpus HELD_OUT = Corpus.heldOut();

    record Expected(String preset, String kind, double precision, double recall) {
    }

    static List<Expected> baseline(String resource) throws IOException {
        List<Expected> out = new ArrayList<>();
        try (InputStream in = CorpusBaselineTest.class.getResourceAsStream(resource)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.strip().split(" ");
                out.add(new Expected(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3])));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TriggerPolicy.Preset.class)
    void every_kind_scores_at_least_its_recorded_baseline(TriggerPolicy.Preset preset) throws IOException {
        assertAtLeastBaseline(CORPUS, "/baseline.txt", TriggerPolicy.preset(preset));
    }

    @Test
    void held_out_set_scores_at_least_its_recorded_baseline_on_the_default_policy() throws IOException {
        assertThat(HELD_OUT.cases()).hasSizeGreaterThanOrEqualTo(120);
        assertAtLeastBaseline(HELD_OUT, "/baseline-heldout.txt", TriggerPolicy.defaults());
    }

    private static void assertAtLeastBaseline(Corpus corpus, String baselineFile, TriggerPolicy policy)
            throws IOException {
        TriggerReport report = new TriggerEvaluation().run(corpus, policy.name(), new RuleTriggerEvaluator(policy));

        List<Expected> mine = baseline(baselineFile).stream().filter(e -> e.preset().equals(policy.name())).toList();
        assertThat(mine).as("baseline lines for %s", policy.name()).isNotEmpty();
        for (Expected e : mine) {
            TriggerReport.KindScore s = e.kind().equals("ANY") ? report.overall() : report.byKind().get(TriggerKind.valueOf(e.kind()));
            assertThat(round(s.precision())).as("%s %s precision\n%s", policy.name(), e.kind(), report.render(true))
                    .isGreaterThanOrEqualTo(e.precision());
            assertThat(round(s.recall())).as("%s %s recall\n%s", policy.name(), e.kind(), report.render(true))
                    .isGreaterThanOrEqualTo(e.recall());
        }
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
    }
}
