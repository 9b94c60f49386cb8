package dev.handoff.core;

import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * What this package's handoff tests share: the {@link Handoff} under test (a test builds it into {@link #handoff}; it
 * is closed after each test) and agents who work on threads of their own ({@link #agents}, stopped after each test).
 */
abstract class HandoffFixture {

    /** Threads for agents taking offers (and other work a test does beside the bot). */
    protected final ExecutorService agents = Executors.newCachedThreadPool();
    /** The Handoff under test, or null before a test builds it. */
    protected Handoff handoff;

    @AfterEach
    void closeHandoffAndStopAgents() {
        agents.shutdownNow();
        if (handoff != null) {
            handoff.close();
        }
    }

    /**
     * Signs {@code agent} in to {@code queue} of the Handoff under test; on a thread of her own she then takes the next
     * offer (waiting up to 10 s) and accepts it.
     *
     * @return the queue
     */
    protected AgentQueue acceptsNextOffer(String queue, String agent) {
        AgentQueue q = handoff.chatQueues().orElseThrow().queue(queue);
        q.signIn(agent);
        agents.submit(() -> q.take(agent, Duration.ofSeconds(10)).map(Offer::accept));
        return q;
    }
}
