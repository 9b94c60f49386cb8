package dev.handoff.postgres;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a state that announces itself with no event (a row in the database, a queue's view of itself, callers
 * parked behind a write), checking every 10 ms; fails naming {@code what} when {@code timeout} passes first. The
 * timeout bounds a failure, it is never what a test waits for.
 */
final class Await {

    private Await() {
    }

    static void until(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        if (!within(condition, timeout)) {
            throw new AssertionError(what + ": not within " + timeout);
        }
    }

    /** Whether the condition held within {@code timeout}: for a wait on a thread whose failure the test checks later. */
    static boolean within(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
