package dev.handoff.sip;

import dev.handoff.api.TransferRequest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The whisper window of a warm transfer: the time between the agent answering the consult call and the REFER
 * that bridges the customer in. The bot uses it to play the whisper summary to the agent.
 *
 * <p>Called by {@link SipTransferExecutor} on one of the user agent's threads when the consult call is answered;
 * must not block. The REFER is sent when the returned stage completes; a stage that completes exceptionally ends
 * the attempt as {@code FAILED} (the consult call is hung up, the customer stays with the bot). The attempt's
 * timeout still applies.
 */
@FunctionalInterface
public interface WhisperWindow {

    CompletionStage<?> open(TransferRequest request, CallLeg agentLeg);

    /** No whisper window: bridge as soon as the agent answers. */
    static WhisperWindow none() {
        return (request, agentLeg) -> CompletableFuture.completedFuture(null);
    }

    /** A fixed window, for a recorded or synthesized whisper of known length. */
    static WhisperWindow fixed(Duration length) {
        Objects.requireNonNull(length, "length");
        if (length.isNegative()) {
            throw new IllegalArgumentException("whisper window must not be negative, was " + length);
        }
        return (request, agentLeg) -> CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(length.toNanos(), TimeUnit.NANOSECONDS));
    }
}
