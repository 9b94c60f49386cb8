package dev.handoff.core.internal;

import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners in order per session, one at a time, without holding any lock while a listener runs.
 *
 * <p>Each session with events on the way has a mailbox. {@link #publish} appends the event to it and delivers the
 * mailbox on the calling thread, unless another thread is already delivering that session's events, in which case
 * that thread delivers this one too, after the ones before it, and the caller waits until it has. So a session's
 * events reach listeners in the order they were appended, and when {@code publish} returns its event has been
 * delivered. A caller that must order an event against its own state appends it while holding its own lock
 * ({@link #append}, cheap, never calls a listener) and {@link #flush flushes} after releasing it, as
 * {@code HandoffRun} does. A listener that publishes an event of its own session gets it delivered after it returns
 * (no re-entry, no wait); a failing listener is logged and isolated. An empty mailbox is dropped, so idle sessions
 * cost nothing here. Listeners must be quick and must not block: they run on Handoff's threads and on the bot's, and
 * a publisher may wait for them.
 */
public final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final List<HandoffListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentMap<SessionId, Mailbox> mailboxes = new ConcurrentHashMap<>();

    public EventBus(List<HandoffListener> initial) {
        listeners.addAll(initial);
    }

    public void add(HandoffListener listener) {
        listeners.add(listener);
    }

    public void remove(HandoffListener listener) {
        listeners.remove(listener);
    }

    /** Appends the event to its session's mailbox and delivers what waits there, unless another thread is. */
    public void publish(HandoffEvent event) {
        append(event);
        flush(event.sessionId());
    }

    /**
     * Appends the event without delivering it; call {@link #flush(SessionId)} once the lock under which the event
     * was ordered is released.
     */
    public void append(HandoffEvent event) {
        enqueue(event.sessionId(), event);
    }

    /**
     * Appends an action that runs, on the delivering thread, after every event appended before it has reached every
     * listener (completing a future the bot waits on, say). It must be quick; a failure is logged.
     */
    public void appendAction(SessionId session, Runnable action) {
        enqueue(session, action);
    }

    private void enqueue(SessionId id, Object item) {
        while (true) {
            Mailbox box = mailboxes.computeIfAbsent(id, k -> new Mailbox());
            synchronized (box) {
                if (!box.closed) {
                    box.queue.add(item);
                    box.appended++;
                    return;
                }
            }
        }
    }

    /**
     * Delivers what waits for this session and returns once everything appended before this call has reached every
     * listener: on this thread when no other thread is delivering the session's events, else by waiting for that
     * thread to get there. Called from inside a listener of the same session it returns at once (the event is
     * delivered after the listener returns).
     */
    public void flush(SessionId session) {
        Mailbox box = mailboxes.get(session);
        if (box == null) {
            return;
        }
        synchronized (box) {
            if (box.closed || box.deliverer == Thread.currentThread()) {
                return;
            }
            if (box.deliverer != null) {
                long target = box.appended;
                box.waiters++;
                try {
                    while (box.delivered < target && !box.closed) {
                        box.wait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();   // the delivering thread still delivers it
                } finally {
                    box.waiters--;
                }
                return;
            }
            box.deliverer = Thread.currentThread();
        }
        while (true) {
            Object next;
            synchronized (box) {
                next = box.queue.poll();
                if (next == null) {
                    box.deliverer = null;
                    box.closed = true;
                    mailboxes.remove(session, box);
                    box.notifyAll();
                    return;
                }
            }
            try {
                if (next instanceof HandoffEvent event) {
                    deliver(event);
                } else {
                    run((Runnable) next);
                }
            } finally {
                synchronized (box) {
                    box.delivered++;
                    if (box.waiters > 0) {
                        box.notifyAll();
                    }
                }
            }
        }
    }

    /**
     * Waits (at most {@code millis}) until every event appended so far has reached every listener; for tests that
     * check what is left once a listener has heard the last event (later listeners may still be running).
     */
    public void awaitDelivered(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        for (Mailbox box : mailboxes.values()) {
            synchronized (box) {
                box.waiters++;
                try {
                    while (box.delivered < box.appended && !box.closed) {
                        long left = (end - System.nanoTime()) / 1_000_000L;
                        if (left <= 0) {
                            return;
                        }
                        box.wait(left);
                    }
                } finally {
                    box.waiters--;
                }
            }
        }
    }

    /** Sessions with events not yet delivered (for tests and diagnostics). */
    public int pendingSessions() {
        int n = 0;
        for (Mailbox box : mailboxes.values()) {
            synchronized (box) {
                if (box.delivered < box.appended) {
                    n++;
                }
            }
        }
        return n;
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("An action queued behind handoff events failed; ignoring", e);
        }
    }

    private void deliver(HandoffEvent event) {
        for (HandoffListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Handoff listener {} failed on {} for session {}; ignoring", listener, event.getClass().getSimpleName(),
                        event.sessionId(), e);
            }
        }
    }

    private static final class Mailbox {
        final ArrayDeque<Object> queue = new ArrayDeque<>(4);
        Thread deliverer;
        long appended;
        long delivered;
        int waiters;
        boolean closed;
    }
}
