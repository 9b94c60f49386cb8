package dev.handoff.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts the commitment-ledger writes begun and ended for one session on this instance (its AI turns observed, the
 * commitments its bot records), so that a handoff can tell whether what it read from the ledger when packaging is
 * still the whole of the session's commitments when the agent connects, and skip reading them again. Commitments
 * are only ever added through the session's own instance; a verdict changes one that exists. Thread-safe.
 */
final class LedgerWrites {

    private final AtomicLong begun = new AtomicLong();
    private final AtomicLong ended = new AtomicLong();

    /** Runs a write to the session's ledger, counted. */
    <T> T write(Supplier<T> write) {
        begun.incrementAndGet();
        try {
            return write.get();
        } finally {
            ended.incrementAndGet();
        }
    }

    /**
     * A mark taken before reading the ledger, for {@link #unchangedSince}; -1 while a write is under way (what is
     * read then may or may not hold it).
     */
    long mark() {
        long b = begun.get();
        return ended.get() == b ? b : -1;
    }

    /** True when {@code mark} was a real mark and no write has begun since it was taken. */
    boolean unchangedSince(long mark) {
        return mark >= 0 && begun.get() == mark;
    }
}
