package dev.handoff.core;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import java.util.Optional;

/** What an {@link AgentRelay} may use of the runtime: its handles, phases and events, and its scheduler. */
record RelayHost(HandoffRuntime runtime, Scheduler scheduler) implements AgentRelay.Host {

    @Override
    public Optional<AgentActions> local(String contextId) {
        return runtime.orchestrator.actions(contextId).map(a -> a);
    }

    @Override
    public Optional<HandoffPhase> phase(SessionId sessionId) {
        return runtime.orchestrator.phase(sessionId);
    }

    @Override
    public void addListener(HandoffListener listener) {
        runtime.events.add(listener);
    }

    @Override
    public void removeListener(HandoffListener listener) {
        runtime.events.remove(listener);
    }
}
