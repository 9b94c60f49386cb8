package dev.handoff.core;

import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import java.util.Optional;

/**
 * Lets an agent served by one instance act on a handoff that another instance runs. The agent side (the desktop)
 * asks {@link Handoff#agentActions(String)}, which answers with the local handle when this process runs the handoff,
 * and otherwise with {@link #remote}: a handle whose actions travel to the instance that runs it (the owner), are
 * applied there once through that instance's own {@link AgentActions}, and whose results come back. What happens on
 * the owner afterwards (the customer's replies, commitments, reads, phases) reaches this instance's
 * {@linkplain #addListener relay listeners}, never its ordinary Handoff listeners (those are for the conversations
 * this process holds: a bot host must not deliver another instance's agent messages).
 *
 * <p>The default, {@link #none()}, relays nothing: a handoff can be acted on only where it runs. The PostgreSQL
 * implementation in handoff-postgres ({@code PostgresAgentRelay}) carries actions and events through the database.
 *
 * <p>Threading: {@link #remote} is called on the agent side's threads (a desktop request) and may read the database;
 * the returned handle's methods block until the owner answered or a bounded wait ran out. {@link #attach} is called
 * once when the {@link Handoff} is built, {@link #close} once when it closes (before its running handoffs end).
 * Implementations are thread-safe.
 */
public interface AgentRelay {

    /** What the runtime offers a relay: its own handles and events, to serve actions that other instances send here. */
    interface Host {

        /**
         * The handle of a handoff this process runs, by its context id.
         *
         * @param contextId the packaged context's id
         * @return the handle; empty when this process runs no handoff with that context
         */
        Optional<AgentActions> local(String contextId);

        /**
         * The phase of the session's handoff on this instance, while it runs here.
         *
         * @param sessionId the conversation
         * @return the phase; empty when no handoff of that session runs here
         */
        Optional<dev.handoff.api.HandoffPhase> phase(dev.handoff.api.SessionId sessionId);

        /**
         * Listens to this instance's own events (to relay those of handoffs an agent elsewhere works on).
         *
         * @param listener called in order per handoff on the runtime's event thread
         */
        void addListener(HandoffListener listener);

        /**
         * Stops a listener added with {@link #addListener}.
         *
         * @param listener the listener
         */
        void removeListener(HandoffListener listener);

        /**
         * The Handoff's one scheduler (polls are timed here and hand real work to a thread of their own).
         *
         * @return the scheduler
         */
        Scheduler scheduler();
    }

    /**
     * The handle of a handoff that another instance runs, found by its packaged context.
     *
     * @param contextId the packaged context's id (from the ticket or the offer)
     * @return empty when no other instance runs a handoff with this context (unknown, or ended)
     * @throws dev.handoff.api.RetriableHandoffException when the shared state cannot be read now
     */
    Optional<AgentActions> remote(String contextId);

    /**
     * Receives the events of remote handoffs this instance acts on: turns recorded after the handoff, commitment
     * updates, reads, phase changes, the connection and the return to the bot. Called on the relay's own thread, in
     * order per handoff.
     *
     * @param listener the listener
     */
    void addListener(HandoffListener listener);

    /**
     * Stops a listener added with {@link #addListener}.
     *
     * @param listener the listener
     */
    void removeListener(HandoffListener listener);

    /**
     * Called once when the Handoff is built.
     *
     * @param host what the runtime offers the relay
     */
    default void attach(Host host) {
    }

    /** Called once when the Handoff closes, before its running handoffs end. */
    default void close() {
    }

    /**
     * Relays nothing: the default.
     *
     * @return the no-op relay
     */
    static AgentRelay none() {
        return None.INSTANCE;
    }

    /** The no-op default. */
    enum None implements AgentRelay {
        /** The one instance. */
        INSTANCE;

        @Override
        public Optional<AgentActions> remote(String contextId) {
            return Optional.empty();
        }

        @Override
        public void addListener(HandoffListener listener) {
        }

        @Override
        public void removeListener(HandoffListener listener) {
        }
    }
}
