package dev.handoff.api.spi;

import dev.handoff.api.PreflightResult;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Moves the conversation to one target (phase 3): a SIP REFER, an attended transfer, or an offer to a chat
 * queue.
 *
 * <p>Called by the orchestrator on one of Handoff's worker threads; both methods must return at once (no
 * blocking: nothing waits for an agent or the network on the caller's thread) and complete the stage on the
 * executor's own threads. When the orchestrator stops waiting for an attempt (its timeout, or the customer's
 * overall wait limit) it cancels the stage ({@code toCompletableFuture().cancel(true)}); an executor withdraws
 * the attempt then (withdraws the queue offer, stops ringing) and must not report it connected later. A failed attempt completes <em>normally</em> with a non-connected
 * {@link TransferResult} (the orchestrator then tries the next fallback); completing exceptionally is for
 * bugs and is treated as {@link TransferResult.Outcome#FAILED}. An executor must never hang up on the customer
 * when a transfer fails, and must complete the stage within {@link TransferRequest#timeout()}.
 */
public interface TransferExecutor {

    /**
     * The modes this executor can perform; the orchestrator asks for one of them only.
     *
     * @return cold, warm, or both
     */
    Set<TransferMode> modes();

    /**
     * The three-party check: can the AI leg be released, can the target accept, can the connector execute?
     * The default says yes to all three. Must not block; complete the stage on the executor's own threads.
     *
     * @param request the attempt about to be made
     * @return a stage completing with what each party answered
     */
    default CompletionStage<PreflightResult> preflight(TransferRequest request) {
        return CompletableFuture.completedFuture(PreflightResult.ready("no preflight checks for " + getClass().getSimpleName()));
    }

    /**
     * Performs one attempt. Must not block; the stage completes on the executor's own threads.
     *
     * @param request  the attempt: target, mode, ticket, headers, timeout
     * @param listener receives protocol progress as it happens
     * @return a stage completing normally with how the attempt ended (also when it failed), within the timeout
     */
    CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener);
}
