package dev.handoff.core;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Checks, as a listener sees them, that every handoff's events arrive in order: phase sequence numbers 0, 1, 2, ...
 * with no gap or repeat, every move allowed by {@link HandoffPhase#next()}, the request before the first phase, and
 * nothing of a handoff after its final phase. Also remembers what each session heard, to check nobody was left in
 * silence.
 */
final class PhaseOrderListener implements HandoffListener {

    private final Map<String, List<HandoffEvent.PhaseChanged>> byHandoff = new ConcurrentHashMap<>();
    private final Map<SessionId, List<HandoffEvent>> bySession = new ConcurrentHashMap<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(HandoffEvent event) {
        List<HandoffEvent> heard = bySession.computeIfAbsent(event.sessionId(), s -> new ArrayList<>());
        synchronized (heard) {
            heard.add(event);
        }
        synchronized (this) {
            notifyAll();
        }
        if (event instanceof HandoffEvent.PhaseChanged p) {
            List<HandoffEvent.PhaseChanged> seen = byHandoff.computeIfAbsent(p.handoffId(), h -> new ArrayList<>());
            synchronized (seen) {
                if (seen.isEmpty()) {
                    if (p.sequence() != 0 || p.phase() != HandoffPhase.REQUESTED) {
                        violations.add(p.handoffId() + " began with " + p.phase() + " #" + p.sequence());
                    }
                    if (heard.stream().noneMatch(e -> e instanceof HandoffEvent.HandoffRequested)) {
                        violations.add(p.handoffId() + ": phase REQUESTED before HandoffRequested");
                    }
                } else {
                    HandoffEvent.PhaseChanged last = seen.get(seen.size() - 1);
                    if (p.sequence() != last.sequence() + 1) {
                        violations.add(p.handoffId() + ": sequence " + p.sequence() + " after " + last.sequence());
                    }
                    if (!last.phase().next().contains(p.phase())) {
                        violations.add(p.handoffId() + ": " + last.phase() + " -> " + p.phase() + " is not allowed");
                    }
                }
                seen.add(p);
            }
        }
    }

    /** Every event the session's listener received, in the order received. */
    List<HandoffEvent> heard(SessionId session) {
        List<HandoffEvent> heard = bySession.getOrDefault(session, List.of());
        synchronized (heard) {
            return List.copyOf(heard);
        }
    }

    /** Waits (at most 10 s of real time) until the session has heard an event of this type; fails otherwise. */
    synchronized void await(SessionId session, Class<? extends HandoffEvent> type) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (heard(session).stream().noneMatch(type::isInstance)) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(session + " heard no " + type.getSimpleName() + ": " + heard(session));
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** The phases of every handoff, in the order received. */
    Map<String, List<HandoffEvent.PhaseChanged>> phases() {
        return byHandoff;
    }
}
