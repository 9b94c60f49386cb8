package dev.handoff.crm.transport;

import java.time.Duration;

/**
 * Waits between retries. The default sleeps the calling thread; tests inject one that records the waits and
 * returns at once, so fault-injection tests go through real HTTP without real back-off delays.
 *
 * <p>Called by {@link CrmHttpClient} on the thread that executes the request.
 */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps the calling thread with {@link Thread#sleep(long)}. */
    Sleeper SYSTEM = duration -> {
        long millis = duration.toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    };

    /**
     * Waits for {@code duration}.
     *
     * @throws InterruptedException when the waiting thread is interrupted; the caller stops retrying
     */
    void sleep(Duration duration) throws InterruptedException;
}
