package dev.handoff.desktop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The desktop's phase of a handoff never goes back once a human has it: on an instance that relays another's handoff,
 * a TRANSFERRING relayed after an agent here accepted the chat would otherwise refuse her messages as "accept first".
 */
class DeskHandoffPhaseTest {

    private static final Instant T = Instant.parse("2026-12-02T16:00:00Z");

    private static DeskHandoff handoff() {
        return new DeskHandoff(1, "h-1", SessionId.of("chat-1"), "northwind", T);
    }

    @Test
    void a_phase_before_connected_that_arrives_after_it_is_ignored() {
        DeskHandoff h = handoff();
        assertThat(h.phase(HandoffPhase.TRANSFERRING, T)).isTrue();
        assertThat(h.phase(HandoffPhase.CONNECTED, T)).isTrue();   // an agent here accepted

        assertThat(h.phase(HandoffPhase.TRANSFERRING, T)).as("relayed late").isFalse();
        assertThat(h.phase(HandoffPhase.AGENT_NOTIFIED, T)).isFalse();
        assertThat(h.phase()).isEqualTo(HandoffPhase.CONNECTED);

        assertThat(h.phase(HandoffPhase.CONNECTED, T)).as("the owner's own CONNECTED, relayed").isTrue();
        assertThat(h.phase(HandoffPhase.VERIFIED, T)).isTrue();
        assertThat(h.phase(HandoffPhase.CONNECTED, T)).as("verified is not un-verified").isFalse();
        assertThat(h.phase()).isEqualTo(HandoffPhase.VERIFIED);
    }

    @Test
    void an_ended_handoff_stays_ended_and_phases_before_a_human_move_freely() {
        DeskHandoff h = handoff();
        assertThat(h.phase(HandoffPhase.TRANSFERRING, T)).isTrue();
        assertThat(h.phase(HandoffPhase.AGENT_NOTIFIED, T)).as("the next target is notified").isTrue();
        assertThat(h.phase(HandoffPhase.CONNECTED, T)).isTrue();
        assertThat(h.phase(HandoffPhase.RETURNED_TO_BOT, T)).isTrue();
        assertThat(h.phase(HandoffPhase.CONNECTED, T)).isFalse();
        assertThat(h.phase()).isEqualTo(HandoffPhase.RETURNED_TO_BOT);
    }
}
