package dev.handoff.core.internal;

import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events to listeners on the caller's thread; a failing listener is logged and isolated. */
public final class EventBus {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final List<HandoffListener> listeners = new CopyOnWriteArrayList<>();

    public EventBus(List<HandoffListener> initial) {
        listeners.addAll(initial);
    }

    public void add(HandoffListener listener) {
        listeners.add(listener);
    }

    public void remove(HandoffListener listener) {
        listeners.remove(listener);
    }

    public void publish(HandoffEvent event) {
        for (HandoffListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("Handoff listener {} failed on {} for session {}; ignoring", listener, event.getClass().getSimpleName(),
                        event.sessionId(), e);
            }
        }
    }
}
