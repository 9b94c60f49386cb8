package dev.handoff.core.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.text.Normalizer;
import dev.handoff.core.text.Scratch;
import dev.handoff.core.text.Words;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Loop similarity counts the content words two turns share whatever order their fingerprints hold them in (they are
 * kept in text order, unsorted): the count must be the size of the sets' intersection, including hashes that share
 * a signature bit without being equal.
 */
class FingerprintOverlapTest {

    @Test
    void shared_words_are_counted_in_any_order() {
        long[] a = fingerprint("the router keeps dropping the connection every evening after dinner").print();
        Print pb = fingerprint("every evening after dinner my connection drops and the router restarts");
        long[] b = pb.print();
        Set<Long> shared = new HashSet<>();
        for (long h : a) {
            shared.add(h);
        }
        Set<Long> inB = new HashSet<>();
        for (long h : b) {
            inB.add(h);
        }
        shared.retainAll(inB);
        assertThat(shared).hasSizeGreaterThanOrEqualTo(4);   // router, dropping/drops, connection, evening, dinner
        assertThat(LoopSignal.common(a, a.length, b, b.length, pb.signature())).isEqualTo(shared.size());
        long[] reversed = reverse(b);
        assertThat(LoopSignal.common(a, a.length, reversed, reversed.length, pb.signature())).isEqualTo(shared.size());
        assertThat(LoopSignal.jaccard(a, a.length, b, b.length, pb.signature()))
                .isEqualTo((double) shared.size() / (a.length + b.length - shared.size()));
    }

    @Test
    void a_hash_with_the_same_signature_bit_is_not_taken_for_a_shared_one() {
        long x = 0x0400_0000_0000_0001L;   // bit 1 of the signature
        long y = 0x0400_0000_0000_0002L;   // the same bit, another hash
        long z = 0x0800_0000_0000_0003L;
        long[] a = {x, z};
        long[] b = {y};
        assertThat(LoopSignal.common(a, 2, b, 1, 1L << 1)).isZero();
        assertThat(LoopSignal.common(new long[] {y, z}, 2, b, 1, 1L << 1)).isEqualTo(1);
    }

    /** A text's fingerprint and its signature, as the tokenizer gives them (FingerprintTest checks both). */
    private record Print(long[] print, long signature) {
    }

    private static Print fingerprint(String text) {
        Scratch s = new Scratch();
        Normalizer.normalize(text, s);
        Words.tokenize(s);
        return new Print(Arrays.copyOf(s.print, s.printLen), s.printSig);
    }

    private static long[] reverse(long[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }
}
