package dev.handoff.core.store;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Keeps contexts in memory: fast, lost on restart. The default {@link ContextStore}. */
public final class InMemoryContextStore implements ContextStore {

    private final ConcurrentMap<String, HandoffContext> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, HandoffContext> latest = new ConcurrentHashMap<>();

    @Override
    public void put(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        byId.put(context.contextId(), context);
        latest.merge(context.sessionId(), context, (old, neu) -> neu.createdAt().isBefore(old.createdAt()) ? old : neu);
    }

    @Override
    public Optional<HandoffContext> get(String contextId) {
        return Optional.ofNullable(byId.get(contextId));
    }

    @Override
    public Optional<HandoffContext> latest(SessionId session) {
        return Optional.ofNullable(latest.get(session));
    }
}
