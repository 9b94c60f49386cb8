package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tokenizer builds a text's loop fingerprint from the hashes it computes while reading each word (the hash
 * without the last characters is kept as it goes): it must be the set {@link Words#stem} gives word by word.
 */
class FingerprintTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "resetting resets reset the router keeps dropping",
        "I was charged twice and billed again, the refund never arrived",
        "cancelled cancelling cancels passes pass glass dressing bed red moved added",
        "swimming running hopping getting programs sings king ring thing",
        "ab abs abc abcs abcd abcde abcdef abcdefg ed eds ing ings sing",
        "Quelle est la différence, señor? 60k miles on 2 cars",
    })
    void the_fingerprint_is_the_stems_of_the_content_words(String text) {
        Scratch s = new Scratch();
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        TreeSet<Long> expected = new TreeSet<>();
        for (int t = 0; t < s.tokCount; t++) {
            int flags = s.tokFlags[t];
            int a = s.tokStart[t];
            if ((flags & Words.STOP) == 0 && Normalizer.isWordChar(s.out[a])) {
                expected.add((flags & Words.SYNONYM) != 0 ? 0x5EED0000L + s.tokValue[t] : Words.stem(s.out, a, s.tokEnd[t]));
            }
        }
        long[] print = Arrays.copyOf(s.print, s.printLen);
        assertThat(print).containsExactlyInAnyOrder(expected.stream().mapToLong(Long::longValue).toArray());
        assertThat(print).isNotEmpty();
        long signature = 0;
        for (long h : expected) {
            signature |= 1L << (h >>> 58);
        }
        assertThat(s.printSig).isEqualTo(signature);
    }

    @ParameterizedTest
    @ValueSource(ints = {31, 32, 33, 40, 80})
    void a_long_text_keeps_its_first_distinct_content_words_in_text_order(int distinct) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < distinct; w++) {
            // every word twice, and the first words again after the limit: repeats must not take a place
            text.append("zq").append(w).append("x zq").append(w).append("x ");
            if (w == Scratch.MAX_PRINT + 2) {
                text.append("zq0x zq1x ");
            }
        }
        Scratch s = new Scratch();
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        Set<Long> firstDistinct = new LinkedHashSet<>();
        for (int t = 0; t < s.tokCount && firstDistinct.size() < Scratch.MAX_PRINT; t++) {
            firstDistinct.add(Words.stem(s.out, s.tokStart[t], s.tokEnd[t]));
        }
        assertThat(Arrays.copyOf(s.print, s.printLen))
                .hasSize(Math.min(distinct, Scratch.MAX_PRINT))
                .containsExactly(firstDistinct.stream().mapToLong(Long::longValue).toArray());
    }
}
