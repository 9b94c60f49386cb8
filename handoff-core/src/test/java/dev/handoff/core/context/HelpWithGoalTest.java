package dev.handoff.core.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request for help with something is the goal the agent reads, and what the bot says back to the customer: the main
 * demo's "Hi, can you help me with my March invoice?" gave "Wants them with their March invoice" (the word "help" lost,
 * "me" turned into "them"), and the bridge line told the customer "you want you with your March invoice".
 */
class HelpWithGoalTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final HandoffDecision DECISION = HandoffDecision.handoff(Priority.NORMAL,
            List.of(new Reason(TriggerKind.EXPLICIT_REQUEST, "explicit.person", "Asked for a person", 1, null, null, null)), null);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Hi, can you help me with my March invoice?               | Wants help with their March invoice",
            "Can you help me with a refund for order 5521?            | Wants help with a refund for order 5521",
            // unchanged: help to do something is that thing; a tool that helps is what they want
            "Can you help me find a cheaper plan?                     | Wants to find a cheaper plan",
            "We need a tool to help with onboarding new drivers       | Wants a tool to help with onboarding new drivers",
    })
    void a_request_for_help_with_something_is_the_goal(String firstTurn, String goal) {
        List<Turn> turns = List.of(new Turn(0, Speaker.CUSTOMER, firstTurn, T0, null, false),
                new Turn(1, Speaker.CUSTOMER, "Let me talk to a person please.", T0.plusSeconds(20), null, false));

        String written = new DeterministicSummarizer().summarize(turns, CustomerData.of("cus-1", Map.of()), DECISION).whisper().goal();

        assertThat(written).isEqualTo(goal);
    }

    @org.junit.jupiter.api.Test
    void the_opening_line_offers_to_sort_it_out() {
        List<Turn> turns = List.of(new Turn(0, Speaker.CUSTOMER, "Hi, can you help me with my March invoice?", T0, null, false),
                new Turn(1, Speaker.CUSTOMER, "Let me talk to a person please.", T0.plusSeconds(20), null, false));

        String opening = new DeterministicSummarizer().summarize(turns, CustomerData.of("cus-1", Map.of()), DECISION).whisper()
                .suggestedOpening();

        assertThat(opening).endsWith("Let's sort out your March invoice.");
    }
}
