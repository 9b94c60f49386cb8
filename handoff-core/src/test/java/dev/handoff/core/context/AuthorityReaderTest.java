package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who signs off, in the words a buyer uses when asked who else is involved. */
class AuthorityReaderTest {

    private static String authority(String sentence) {
        BantReader r = new BantReader();
        r.read(sentence, 0, "Who else is involved in the decision?", false);
        return r.authority();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
            "I'll need my business partner's OK.               | The business partner signs off",
            "I can approve up to ten thousand myself.          | The customer decides",
            "Procurement handles all our purchases.            | Procurement signs off",
            "I have budget authority for this.                 | The customer decides",
            "Our head of finance holds the purse strings.      | The head of finance signs off",
            "Our CFO has to sign off on anything this size.    | The CFO signs off",
            // observer family 2: a parent speaks for the child's teeth
            "My daughter's retainer snapped in half this morning. | Parent booking for their child",
            "My son’s braces came loose at school.           | Parent booking for their child",
            // observer family 3
            "Is my 6 year old due for a check-up?              | Parent booking for their child",
            // observer family 4, and look-alikes written after the change
            "Our CFO wants a decision before the end of Q1.     | The CFO signs off",
            "The board wants the final say on anything over 50k. | The board signs off",
            "I'm calling for my mother, she needs a cleaning.  | Family member booking for the patient",
            // observer family 5
            "Our IT director will want a security review before anything is signed. | The IT director signs off",
            // observer family 6
            "Our CEO would have to approve anything above that. | The CEO signs off",
            // observer family 7
            "Our general manager signs off on anything that size. | The general manager signs off",
            "Let me talk it over with my business partner tonight. | The business partner signs off",
            // observer family 8
            "Send me a proposal and I'll share it with our CFO. | The CFO signs off",
    })
    void an_approver_or_the_buyer_s_own_authority_is_read(String sentence, String expected) {
        assertThat(authority(sentence)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "I'm just gathering information for now.",
            "My manager told me to look into chatbots.",
            "The board meeting went well.",
            "My son's friend broke his tooth at our house.",
            "My car is due for a service.",
            // observer family 4: a carer is not booking for the patient; wanting a copy is not a say
            "I care for my mother full time.",
            "I'm caring for my dad after his surgery.",
            "My boss wants a copy of the invoice.",
            "My husband wants to know the price.",
    })
    void a_person_mentioned_without_a_say_is_not(String sentence) {
        assertThat(authority(sentence)).isNull();
    }
}
