package dev.handoff.core.trigger;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.ConversationView;
import dev.handoff.api.spi.TriggerEvaluator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A conversation that feeds turns to an evaluator the way HandoffSession does, with a clock moved by hand. */
final class Conversation implements ConversationView {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private final TriggerEvaluator evaluator;
    private final List<Turn> turns = new ArrayList<>();
    private final Map<Object, Object> state = new ConcurrentHashMap<>();
    private final SessionId id;
    private CustomerData customer = CustomerData.UNKNOWN;
    private Instant now = START;

    Conversation(TriggerEvaluator evaluator) {
        this(evaluator, "s-1");
    }

    Conversation(TriggerEvaluator evaluator, String id) {
        this.evaluator = evaluator;
        this.id = SessionId.of(id);
    }

    HandoffDecision customer(String text) {
        return say(Speaker.CUSTOMER, text, null);
    }

    HandoffDecision customer(String text, NluSignals signals) {
        return say(Speaker.CUSTOMER, text, signals);
    }

    HandoffDecision ai(String text, NluSignals signals) {
        return say(Speaker.AI, text, signals);
    }

    HandoffDecision say(Speaker speaker, String text, NluSignals signals) {
        Turn turn = new Turn(turns.size(), speaker, text, now, signals, false);
        turns.add(turn);
        now = now.plusSeconds(5);
        return evaluator.evaluate(this, turn);
    }

    Conversation withCustomer(CustomerData data) {
        this.customer = data;
        return this;
    }

    void advance(Duration d) {
        now = now.plus(d);
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
        return START;
    }

    @Override
    public List<Turn> turns() {
        return List.copyOf(turns);
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
