package dev.handoff.core.internal;

import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AgentNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default notifier when no desktop is wired: logs the context id and target (never transcript text). */
public final class LoggingAgentNotifier implements AgentNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingAgentNotifier.class);

    @Override
    public void notify(AgentNotification n) {
        LOG.info("Incoming handoff for {}: context {} (session {}, priority {})", n.target().id(), n.context().contextId(),
                n.context().sessionId(), n.context().metadata().priority());
    }
}
