package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WordCountTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "I want to talk to a person|7|I",
        "  padded   with\tspaces  |3|padded",
        "one|1|one",
        "''|0|''",
        "'   '|0|''",
        "it's 55821, really?|3|it's",
    })
    void counts_words_between_white_space_like_the_readers_did_with_split(String text, int words, String first) {
        assertThat(Words.count(text)).isEqualTo(words);
        assertThat(Words.first(text)).isEqualTo(first);
        if (!text.isBlank()) {
            assertThat(Words.count(text)).isEqualTo(text.strip().split("\\s+").length);
        }
    }
}
