package dev.handoff.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataRetentionRecordsTest {

    private static final Instant T = Instant.parse("2026-03-02T14:05:00Z");

    @Test
    void a_purge_and_an_erasure_add_up_what_they_removed_and_keep_their_own_copies() {
        Map<String, Long> removed = new HashMap<>(Map.of("contexts", 3L, "tickets", 2L));
        List<SessionId> sessions = new ArrayList<>(List.of(SessionId.of("s-1")));

        DataRetention.Purge purge = new DataRetention.Purge(T, removed);
        DataRetention.Erasure erasure = new DataRetention.Erasure(T, sessions, removed);
        removed.put("contexts", 100L);
        sessions.clear();

        assertThat(purge.total()).isEqualTo(5);
        assertThat(erasure.total()).isEqualTo(5);
        assertThat(erasure.sessions()).containsExactly(SessionId.of("s-1"));
        assertThatThrownBy(() -> new DataRetention.Purge(null, Map.of())).isInstanceOf(NullPointerException.class).hasMessage("cutoff");
        assertThatThrownBy(() -> new DataRetention.Erasure(null, List.of(), Map.of())).isInstanceOf(NullPointerException.class).hasMessage("at");
    }

    @Test
    void an_erasure_is_an_audit_action_that_carries_no_customer_text() {
        AuditRecord r = new AuditRecord(T, "privacy-desk", AuditRecord.Action.CUSTOMER_DATA_ERASED, SessionId.of("s-1"), null, "erased");

        assertThat(r.action()).isEqualTo(AuditRecord.Action.CUSTOMER_DATA_ERASED);
        assertThatThrownBy(() -> new AuditRecord(T, "privacy-desk", AuditRecord.Action.CUSTOMER_DATA_ERASED, SessionId.of("s-1"), null,
                "erased jane doe"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
