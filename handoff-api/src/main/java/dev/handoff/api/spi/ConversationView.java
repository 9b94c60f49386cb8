package dev.handoff.api.spi;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A read-only view of one conversation, given to the SPIs. The turn list is a consistent snapshot.
 */
public interface ConversationView {

    /**
     * The conversation's id.
     *
     * @return the session id
     */
    SessionId id();

    /**
     * Voice or chat.
     *
     * @return the channel the session was opened on
     */
    Channel channel();

    /**
     * When the conversation started.
     *
     * @return the instant the session was opened, on the injected clock
     */
    Instant startedAt();

    /**
     * All final turns so far.
     *
     * @return oldest first; a snapshot (later turns do not appear in it)
     */
    List<Turn> turns();

    /**
     * A turn still being spoken or typed.
     *
     * @return the in-flight turn, or empty when the bot reported none
     */
    Optional<Turn> inFlight();

    /**
     * What the bot knows about the customer.
     *
     * @return the customer data as of now ({@link CustomerData#UNKNOWN} when the bot gave none)
     */
    CustomerData customer();

    /**
     * Per-session state owned by an SPI implementation, created on first use. Lets an evaluator keep
     * incremental state (rolling means, counters) with the session instead of in a global map.
     *
     * @param key     identifies the state; use a private constant object or your class
     * @param initial creates the state on first access
     * @param <T>     the state's type
     * @return the state kept for {@code key}, created by {@code initial} on the first call
     */
    <T> T state(Object key, Supplier<T> initial);
}
