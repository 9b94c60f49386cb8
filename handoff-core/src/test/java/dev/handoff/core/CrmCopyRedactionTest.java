package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CrmCopyRedactionTest {

    /** Captures what a CRM would receive. */
    static final class CapturingCrm implements CrmAdapter {
        final CompletableFuture<HandoffContext> pushed = new CompletableFuture<>();

        @Override
        public String name() {
            return "capture";
        }

        @Override
        public Optional<CrmProfile> lookup(CustomerData customer) {
            return Optional.empty();
        }

        @Override
        public CrmReceipt push(HandoffContext context, String idempotencyKey) {
            pushed.complete(context);
            return new CrmReceipt("capture", "1", null);
        }
    }

    @Test
    void the_crm_gets_a_redacted_copy_while_the_store_keeps_the_full_transcript() throws Exception {
        CapturingCrm crm = new CapturingCrm();
        try (Handoff handoff = Handoff.builder().crmAdapter(crm).transferTimeout(Duration.ofMillis(200)).build()) {
            HandoffSession chat = handoff.open(Channel.CHAT);
            chat.customer("Please charge my card 4111 1111 1111 1111 for the upgrade");

            HandoffOutcome outcome = chat.handOff(chat.customer("actually, let me talk to a person")).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            HandoffContext copy = crm.pushed.get(10, TimeUnit.SECONDS);
            HandoffContext stored = handoff.contexts().get(outcome.contextId()).orElseThrow();

            assertThat(stored.transcript().get(0).text()).contains("4111 1111 1111 1111");
            assertThat(copy.transcript().get(0).text()).doesNotContain("4111").doesNotContain("1111 1111");
            assertThat(copy.compliance().redactions()).anySatisfy(r -> {
                assertThat(r.kind()).isEqualTo("card-number");
                assertThat(r.path()).isEqualTo("$.transcript[0].text");
            });
            assertThat(copy.toString()).doesNotContain("4111 1111 1111 1111");
        }
    }
}
