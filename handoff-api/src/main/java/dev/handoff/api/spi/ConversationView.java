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

    SessionId id();

    Channel channel();

    /** When the conversation started. */
    Instant startedAt();

    /** All final turns so far, oldest first (a snapshot; later turns do not appear in it). */
    List<Turn> turns();

    /** A turn still being spoken or typed, if the bot reported one. */
    Optional<Turn> inFlight();

    CustomerData customer();

    /**
     * Per-session state owned by an SPI implementation, created on first use. Lets an evaluator keep
     * incremental state (rolling means, counters) with the session instead of in a global map.
     *
     * @param key     identifies the state; use a private constant object or your class
     * @param initial creates the state on first access
     */
    <T> T state(Object key, Supplier<T> initial);
}
