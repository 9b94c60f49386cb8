package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AutomatonTest {

    /** Every (pattern, end) pair, found the slow way, in the order the automaton reports them. */
    private static List<String> naive(List<String> patterns, String text) {
        List<String> out = new ArrayList<>();
        for (int end = 1; end <= text.length(); end++) {
            for (int id = 0; id < patterns.size(); id++) {
                String p = patterns.get(id);
                if (end >= p.length() && text.startsWith(p, end - p.length())) {
                    out.add(id + "@" + end);
                }
            }
        }
        return out;
    }

    private static List<String> scanned(Automaton a, String text) {
        Scratch s = Scratch.forLength(text.length());
        s.hitCount = 0;
        a.scan(text.toCharArray(), text.length(), s);
        List<String> out = new ArrayList<>();
        for (int h = 0; h < s.hitCount; h++) {
            out.add(s.hits[2 * h] + "@" + s.hits[2 * h + 1]);
        }
        // the automaton lists a state's hits longest pattern first; compare as sets per end offset
        out.sort(AutomatonTest::byEndThenId);
        return out;
    }

    private static int byEndThenId(String a, String b) {
        String[] x = a.split("@");
        String[] y = b.split("@");
        int c = Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
        return c != 0 ? c : Integer.compare(Integer.parseInt(x[0]), Integer.parseInt(y[0]));
    }

    @Test
    void finds_every_overlapping_pattern_that_a_naive_search_finds_in_ascii_and_other_scripts() {
        Random random = new Random(11);
        // a small alphabet makes patterns overlap and share prefixes and suffixes, so failure links matter
        char[] alphabet = {'a', 'b', 'c', ' ', 'é', '中', 'ж'};
        for (int round = 0; round < 200; round++) {
            List<String> patterns = new ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                patterns.add(word(random, alphabet, 1 + random.nextInt(6)));
            }
            Automaton a = new Automaton(patterns, 1_000_000);
            for (int t = 0; t < 20; t++) {
                String text = word(random, alphabet, random.nextInt(60));
                List<String> expected = naive(patterns, text);
                expected.sort(AutomatonTest::byEndThenId);
                assertThat(scanned(a, text)).as("patterns %s in \"%s\"", patterns, text).isEqualTo(expected);
                assertThat(a.containsAny(text.toCharArray(), text.length())).isEqualTo(!expected.isEmpty());
            }
        }
    }

    @Test
    void a_character_in_no_pattern_resets_the_match() {
        Automaton a = new Automaton(List.of("ab", "b", "中文"), 1000);
        assertThat(scanned(a, "axb中x文中文")).containsExactly("1@3", "2@8");
    }

    @Test
    void a_table_over_the_cell_limit_is_refused_while_it_is_built() {
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            patterns.add("pattern number " + i);
        }
        assertThatThrownBy(() -> new Automaton(patterns, 10_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over the limit of 10000 cells");
    }

    @Test
    void patterns_nested_in_each_other_beyond_the_limit_are_refused_before_their_lists_are_built() {
        List<String> patterns = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            patterns.add("a".repeat(i));
        }
        // 2,001 states of 2 columns fit the table; the 2,001,000 outputs (each state lists every shorter run) do not
        assertThatThrownBy(() -> new Automaton(patterns, 1_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("end inside each other 2001000 times, over the limit of 1000000");
        assertThat(new Automaton(patterns.subList(0, 1000), 1_000_000).states()).isEqualTo(1001);
    }

    private static String word(Random random, char[] alphabet, int len) {
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }
}
