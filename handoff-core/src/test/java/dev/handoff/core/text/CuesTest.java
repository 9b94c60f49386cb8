package dev.handoff.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CuesTest {

    private final Cues cues = Cues.of(List.of(List.of("need", "want"), List.of("call me", "need"), List.of("opt out")));

    @Test
    void each_group_is_one_bit_and_a_literal_in_two_groups_sets_both() {
        assertThat(cues.find("I want a refund")).isEqualTo(0b001);
        assertThat(cues.find("please call me")).isEqualTo(0b010);
        assertThat(cues.find("we need it")).isEqualTo(0b011);
        assertThat(cues.find("nothing here")).isZero();
        assertThat(Cues.has(0b010, 1)).isTrue();
        assertThat(Cues.has(0b010, 0)).isFalse();
        assertThat(cues.groups()).isEqualTo(3);
    }

    @Test
    void ascii_letters_match_in_either_case_like_a_case_insensitive_pattern_and_others_only_as_written() {
        assertThat(cues.find("WE NEED IT")).isEqualTo(0b011);
        assertThat(cues.find("Call Me")).isEqualTo(0b010);
        // Pattern.CASE_INSENSITIVE without UNICODE_CASE folds only US-ASCII: neither does a cue
        assertThat(cues.find("n\u0131ed")).isZero();
    }

    @Test
    void literals_inside_words_count() {
        assertThat(cues.find("needed")).isEqualTo(0b011);
        assertThat(cues.find("unwanted")).isEqualTo(0b001);
    }

    @Test
    void refuses_upper_case_non_ascii_or_empty_literals_empty_groups_and_too_many_groups() {
        assertThatThrownBy(() -> Cues.of(List.of(List.of("Need")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cue must be non-empty lower-case ASCII, was \"Need\"");
        assertThatThrownBy(() -> Cues.of(List.of(List.of("caf\u00e9x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cue must be non-empty lower-case ASCII, was \"caf\u00e9x\"");
        assertThatThrownBy(() -> Cues.of(List.of(List.of("")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cues.of(List.of(List.of("a"), List.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group 1 of cues has no literal");
        assertThatThrownBy(() -> Cues.of(Collections.nCopies(65, List.of("a")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at most 64 groups of cues, was 65");
    }
}
