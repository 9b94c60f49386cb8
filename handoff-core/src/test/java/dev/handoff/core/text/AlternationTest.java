package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AlternationTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "charged|charging|broken;c(?:harged|harging)|broken",
        "a|an|the|and;a(?:|n|nd)|the",
        "by|(?:in|within) time|before|be late;by|(?:in|within) time|b(?:efore|e late)",
        "s?ome|so|\\w+ed|sa;s?ome|so|\\w+ed|sa",
        "Bill|bill|billed;Bill|b(?:ill|illed)",
        "x;x",
    })
    void gathers_branches_by_first_letter_without_crossing_the_others(String alternation, String gathered) {
        assertThat(Alternation.byFirstLetter(alternation)).isEqualTo(gathered);
    }

    @Test
    void a_gathered_alternation_matches_exactly_what_the_original_matches() {
        String alternation = "charged|charging|charge|bill (?:went|go(?:es)?) up|overcharg\\w*|again|keeps? (?:\\w+ing|getting)"
                + "|still (?:not|hasn'?t)|[0-9]+ fee|crash\\w*|can'?t (?:log|access)|cannot|(?<late>late|overdue)|lost|loses"
                + "|losing|no (?:internet|power)|on hold|too much|too high|way over|over (?:what|our|my) |a bill for|a lot";
        Pattern original = Pattern.compile("\\b(" + alternation + ")\\b", Pattern.CASE_INSENSITIVE);
        Pattern gathered = Pattern.compile("\\b(" + Alternation.byFirstLetter(alternation) + ")\\b", Pattern.CASE_INSENSITIVE);
        String[] words = {"charged", "charging", "charge", "Charges", "bill", "went", "goes", "up", "overcharged", "again", "keep",
            "keeps", "getting", "waiting", "still", "not", "hasn't", "hasnt", "12", "fee", "crashed", "can't", "cant", "log", "access",
            "cannot", "late", "overdue", "lost", "loses", "losing", "no", "internet", "power", "on", "hold", "too", "much", "high",
            "way", "over", "what", "our", "my", "a", "an", "for", "lot", "the", "parcel", ",", "."};
        Random random = new Random(20261202);
        int compared = 0;
        for (int n = 0; n < 5_000; n++) {
            StringBuilder s = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int w = 0; w < length; w++) {
                s.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            assertThat(matches(gathered, s.toString())).as(s.toString()).isEqualTo(matches(original, s.toString()));
            compared += matches(original, s.toString()).size();
        }
        assertThat(compared).as("the sentences must exercise the alternation").isGreaterThan(5_000);
    }

    private static List<String> matches(Pattern p, String s) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) {
            out.add(m.start() + ":" + m.end() + ":" + m.group(1) + ":" + (m.groupCount() > 1 ? m.group("late") : ""));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"late|(overdue)|lost", "late|over(due|ly)"})
    void an_unnamed_capturing_group_is_refused_because_it_could_be_renumbered(String alternation) {
        assertThatThrownBy(() -> Alternation.byFirstLetter(alternation))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unnamed capturing group")
                .hasMessageContaining("expected (?:...) or (?<name>...)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"late|(?:overdue", "late)|lost", "late|[a-z"})
    void unbalanced_groups_and_classes_are_refused(String alternation) {
        assertThatThrownBy(() -> Alternation.byFirstLetter(alternation)).isInstanceOf(IllegalArgumentException.class);
    }
}
