package dev.handoff.eval;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** A conversation replayed turn by turn, the way {@code HandoffSession} presents it to the SPIs. Single-threaded. */
final class Replay implements ConversationView {

    private final SessionId id;
    private final CustomerData customer;
    private final List<Turn> turns = new ArrayList<>();
    private final Map<Object, Object> state = new HashMap<>();

    Replay(String id, CustomerData customer) {
        this.id = SessionId.of("eval-" + id.replaceAll("[^A-Za-z0-9._-]", "-"));
        this.customer = customer;
    }

    Turn add(EvalCase.CaseTurn t, Instant at) {
        Turn turn = new Turn(turns.size(), t.speaker(), t.text(), at, t.signals(), false);
        turns.add(turn);
        return turn;
    }

    @Override
    public SessionId id() {
        return id;
    }

    @Override
    public Channel channel() {
        return Channel.CHAT;
    }

    @Override
    public Instant startedAt() {
        return Corpus.START;
    }

    @Override
    public List<Turn> turns() {
        return Collections.unmodifiableList(turns);
    }

    @Override
    public Optional<Turn> inFlight() {
        return Optional.empty();
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
}
