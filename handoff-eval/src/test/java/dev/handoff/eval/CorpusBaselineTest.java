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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped corpus under every preset must score at least the recorded baseline ({@code baseline.txt}) in
 * precision and recall for each trigger kind and for handing off at all. A change that makes the engine worse on
 * any kind fails here; a change that makes it better should record the new numbers.
 */
class CorpusBaselineTest {

    private static final Corpus CORPUS = Corpus.shipped();

    record Expected(String preset, String kind, double precision, double recall) {
    }

    static List<Expected> baseline() throws IOException {
        List<Expected> out = new ArrayList<>();
        try (InputStream in = CorpusBaselineTest.class.getResourceAsStream("/baseline.txt")) {
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
        TriggerPolicy policy = TriggerPolicy.preset(preset);
        TriggerReport report = new TriggerEvaluation().run(CORPUS, policy.name(), new RuleTriggerEvaluator(policy));

        List<Expected> mine = baseline().stream().filter(e -> e.preset().equals(policy.name())).toList();
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
