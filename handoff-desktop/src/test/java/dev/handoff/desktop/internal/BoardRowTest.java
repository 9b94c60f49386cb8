package dev.handoff.desktop.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The wallboard reads each handoff as one moment: a handoff whose phase changes while the board is built is counted
 * under the phase its row shows ({@code WallboardTest}, beside a second build, got "TRANSFERRING: 0" beside a row in
 * TRANSFERRING when the two were read apart).
 */
class BoardRowTest {

    private static final Instant T = Instant.parse("2026-12-05T21:00:00Z");

    @Test
    void a_phase_changing_while_the_board_is_read_is_counted_under_the_phase_its_row_shows() throws Exception {
        DeskHandoff h = new DeskHandoff(1, "h-1", SessionId.of("chat-1"), "northwind", T);
        AtomicBoolean stop = new AtomicBoolean();
        Thread core = new Thread(() -> {
            boolean routed = false;
            while (!stop.get()) {
                h.phase(routed ? HandoffPhase.ROUTED : HandoffPhase.TRANSFERRING, T);
                routed = !routed;
            }
        }, "phase-changes");
        core.start();
        int read = 0;
        List<String> mismatched = new ArrayList<>();
        try {
            for (; read < 200_000 && mismatched.size() < 5; read++) {
                Map<HandoffPhase, Integer> byPhase = new EnumMap<>(HandoffPhase.class);
                List<Map<String, Object>> rows = new ArrayList<>();
                Board.addRow(h, byPhase, rows, new ArrayList<>(), new TreeMap<>());
                Object shown = rows.get(0).get("phase");
                if (byPhase.getOrDefault((HandoffPhase) shown, 0) != 1) {
                    mismatched.add("row " + shown + ", counts " + byPhase);
                }
            }
        } finally {
            stop.set(true);
            core.join();
        }
        assertThat(mismatched).as("boards read while the phase changed (%d read)", read).isEmpty();
        assertThat(h.phase()).as("the phase did change meanwhile").isIn(HandoffPhase.ROUTED, HandoffPhase.TRANSFERRING);
    }
}
