package dev.handoff.core.hipaa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.spi.AuditRecord;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.audit.InMemoryAuditSink;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HIPAA 45 CFR 164.312(b), audit controls: every access to a context is recorded — packaging, each ticket
 * redemption (refused ones included, with the actor), the agent's read confirmation — and no record can carry PHI:
 * {@link AuditRecord} has ids and short codes only.
 *
 * <p>Remains the deployer's duty: an {@code AuditSink} that stores records durably and tamper-evidently (the default
 * writes the {@code handoff.audit} SLF4J logger), retaining them (six years for HIPAA documentation), reviewing them
 * regularly, and alerting on refused redemptions.
 */
class AuditControlsSafeguardTest {

    @Test
    void every_access_to_a_context_is_recorded_with_who_and_the_outcome_and_never_the_patients_words() throws Exception {
        InMemoryAuditSink audit = new InMemoryAuditSink();
        HandoffOutcome outcome;
        try (Handoff handoff = Handoff.builder().auditSink(audit).build()) {
            outcome = HipaaFixtures.handOffToAlice(handoff, "hipaa-audit-1");
            handoff.redeem(outcome.ticket(), "alice");
            assertThatThrownBy(() -> handoff.redeem(outcome.ticket() + "x", "mallory"));
            handoff.agentActions(outcome.contextId()).orElseThrow().confirmRead("alice");
        }

        List<String> trail = audit.records().stream().map(r -> r.actor() + " " + r.action() + " " + r.outcome()).toList();
        assertThat(trail).contains("system CONTEXT_PACKAGED ok", "alice TICKET_REDEEMED ok", "mallory TICKET_REFUSED forged",
                "alice CONTEXT_READ_CONFIRMED read");
        assertThat(audit.records()).allSatisfy(r -> {
            assertThat(r.sessionId()).isNotNull();
            assertThat(r.at()).isNotNull();
            // every component but the timestamp and the generated context id, whose digits may contain "4111" by chance
            assertThat(r.contextId()).satisfiesAnyOf(c -> assertThat(c).isNull(), c -> assertThat(c).matches("ctx-[0-9a-f-]{36}"));
            assertThat(String.join(" ", r.actor(), r.action().name(), String.valueOf(r.sessionId()), r.outcome(),
                    String.valueOf(r.clientAddress()))).doesNotContain("123-45-6789", "4111", "pat@example.com", "1988");
        });
        // no free-text component: ids, codes and a network address only, each checked by the record itself
        assertThat(AuditRecord.class.getRecordComponents()).extracting(c -> c.getName())
                .containsExactly("at", "actor", "action", "sessionId", "contextId", "outcome", "clientAddress");
        assertThatThrownBy(() -> new AuditRecord(java.time.Instant.EPOCH, "alice", AuditRecord.Action.CONTEXT_VIEWED,
                dev.handoff.api.SessionId.of("s-1"), null, "ok", "pat@example.com"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
