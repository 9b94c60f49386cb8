package dev.handoff.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Any text becomes a code an audit record accepts as its actor and outcome: never free text, never a refused record. */
class AuditRecordCodeTest {

    @Test
    void actors_and_outcomes_become_safe_codes_of_at_most_64_characters() {
        assertThat(AuditRecord.code("alice@clinic.example")).isEqualTo("alice_clinic.example");
        assertThat(AuditRecord.code("front-desk:TIMED_OUT")).isEqualTo("front-desk:TIMED_OUT");
        assertThat(AuditRecord.code("a b\r\nc")).isEqualTo("a_b__c");
        assertThat(AuditRecord.code("x".repeat(70))).hasSize(64);
        assertThat(AuditRecord.code("é".repeat(70))).isEqualTo("_".repeat(64));
        assertThat(AuditRecord.code(null)).isEqualTo("unknown");
        assertThat(AuditRecord.code("")).isEqualTo("unknown");
    }

    @Test
    void every_code_is_accepted_as_an_actor_and_an_outcome() {
        for (String text : Arrays.asList("alice@clinic.example", "sip:+15551234567@pbx.example;transport=tls", "Ünïcode ☎",
                "x".repeat(300), "", null)) {
            String c = AuditRecord.code(text);
            AuditRecord r = new AuditRecord(Instant.EPOCH, c, AuditRecord.Action.CONTEXT_VIEWED, SessionId.of("s-1"), null, c);
            assertThat(r.actor()).as("from %s", text).isEqualTo(c);
            assertThat(r.outcome()).isEqualTo(c);
        }
    }
}
