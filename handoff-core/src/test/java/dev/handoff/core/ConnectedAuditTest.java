package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.Channel;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.audit.InMemoryAuditSink;
import dev.handoff.core.chat.AgentQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The audit trail of a connected handoff now that the connecting attempt's TRANSFER_ATTEMPTED is written together with
 * HANDOFF_CONNECTED ({@code AuditSink.recordAll}): every record is there, in order, and a ledger that fails between
 * the two does not take the attempt's record with it.
 */
class ConnectedAuditTest extends HandoffFixture {

    private final InMemoryAuditSink audit = new InMemoryAuditSink();

    private List<AuditRecord.Action> actions() {
        return audit.records().stream().map(AuditRecord::action).toList();
    }

    @Test
    void a_connected_handoff_leaves_its_four_records_in_order() throws Exception {
        handoff = Handoff.builder().auditSink(audit).build();
        AgentQueue support = acceptsNextOffer("support", "alice");
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
        assertThat(actions()).containsExactly(AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.CONTEXT_PACKAGED,
                AuditRecord.Action.TRANSFER_ATTEMPTED, AuditRecord.Action.HANDOFF_CONNECTED);
        assertThat(audit.records().get(2).actor()).isEqualTo("alice");
        assertThat(audit.records().get(2).outcome()).isEqualTo("support:CONNECTED");
    }

    @Test
    void when_the_ledger_fails_as_the_agent_connects_the_attempt_is_still_audited_and_the_bot_gets_an_outcome() throws Exception {
        handoff = Handoff.builder().auditSink(audit).commitmentLedger(new CountedLedger(read -> {
            if (read > 1) {   // answers the packaging's read, then fails every later one (a ledger store that went away)
                throw new RetriableHandoffException("ledger unavailable (test)");
            }
        })).build();
        AgentQueue support = acceptsNextOffer("support", "alice");
        HandoffSession session = handoff.open(Channel.CHAT);

        HandoffOutcome outcome = session.handOff(session.customer("can I speak to a human")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(outcome).isNotNull();
        assertThat(actions()).containsSubsequence(AuditRecord.Action.HANDOFF_REQUESTED, AuditRecord.Action.CONTEXT_PACKAGED,
                AuditRecord.Action.TRANSFER_ATTEMPTED);
        assertThat(audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.TRANSFER_ATTEMPTED)
                .extracting(AuditRecord::outcome).containsExactly("support:CONNECTED");
    }
}
