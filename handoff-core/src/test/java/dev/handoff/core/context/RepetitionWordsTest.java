package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The words the repetition check compares are the ones the regular expression it replaced ({@code [^\p{L}\p{N}']+}
 * as the separator) gives, in any script, with digits of any kind, apostrophes and characters outside the BMP.
 */
class RepetitionWordsTest {

    private static final Pattern SEPARATOR = Pattern.compile("[^\\p{L}\\p{N}']+");
    private static final String ALPHABET = "ab Z9'’.,!?-\t\u00e9\u00df\u0663\u2167\u00bd\u4e2d\u02b0 ";
    private static final String[] SUPPLEMENTARY = {"\ud835\udc00", "\ud83d\ude00", "\ud800\udd07"}; // 𝐀 (letter), 😀, 𐄇 (number)

    @Test
    void words_are_the_runs_the_expression_leaves_between_separators() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String s = RandomText.of(random, 16, r -> r.nextInt(10) == 0 ? SUPPLEMENTARY[r.nextInt(SUPPLEMENTARY.length)]
                    : String.valueOf(ALPHABET.charAt(r.nextInt(ALPHABET.length()))));
            Set<String> expected = Arrays.stream(SEPARATOR.split(s)).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
            assertThat(SentimentVelocity.words(s)).as("words of \"%s\"", s).isEqualTo(expected);
        }
    }

    @Test
    void a_plain_sentence() {
        assertThat(SentimentVelocity.words("i've been charged twice, twice!")).containsExactlyInAnyOrder("i've", "been", "charged", "twice");
    }
}
