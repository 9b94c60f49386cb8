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
 * <p>Called by the orchestrator on its worker thread; both methods return at once and complete the stage on
 * the executor's own threads. A failed attempt completes <em>normally</em> with a non-connected
 * {@link TransferResult} (the orchestrator then tries the next fallback); completing exceptionally is for
 * bugs and is treated as {@link TransferResult.Outcome#FAILED}. An executor must never hang up on the customer
 * when a transfer fails, and must complete the stage within {@link TransferRequest#timeout()}.
 */
public interface TransferExecutor {

    /** The modes this executor can perform. */
    Set<TransferMode> modes();

    /**
     * The three-party check: can the AI leg be released, can the target accept, can the connector execute?
     * The default says yes to all three.
     */
    default CompletionStage<PreflightResult> preflight(TransferRequest request) {
        return CompletableFuture.completedFuture(PreflightResult.ready("no preflight checks for " + getClass().getSimpleName()));
    }

    /** Performs one attempt. */
    CompletionStage<TransferResult> transfer(TransferRequest request, TransferListener listener);
}
