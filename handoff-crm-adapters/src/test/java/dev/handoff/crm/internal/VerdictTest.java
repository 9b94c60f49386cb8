package dev.handoff.crm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.Commitment.Status;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.crm.TestContexts;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every vendor adapter reads out of a verdict, and the final errors when there is none to read. */
class VerdictTest {

    private static final HandoffContext CORRECTED = TestContexts.withVerdict(TestContexts.sample(), "c-1", Status.CORRECTED, "a $5 credit");

    @Test
    void the_commitments_object_is_found_under_the_key_the_push_used() {
        String key = OutboxEntry.verdictKey("zendesk:ctx-1001", CORRECTED.commitments().get(0));

        Verdict v = Verdict.of("zendesk", CORRECTED, "c-1", key);

        assertThat(v.pushKey()).isEqualTo("zendesk:ctx-1001");
        assertThat(v.commitmentKey()).isEqualTo("zendesk:ctx-1001:c-1");
        assertThat(v.status()).isEqualTo("corrected");
        assertThat(v.subject(30)).isEqualTo("AI commitment CORRECTED: DI...");
        assertThat(v.token()).matches("handoffverdict[0-9a-f]{16}").isEqualTo(Verdict.of("zendesk", CORRECTED, "c-1", key).token());
    }

    static Stream<Arguments> unusable() {
        String key = "hubspot:ctx-1001:verdict:c-1:CORRECTED:0123abcd";
        return Stream.of(
                Arguments.of(CORRECTED, "c-9", key, "hubspot verdict: context ctx-1001 has no commitment c-9"),
                Arguments.of(CORRECTED, "c-\u001b[2J9", key, "hubspot verdict: context ctx-1001 has no commitment c-[2J9"),
                Arguments.of(CORRECTED, "c-2", key,
                        "hubspot verdict: commitment c-2 of context ctx-1001 has no verdict; expected CONFIRMED, CORRECTED or REVOKED"),
                Arguments.of(CORRECTED, "c-1", "hubspot:ctx-1001",
                        "hubspot verdict on commitment c-1 of context ctx-1001: the idempotency key is not a verdict key;"
                                + " expected <push key>:verdict:<commitment>:<STATUS>"));
    }

    @ParameterizedTest
    @MethodSource("unusable")
    void a_verdict_that_cannot_be_written_is_a_final_error_naming_what_was_expected(HandoffContext context, String id, String key,
                                                                                   String message) {
        assertThatThrownBy(() -> Verdict.of("hubspot", context, id, key))
                .isInstanceOf(NonRetriableHandoffException.class).hasMessage(message);
    }
}
