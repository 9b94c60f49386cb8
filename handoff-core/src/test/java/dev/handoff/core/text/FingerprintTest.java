package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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
        assertThat(print).containsExactly(expected.stream().mapToLong(Long::longValue).limit(Scratch.MAX_PRINT).toArray());
        assertThat(print).isNotEmpty();
    }
}
