package dev.handoff.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.context.DeterministicSummarizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default observer on the shipped observer corpus must score at least the recorded baseline
 * ({@code observer-baseline.txt}) on every field, on the tuning cases and on the held-out ones. A change that makes
 * the observer worse on any field fails here; one that makes it better should record the new numbers.
 */
class ObserverBaselineTest {

    private static ObserverReport report;

    record Expected(String split, String field, double rate) {
        @Override
        public String toString() {
            return split + " " + field;
        }
    }

    @BeforeAll
    static void run() {
        report = new ObserverEvaluation().run(Corpus.shippedObserver(), "default", new DeterministicSummarizer());
    }

    static List<Expected> baseline() throws IOException {
        List<Expected> out = new ArrayList<>();
        try (InputStream in = ObserverBaselineTest.class.getResourceAsStream("/observer-baseline.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.strip().split("\\s+");
                out.add(new Expected(f[0], f[1], Double.parseDouble(f[2])));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("baseline")
    void every_field_scores_at_least_its_recorded_baseline(Expected e) {
        ObserverReport.Score s = report.score(e.field(), ObserverReport.Split.valueOf(e.split().toUpperCase(Locale.ROOT)));

        assertThat(s.total()).as("%s is checked on some case", e).isPositive();
        assertThat(Double.parseDouble(String.format(Locale.ROOT, "%.4f", s.rate()))).as("%s (%s)\n%s", e, s,
                report.render(ObserverReport.Split.TUNING)).isGreaterThanOrEqualTo(e.rate());
    }
}
