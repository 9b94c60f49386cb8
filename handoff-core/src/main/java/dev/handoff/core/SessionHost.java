package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.event.HandoffEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** What a {@link HandoffSession} needs from the runtime that opened it, and nothing more. */
interface SessionHost {

    Clock clock();

    Duration idleTimeout();

    void publish(HandoffEvent event);

    /** Evaluates the triggers on a turn the bot owns; never throws (an evaluator failure means continue). */
    HandoffDecision evaluate(HandoffSession session, Turn turn);

    /** Gives an AI turn to the commitment ledger; never throws. */
    void observeAiTurn(SessionId session, Turn turn);

    Commitment recordCommitment(SessionId session, Commitment commitment);

    /** Starts a handoff; the future completes with its outcome, never exceptionally. */
    CompletableFuture<HandoffOutcome> handOff(HandoffSession session, HandoffDecision decision);

    /** The session ended (explicitly or idle): end its handoff, publish SessionEnded, drop its state. */
    void ended(HandoffSession session, String reason);
}
