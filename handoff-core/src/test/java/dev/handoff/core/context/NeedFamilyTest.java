package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Needs said after the topic, from handoff-eval's observer family 5 (whole conversations written and labelled before
 * the observer was run on them, 2026-12-05 01:15 UTC): "I just want what I'm owed" was not read as a need ("just"
 * between "I" and "want"), and "I'd like to get it resolved before we sell" replaced the topic it refers to. Each row
 * is the customer's sentences in order and a word the need must keep; the last two are look-alikes written after the
 * change.
 */
class NeedFamilyTest {

    private static String need(String text) {
        BantReader r = new BantReader();
        for (String s : Sentences.split(text)) {
            r.read(s, 0, null, false);
        }
        return r.needOrTopic();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "My employer hasn't paid me for six weeks. I just want what I'm owed.                   | owed",
            "My neighbour built a fence onto my land. I'd like to get it resolved before we sell.   | fence",
            "I need to sort out my tax return.                                                      | tax return",
            "I need it fixed today.                                                                 | fixed today",
            // observer family 6: how often the customer explained is not what about
            "I've explained this three times already. My package was marked delivered but it never came. | package",
            // observer family 6: advice the customer acts on; a look-alike written after the change
            "My daughter's teeth are quite crooked. Her dentist suggested we see an orthodontist.   | orthodontist",
            "The doctor recommended I get a second opinion on the crown.                            | second opinion",
            // observer family 7: who the customer is, then what
            "Hello, I run a small accounting firm. Three of us share one printer and it's always jammed. | printer",
    })
    void the_need_is_what_the_customer_wants(String text, String word) {
        assertThat(need(text)).containsIgnoringCase(word);
    }

    /** A look-alike written after the change for family 6: being sent to call is not a need to call. */
    @org.junit.jupiter.api.Test
    void advice_to_call_is_not_the_need() {
        assertThat(need("My friend suggested I call you.")).isNotEqualToIgnoringCase("Call you");
    }
}
