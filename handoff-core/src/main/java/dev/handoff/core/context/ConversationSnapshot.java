package dev.handoff.core.context;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * An immutable {@link ConversationView} over a transcript you already have: for re-packaging a stored
 * conversation, for tests, benchmarks and offline tools. Live conversations use {@code HandoffSession}.
 * Thread-safe; the SPI state map starts empty.
 */
public final class ConversationSnapshot implements ConversationView {

    private final SessionId id;
    private final Channel channel;
    private final Instant startedAt;
    private final List<Turn> turns;
    private final Turn inFlight;
    private final CustomerData customer;
    private final ConcurrentMap<Object, Object> state = new ConcurrentHashMap<>();

    /**
     * A snapshot of a conversation.
     *
     * @param id        the conversation
     * @param channel   voice or chat
     * @param startedAt when it started
     * @param turns     the final turns, oldest first
     * @param inFlight  nullable; a partial turn
     * @param customer  nullable ({@link CustomerData#UNKNOWN}); what is known about the customer
     */
    public ConversationSnapshot(SessionId id, Channel channel, Instant startedAt, List<Turn> turns, @Nullable Turn inFlight,
                                @Nullable CustomerData customer) {
        this.id = Objects.requireNonNull(id, "id");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.turns = List.copyOf(Objects.requireNonNull(turns, "turns"));
        this.inFlight = inFlight;
        this.customer = customer == null ? CustomerData.UNKNOWN : customer;
    }

    /**
     * Same as the constructor.
     *
     * @param id        the conversation
     * @param channel   voice or chat
     * @param startedAt when it started
     * @param turns     the final turns, oldest first
     * @param inFlight  nullable; a partial turn
     * @param customer  nullable ({@link CustomerData#UNKNOWN}); what is known about the customer
     * @return the snapshot
     */
    public static ConversationSnapshot of(SessionId id, Channel channel, Instant startedAt, List<Turn> turns, @Nullable Turn inFlight,
                                          @Nullable CustomerData customer) {
        return new ConversationSnapshot(id, channel, startedAt, turns, inFlight, customer);
    }

    @Override
    public SessionId id() {
        return id;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public List<Turn> turns() {
        return turns;
    }

    @Override
    public Optional<Turn> inFlight() {
        return Optional.ofNullable(inFlight);
    }

    @Override
    public CustomerData customer() {
        return customer;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Object key, Supplier<T> initial) {
        return (T) state.computeIfAbsent(key, k -> initial.get());
    }

    @Override
    public String toString() {
        return "ConversationSnapshot[" + id + ", " + channel + ", " + turns.size() + " turns]";
    }
}
