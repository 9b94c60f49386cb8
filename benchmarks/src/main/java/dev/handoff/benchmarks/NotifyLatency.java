package dev.handoff.benchmarks;

import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the harnesses measure: each handoff's time from the trigger ({@code HandoffRequested}) to the agent notified
 * ({@code AgentNotified}), read from the events' own instants, in the order the agents were notified. Thread-safe.
 */
final class NotifyLatency implements HandoffListener {

    private final Map<SessionId, Instant> requested = new ConcurrentHashMap<>();
    private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onEvent(HandoffEvent e) {
        if (e instanceof HandoffEvent.HandoffRequested r) {
            requested.put(r.sessionId(), r.at());
        } else if (e instanceof HandoffEvent.AgentNotified a) {
            Instant at = requested.remove(a.sessionId());
            if (at != null) {
                samples.add(Duration.between(at, a.at()).toNanos());
            }
        }
    }

    /** The samples so far, nanoseconds, in the order the agents were notified (a live, synchronized view). */
    List<Long> samples() {
        return samples;
    }

    /** How many agents were notified so far. */
    int size() {
        return samples.size();
    }

    /** The samples so far, sorted. */
    long[] sorted() {
        synchronized (samples) {
            return samples.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }
}
