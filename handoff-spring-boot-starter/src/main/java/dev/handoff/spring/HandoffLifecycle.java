package dev.handoff.spring;

import dev.handoff.core.Handoff;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes the {@link Handoff} when the application context stops. Its phase ({@link SmartLifecycle#DEFAULT_PHASE}) is
 * stopped before the web server's graceful shutdown and the web server itself, so handoffs still running return to the
 * bot ({@code RETURNED_TO_BOT}, cause {@code SHUT_DOWN}, with the bot's line) while the application can still tell
 * its customers; the threads Handoff created stop. Stopping is final: a stopped Handoff does not start again.
 */
public final class HandoffLifecycle implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffLifecycle.class);

    private final Handoff handoff;
    private volatile boolean running;

    public HandoffLifecycle(Handoff handoff) {
        this.handoff = Objects.requireNonNull(handoff, "handoff");
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        if (running) {
            running = false;
            LOG.info("Closing Handoff: running handoffs return to the bot");
            handoff.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
