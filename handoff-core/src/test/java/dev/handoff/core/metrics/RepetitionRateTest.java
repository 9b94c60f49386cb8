package dev.handoff.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RepetitionRateTest {

    @Test
    void a_customer_who_repeats_the_problem_to_the_human_is_flagged() {
        RepetitionRate rate = new RepetitionRate();
        rate.beforeHandoff("I was charged twice for my March invoice INV-2231");
        rate.beforeHandoff("Both charges were 49 dollars and both are settled");

        assertThat(rate.afterHandoff("Hi")).isFalse();
        assertThat(rate.afterHandoff("Like I said, I was charged twice for my March invoice")).isTrue();
        assertThat(rate.afterHandoff("Can you refund the second one today?")).isFalse();

        assertThat(rate.phrasesAfterHandoff()).isEqualTo(2);
        assertThat(rate.rate()).isEqualTo(0.5);
        assertThat(rate.flagged()).isTrue();
    }

    @Test
    void a_well_handed_off_conversation_has_no_repetition() {
        RepetitionRate rate = new RepetitionRate();
        rate.beforeHandoff("My real worry is API latency on every routed message");

        rate.afterHandoff("Great, the p99 numbers for eu-west look fine to me");
        rate.afterHandoff("Send the order form and we'll sign this week");

        assertThat(rate.rate()).isZero();
        assertThat(rate.flagged()).isFalse();
    }

    @Test
    void short_repeats_count_when_every_content_word_was_said_before() {
        RepetitionRate rate = new RepetitionRate();
        rate.beforeHandoff("My account number is 77812");

        assertThat(rate.afterHandoff("account 77812")).isTrue();
        assertThat(rate.afterHandoff("account 99999")).isFalse();
    }
}
