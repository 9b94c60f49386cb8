package dev.handoff.core.context;

import java.util.Random;
import java.util.function.Function;

/**
 * Random strings for comparing a hand-written scanner with the regular expression it replaced: up to
 * {@code maxPieces - 1} pieces, each drawn by {@code piece}, from a seeded {@link Random} so a failure names its input
 * and reruns the same.
 */
final class RandomText {

    private RandomText() {
    }

    static String of(Random random, int maxPieces, Function<Random, String> piece) {
        StringBuilder sb = new StringBuilder();
        for (int k = random.nextInt(maxPieces); k > 0; k--) {
            sb.append(piece.apply(random));
        }
        return sb.toString();
    }
}
