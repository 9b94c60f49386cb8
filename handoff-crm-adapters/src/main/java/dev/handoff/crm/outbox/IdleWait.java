package dev.handoff.crm.outbox;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How an idle {@link OutboxDispatcher} worker waits: until a submit {@linkplain #signal signals}, a retry this
 * dispatcher scheduled falls due, or the poll interval has passed, whichever comes first. Thread-safe.
 */
final class IdleWait {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** When retries this dispatcher scheduled fall due (System.nanoTime). */
    private final ConcurrentSkipListSet<Long> wakeUps = new ConcurrentSkipListSet<>();
    private final long pollNanos;
    private long signals;

    IdleWait(long pollNanos) {
        this.pollNanos = pollNanos;
    }

    /** The signal count to pass to {@link #await}; read before looking at the store, so no signal is missed. */
    long seen() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting worker (new work was stored). */
    void signal() {
        lock.lock();
        try {
            signals++;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Remembers that a retry falls due at {@code nanoTime}. */
    void wakeAt(long nanoTime) {
        wakeUps.add(nanoTime);
    }

    /**
     * Waits until a signal after {@code seen}, the next remembered retry (unless {@code pollOnly}), the poll interval,
     * or until {@code running} turns false (checked on every wake; {@code close()} interrupts).
     */
    void await(long seen, boolean pollOnly, BooleanSupplier running) {
        long now = System.nanoTime();
        long until = now + pollNanos;
        while (!pollOnly && !wakeUps.isEmpty()) {
            Long first = wakeUps.first();
            if (first - now > 0) {
                until = Math.min(until, first);
                break;
            }
            wakeUps.remove(first); // passed: the claim that just ran looked at it
        }
        lock.lock();
        try {
            while (running.getAsBoolean() && signals == seen) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                work.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // close() interrupts; the caller checks running
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        wakeUps.clear();
    }
}
