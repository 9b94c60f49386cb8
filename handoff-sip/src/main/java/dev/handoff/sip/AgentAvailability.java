package dev.handoff.sip;

import dev.handoff.api.TransferRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The "agent side can accept" part of the three-party preflight. The default used by
 * {@link SipTransferExecutor} sends SIP OPTIONS to the target and accepts any 2xx; plug in an ACD or presence
 * lookup here instead.
 *
 * <p>Called by {@link SipTransferExecutor#preflight} on the caller's thread; must return at once and complete
 * the stage within the user agent's OPTIONS timeout or soon after. A stage that completes exceptionally counts as
 * "cannot accept".
 */
@FunctionalInterface
public interface AgentAvailability {

    CompletionStage<Answer> check(TransferRequest request);

    /**
     * @param available whether the target can take the call now
     * @param detail    what was checked, or why not
     */
    record Answer(boolean available, String detail) {
        public Answer {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** Always available: for targets that queue calls themselves. */
    static AgentAvailability always() {
        return request -> CompletableFuture.completedFuture(new Answer(true, "availability not checked"));
    }
}
