package dev.handoff.core;

import dev.handoff.api.SessionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link VerificationDeadlines#inMemory()}: one timer per session on the Handoff's scheduler. Thread-safe. */
final class InMemoryVerificationDeadlines implements VerificationDeadlines {

    private final Map<SessionId, Timer> timers = new ConcurrentHashMap<>();
    private volatile Host host;

    private record Timer(Instant due, Scheduler.Cancellable task) {
    }

    @Override
    public void attach(Host h) {
        if (host != null) {
            throw new IllegalStateException("in-memory verification deadlines already serve another Handoff");
        }
        host = Objects.requireNonNull(h, "host");
    }

    @Override
    public void schedule(SessionId session, Instant due) {
        Host h = attached();
        Duration delay = Duration.between(h.clock().instant(), due);
        Timer previous = timers.put(session, new Timer(due, h.scheduler().schedule(delay, () -> fire(session, due))));
        if (previous != null) {
            previous.task().cancel();
        }
    }

    @Override
    public boolean cancel(SessionId session) {
        Timer t = timers.remove(session);
        if (t != null) {
            t.task().cancel();
        }
        return t != null;
    }

    @Override
    public Optional<Instant> deadline(SessionId session) {
        Timer t = timers.get(session);
        return t == null ? Optional.empty() : Optional.of(t.due());
    }

    @Override
    public int running() {
        return timers.size();
    }

    @Override
    public void close() {
        for (SessionId session : timers.keySet()) {
            cancel(session);
        }
    }

    private void fire(SessionId session, Instant due) {
        Timer t = timers.get(session);
        if (t == null || !t.due().equals(due)) {
            return;   // restarted or cancelled since
        }
        timers.remove(session, t);
        attached().overdue(session, due);
    }

    private Host attached() {
        Host h = host;
        if (h == null) {
            throw new IllegalStateException("verification deadlines used before the Handoff attached them");
        }
        return h;
    }
}
