package dev.handoff.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffExecutors;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The root README's "Size and configure the runtime" block builds a working Handoff. */
class RuntimeSizingTest {

    @Test
    void readme_sizing_block_builds_a_handoff_that_opens_sessions() {
        // tag::runtime-sizing[]
        HandoffExecutors executors = HandoffExecutors.builder().ioThreads(32).build();   // a slow CRM or LLM observer: more io threads
        Handoff handoff = Handoff.builder()
                .maxInFlight(2_048)                   // handoffs this instance runs at once; more wait in line with a position
                .maxQueued(1_024)                     // past that, the bot resumes at once (cause OVER_CAPACITY)
                .maxWait(Duration.ofMinutes(2))       // the customer's total wait across every fallback target
                .transferTimeout(Duration.ofSeconds(30))
                .executors(executors)                 // yours to close, after the Handoff
                .build();
        // end::runtime-sizing[]

        try (executors; handoff) {
            assertThat(handoff.chatQueues()).isPresent();
        }
    }
}
