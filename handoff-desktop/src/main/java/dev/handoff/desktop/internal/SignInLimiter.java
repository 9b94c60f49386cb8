package dev.handoff.desktop.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per client address in a sliding window: past the limit, the address is refused (429) until its
 * oldest failure leaves the window, without the credential even being checked. A success clears the address. Holds at
 * most {@link #MAX_ADDRESSES} addresses; past that, the oldest are dropped at the next sweep.
 */
final class SignInLimiter {

    static final int MAX_ADDRESSES = 10_000;

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    SignInLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Zero when the address may try now, else how long it must wait. */
    Duration retryAfter(String address) {
        Deque<Instant> d = failures.get(address);
        if (d == null) {
            return Duration.ZERO;
        }
        synchronized (d) {
            Instant now = clock.instant();
            prune(d, now);
            if (d.size() < limit) {
                return Duration.ZERO;
            }
            Duration wait = Duration.between(now, d.peekFirst().plus(window));
            return wait.isNegative() || wait.isZero() ? Duration.ofSeconds(1) : wait;
        }
    }

    void failed(String address) {
        Deque<Instant> d = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (d) {
            d.addLast(clock.instant());
            while (d.size() > limit) {
                d.removeFirst();
            }
        }
    }

    void succeeded(String address) {
        failures.remove(address);
    }

    /** Forgets addresses whose failures have all left the window; caps the map. */
    void sweep() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> d = it.next().getValue();
            synchronized (d) {
                prune(d, now);
                if (d.isEmpty()) {
                    it.remove();
                }
            }
        }
        if (failures.size() > MAX_ADDRESSES) {
            failures.keySet().stream().limit(failures.size() - MAX_ADDRESSES).toList().forEach(failures::remove);
        }
    }

    private void prune(Deque<Instant> d, Instant now) {
        while (!d.isEmpty() && !d.peekFirst().plus(window).isAfter(now)) {
            d.removeFirst();
        }
    }
}
