package dev.handoff.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditTest {

    @Test
    void actors_and_outcomes_become_safe_codes_of_at_most_64_characters() {
        assertThat(Audit.code("alice@clinic.example")).isEqualTo("alice_clinic.example");
        assertThat(Audit.code("front-desk:TIMED_OUT")).isEqualTo("front-desk:TIMED_OUT");
        assertThat(Audit.code("a b\r\nc")).isEqualTo("a_b__c");
        assertThat(Audit.code("x".repeat(70))).hasSize(64);
        assertThat(Audit.code("é".repeat(70))).isEqualTo("_".repeat(64));
        assertThat(Audit.code(null)).isEqualTo("unknown");
        assertThat(Audit.code("")).isEqualTo("unknown");
    }
}
