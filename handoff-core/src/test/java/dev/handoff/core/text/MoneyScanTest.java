package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Money#scan} ends at once on a turn with no digit, number word, "hundred" or scale (most quiet turns), and
 * still finds every amount that starts at one of those: amounts written in words only, "a" before a scale.
 */
class MoneyScanTest {

    private static Scratch scanned(String text) {
        Scratch s = new Scratch();
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        Money.scan(s);
        return s;
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "we have about a grand for this            | 1000",
            "a million over the term                   | 1000000",
            "a hundred bucks a month                   | 100",
            "seventy dollars                           | 70",
            "the plan is $75k                          | 75000",
            "two hundred and fifty euros               | 250",
    })
    void an_amount_in_words_or_digits_is_found(String text, double value) {
        Scratch s = scanned(text);

        assertThat(s.amountCount).isEqualTo(1);
        assertThat(s.amountValue[0]).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Could you explain how the loyalty points program works?",
            "I would like to update the shipping address on my account.",
            "",
    })
    void a_turn_without_a_number_has_no_amount(String text) {
        Scratch s = scanned(text);
        s.amountCount = 7;   // left over from an earlier turn on the same scratch

        Money.scan(s);

        assertThat(s.amountCount).isZero();
        assertThat(s.digitSeen).isFalse();
    }
}
