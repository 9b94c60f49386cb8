package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.context.SemanticLedger.Budget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A buyer saying no money has been set aside yet is a stated absence of budget, not silence. */
class BudgetAbsenceTest {

    private static Budget budget(String sentence) {
        BantReader r = new BantReader();
        r.read(sentence, 0, "What budget do you have in mind?", false);
        return r.budget();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Nothing's been budgeted yet.", "We haven't budgeted for this yet.", "I have not budgeted anything.",
            "We have basically zero budget for software."})
    void nothing_budgeted_is_a_stated_absence(String sentence) {
        Budget b = budget(sentence);
        assertThat(b).isNotNull();
        assertThat(b.amount()).isNull();
    }

    @Test
    void a_budgeted_amount_is_still_an_amount() {
        assertThat(budget("We budgeted about 20k for it.").amount()).isNotNull();
    }
}
