package dev.handoff.core;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.ConversationView;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * One conversation. The bot records every turn here and gets a {@link HandoffDecision} back; when the decision
 * says hand off, the bot calls {@link #handOff(HandoffDecision)} and keeps the customer engaged until the
 * returned stage completes.
 *
 * <p>Threading: one writer (the bot's conversation thread records turns) and any number of readers (the
 * desktop, the orchestrator) are safe: readers see consistent snapshots. Sessions end explicitly
 * ({@link #end(String)}) or after {@link HandoffSettings#idleTimeout() idle timeout} without a turn (a sweep on
 * Handoff's scheduler ends idle sessions by itself). Ending a session ends its running handoff (the outcome says
 * {@link HandoffOutcome.Cause#SESSION_ENDED}) and releases everything Handoff held for it.
 */
public final class HandoffSession implements ConversationView {

    /** Who may speak to the customer. */
    public enum Owner {
        /** The bot converses. */
        BOT,
        /** A handoff is under way: the bot keeps the customer engaged with bridge content, nothing more. */
        HANDOFF_IN_PROGRESS,
        /** A human has the conversation: the bot must stay silent. */
        HUMAN
    }

    private final SessionHost host;
    private final SessionId id;
    private final Channel channel;
    private final Instant startedAt;
    private final ConcurrentMap<Object, Object> state = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    /** This session's writes to the commitment ledger, counted (a handoff reads the ledger once when nothing changed). */
    final LedgerWrites ledgerWrites = new LedgerWrites();

    private volatile Turn[] turns = new Turn[16];
    private volatile int size;
    private volatile Turn inFlight;
    private volatile CustomerData customer;
    private volatile Instant lastActivity;
    private volatile String endReason;
    private volatile Owner owner = Owner.BOT;
    private volatile CompletableFuture<HandoffOutcome> current;

    HandoffSession(SessionHost host, SessionId id, Channel channel, CustomerData customer, Instant now) {
        this.host = host;
        this.id = id;
        this.channel = channel;
        this.customer = customer;
        this.startedAt = now;
        this.lastActivity = now;
    }

    /**
     * Records what the customer said and evaluates the triggers.
     *
     * @param text what the customer said
     * @return the trigger evaluator's decision; hand off when {@link HandoffDecision#isHandoff()}
     * @throws SessionEndedException when the session ended or idled out
     * @throws dev.handoff.api.ValidationException when a signal is out of range (the turn is not recorded)
     */
    public HandoffDecision customer(String text) {
        return record(Speaker.CUSTOMER, text, null);
    }

    /**
     * Records what the customer said, with the bot's NLU signals, and evaluates the triggers.
     *
     * @param text    what the customer said
     * @param signals the bot's NLU signals for the turn
     * @return the trigger evaluator's decision; hand off when {@link HandoffDecision#isHandoff()}
     * @throws SessionEndedException when the session ended or idled out
     * @throws dev.handoff.api.ValidationException when a signal is out of range (the turn is not recorded)
     */
    public HandoffDecision customer(String text, NluSignals signals) {
        return record(Speaker.CUSTOMER, text, signals);
    }

    /**
     * Records what the AI said (its commitments are extracted into the ledger) and evaluates the triggers.
     *
     * @param text what the AI said
     * @return the trigger evaluator's decision
     * @throws SessionEndedException when the session ended or idled out
     * @throws dev.handoff.api.ValidationException when a signal is out of range (the turn is not recorded)
     */
    public HandoffDecision ai(String text) {
        return record(Speaker.AI, text, null);
    }

    /**
     * Records what the AI said with its confidence and intent signals.
     *
     * @param text    what the AI said
     * @param signals the bot's confidence, intent and sentiment for the turn
     * @return the trigger evaluator's decision
     * @throws SessionEndedException when the session ended or idled out
     * @throws dev.handoff.api.ValidationException when a signal is out of range (the turn is not recorded)
     */
    public HandoffDecision ai(String text, NluSignals signals) {
        return record(Speaker.AI, text, signals);
    }

    /**
     * Records a final turn. The trigger evaluator runs only while the bot owns the conversation; an evaluator
     * failure is logged and treated as "continue".
     *
     * @param speaker who said it
     * @param text    what was said (may be empty)
     * @param signals nullable; the bot's NLU signals for the turn
     * @return the trigger evaluator's decision; {@link HandoffDecision#proceed()} when the bot does not own the
     *         conversation
     * @throws SessionEndedException when the session ended or idled out
     * @throws dev.handoff.api.ValidationException when a confidence is outside 0..1 or a sentiment outside -1..1
     *                                             (the turn is not recorded)
     */
    public HandoffDecision record(Speaker speaker, String text, @Nullable NluSignals signals) {
        Turn turn = append(speaker, text, signals);
        try {
            MDC.put("handoff.session", id.value());
            if (speaker == Speaker.AI) {
                ledgerWrites.write(() -> {
                    host.observeAiTurn(id, turn);
                    return null;
                });
            }
            return owner == Owner.BOT ? host.evaluate(this, turn) : HandoffDecision.proceed();
        } finally {
            MDC.remove("handoff.session");
        }
    }

    /**
     * Appends a final turn and publishes {@link HandoffEvent.TurnRecorded}, without evaluating triggers: the human
     * side's turns (an agent's chat message, a hand-back note) go through here.
     *
     * @throws SessionEndedException when the session ended or idled out
     */
    Turn append(Speaker speaker, String text, @Nullable NluSignals signals) {
        Objects.requireNonNull(speaker, "speaker");
        Objects.requireNonNull(text, "text");
        if (signals != null && !signals.violations().isEmpty()) {
            throw new dev.handoff.api.ValidationException("NLU signals of a " + speaker + " turn", signals.violations());
        }
        Turn turn;
        synchronized (writeLock) {
            ensureOpen();
            Instant now = host.clock().instant();
            turn = new Turn(size, speaker, text, now, signals, false);
            Turn[] array = turns;
            if (size == array.length) {
                array = Arrays.copyOf(array, array.length * 2);
            }
            array[size] = turn;
            turns = array;
            size = size + 1;
            if (inFlight != null && inFlight.speaker() == speaker) {
                inFlight = null;
            }
            lastActivity = now;
        }
        host.publish(new HandoffEvent.TurnRecorded(id, turn.timestamp(), turn));
        return turn;
    }

    /**
     * Gives a session opened to adopt a handoff whose owner died the transcript its stored context holds, so the
     * conversation is known here and later turns continue its numbering (an agent watching from another instance
     * already has turns 0 to n-1 and would take a new turn 0 for one it has). No event is published: these turns
     * were published where they were recorded. Called by the runtime before the session is visible; ignored when
     * the session already has turns.
     */
    void restore(java.util.List<Turn> earlier) {
        synchronized (writeLock) {
            if (size > 0 || earlier.isEmpty()) {
                return;
            }
            Turn[] array = new Turn[Math.max(16, Integer.highestOneBit(earlier.size()) * 2)];
            for (Turn t : earlier) {
                if (t.index() != size) {
                    break;   // not a dense transcript (never written so): keep what is in order
                }
                array[size] = t;
                size = size + 1;
            }
            turns = array;
        }
    }

    /**
     * Reports a turn still being spoken or typed (streaming ASR, typing indicator). It is included in the
     * context if a handoff starts before it is final; {@code null} clears it. Called on the bot's thread.
     *
     * @param speaker     who is speaking or typing
     * @param partialText nullable; the text so far, or null to clear the in-flight turn
     */
    public void inFlight(Speaker speaker, @Nullable String partialText) {
        synchronized (writeLock) {
            inFlight = partialText == null ? null
                    : new Turn(size, speaker, partialText, host.clock().instant(), null, true);
        }
    }

    /**
     * Records a commitment the bot made through its own tools (not detected from text).
     *
     * @param commitment the commitment; the ledger gives it the session's next id
     * @return the commitment as recorded, with its id
     */
    public Commitment commit(Commitment commitment) {
        return ledgerWrites.write(() -> host.recordCommitment(id, commitment));
    }

    /**
     * Replaces the collected customer data (new fields collected, account identified).
     *
     * @param data the new data; replaces the old
     * @throws NullPointerException when {@code data} is null
     */
    public void updateCustomer(CustomerData data) {
        this.customer = Objects.requireNonNull(data, "data");
    }

    /**
     * Starts the handoff (phases 2 to 5) and returns at once; no thread waits for it. Until the stage completes
     * the bot keeps the customer engaged with the {@link HandoffEvent.BridgeMessage}s it receives ({@link #owner()}
     * is {@link Owner#HANDOFF_IN_PROGRESS}); when it completes CONNECTED the bot must stop speaking; RETURNED_TO_BOT
     * means no human could take it within the wait limit ({@link HandoffOutcome#cause()} says why) and the bot
     * resumes with {@link HandoffOutcome#summaryForBot()}. The stage never completes exceptionally. Calling again
     * while a handoff is running returns the running one.
     *
     * @param decision a HANDOFF or SILENT_ALARM decision
     * @return a stage completing with how the handoff ended (CONNECTED or RETURNED_TO_BOT)
     * @throws IllegalArgumentException when the decision is {@code CONTINUE}
     * @throws SessionEndedException     when the session ended or idled out
     */
    public CompletionStage<HandoffOutcome> handOff(HandoffDecision decision) {
        Objects.requireNonNull(decision, "decision");
        if (!decision.isHandoff()) {
            throw new IllegalArgumentException("handOff needs a HANDOFF or SILENT_ALARM decision, was " + decision.action());
        }
        if (size == 0) {
            // the context needs the triggering utterance; when the bot hands off before anyone spoke, say why
            record(Speaker.SYSTEM, "Handoff requested: " + decision.reasons().get(0).detail(), null);
        }
        synchronized (writeLock) {
            ensureOpen();
            if (current != null && !current.isDone()) {
                return current;
            }
            owner = Owner.HANDOFF_IN_PROGRESS;
            current = new CompletableFuture<>();
        }
        CompletableFuture<HandoffOutcome> result = current;
        host.handOff(this, decision).whenComplete((o, e) -> result.complete(o));
        return result;
    }

    /**
     * Hands off because the bot itself decided so (a tool call, a button), with the given reason.
     *
     * @param why why, in a sentence (goes into the reason's detail and the context)
     * @return as {@link #handOff}
     * @throws SessionEndedException when the session ended or idled out
     */
    public CompletionStage<HandoffOutcome> requestHuman(String why) {
        return handOff(HandoffDecision.handoff(Priority.NORMAL,
                List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "bot.request", why)), null));
    }

    void ownerChanged(Owner newOwner) {
        owner = newOwner;
    }

    /**
     * Ends the session; later turns are refused. Idempotent.
     *
     * @param reason why, for the {@code SessionEnded} event
     */
    public void end(String reason) {
        boolean first;
        synchronized (writeLock) {
            first = endReason == null;
            if (first) {
                endReason = Objects.requireNonNull(reason, "reason");
            }
        }
        if (first) {
            host.ended(this, reason);
        }
    }

    /**
     * True after {@link #end} or when the idle timeout has passed since the last turn, whoever owns the conversation,
     * except while a handoff is in progress (its own wait limit bounds that). A conversation a human took over and
     * nobody records turns for any more (a voice call that left the bot) ends like any other, releasing its state.
     *
     * @return whether turns are now refused
     */
    public boolean isEnded() {
        return endReason != null || idleExpired();
    }

    boolean idleExpired() {
        return owner != Owner.HANDOFF_IN_PROGRESS && !host.clock().instant().isBefore(lastActivity.plus(host.idleTimeout()));
    }

    /**
     * Who may speak to the customer now; changes as a handoff runs and ends.
     *
     * @return the current owner
     */
    public Owner owner() {
        return owner;
    }

    /**
     * When the last turn was recorded.
     *
     * @return the instant of the last recorded turn (the session's start before the first)
     */
    public Instant lastActivity() {
        return lastActivity;
    }

    private void ensureOpen() {
        if (endReason != null) {
            throw new SessionEndedException(id, endReason);
        }
        if (idleExpired()) {
            endReason = "idle for " + host.idleTimeout();
            host.ended(this, endReason);
            throw new SessionEndedException(id, endReason);
        }
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
        int n = size;
        Turn[] array = turns;
        return Collections.unmodifiableList(Arrays.asList(array).subList(0, n));
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
        Object existing = state.get(key);   // the per-turn path: no lambda, no allocation
        if (existing != null) {
            return (T) existing;
        }
        return (T) state.computeIfAbsent(key, k -> initial.get());
    }

    @Override
    public String toString() {
        return "HandoffSession[" + id + ", " + channel + ", " + size + " turns, owner " + owner + "]";
    }
}
