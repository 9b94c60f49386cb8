package dev.handoff.examples.desktop;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link ContextStore} in a map, for the demo and tests until handoff-core's stores are wired in. Thread-safe. */
final class InMemoryContextStore implements ContextStore {

    private final Map<String, HandoffContext> byId = new ConcurrentHashMap<>();

    @Override
    public void put(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        byId.put(context.contextId(), context);
    }

    @Override
    public Optional<HandoffContext> get(String contextId) {
        return Optional.ofNullable(byId.get(contextId));
    }

    @Override
    public Optional<HandoffContext> latest(SessionId session) {
        return byId.values().stream()
                .filter(c -> c.sessionId().equals(session))
                .max(Comparator.comparing(HandoffContext::createdAt));
    }
}
