package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The ring of recent turns' fingerprints keeps each print whole, whatever the lengths of the prints that held its
 * slot before: rows are sized to the print they were first written with, and a slot reused by a longer print gets
 * a longer row.
 */
class PrintRingTest {

    @Test
    void every_print_reads_back_whole_as_the_ring_wraps_with_shorter_and_longer_prints() {
        SessionState.Prints ring = new SessionState.Prints();
        int[] lengths = {3, 17, 0, 32, 1, 9, 12, 5, 31, 2, 8, 8, 20, 4, 6, 11, 30, 7, 13, 16,   // first pass: 20 slots
            32, 1, 18, 2, 0, 25, 3, 9, 14, 6, 29, 10, 7, 21, 4, 15, 19, 26, 5, 12, 32, 2, 28};   // two more passes
        for (int turn = 0; turn < lengths.length; turn++) {
            long[] print = print(turn, lengths[turn]);
            ring.add(print, print.length, turn * 31L, turn);
            int recent = Math.min(turn + 1, ring.prints.length);
            for (int back = 0; back < recent; back++) {
                int slot = ring.slot(back);
                int was = turn - back;
                assertThat(ring.turnIndex[slot]).isEqualTo(was);
                assertThat(ring.lengths[slot]).isEqualTo(lengths[was]);
                assertThat(ring.sigs[slot]).isEqualTo(was * 31L);
                assertThat(Arrays.copyOf(ring.prints[slot], ring.lengths[slot]))
                        .as("turn %d's print, read %d turns later", was, back)
                        .containsExactly(print(was, lengths[was]));
            }
        }
    }

    @Test
    void a_row_is_as_long_as_the_first_print_written_to_it_and_grows_only_when_a_longer_one_comes() {
        SessionState.Prints ring = new SessionState.Prints();
        ring.add(print(0, 4), 4, 0, 0);
        assertThat(ring.prints[0]).hasSize(4);
        for (int turn = 1; turn < 20; turn++) {
            ring.add(print(turn, 1), 1, 0, turn);
        }
        long[] first = ring.prints[0];
        ring.add(print(20, 3), 3, 0, 20);   // slot 0 again, shorter: the row is kept
        assertThat(ring.prints[0]).isSameAs(first);
        for (int turn = 21; turn < 40; turn++) {
            ring.add(print(turn, 1), 1, 0, turn);
        }
        ring.add(print(40, 9), 9, 0, 40);   // slot 0 again, longer: a longer row
        assertThat(ring.prints[0]).hasSize(9).startsWith(print(40, 9));
    }

    private static long[] print(int turn, int length) {
        long[] p = new long[length];
        for (int i = 0; i < length; i++) {
            p[i] = turn * 1_000L + i;
        }
        return p;
    }
}
