package dev.handoff.sip;

import dev.handoff.api.TransferRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The "agent side can accept" part of the three-party preflight. The default used by
 * {@link SipTransferExecutor} probes the target as {@link SipTransferExecutor.Builder#agentProbe} says (SIP OPTIONS:
 * 2xx available, 405/501 unknown and let through, anything else unavailable); plug in an ACD or presence lookup
 * here instead.
 *
 * <p>Called by {@link SipTransferExecutor#preflight} on the caller's thread; must return at once and complete
 * the stage within the user agent's OPTIONS timeout or soon after. A stage that completes exceptionally counts as
 * "cannot accept".
 */
@FunctionalInterface
public interface AgentAvailability {

    CompletionStage<Answer> check(TransferRequest request);

    /** Whether the agent's phone honours an INVITE with Replaces (RFC 3891), which a warm transfer needs. */
    enum Replaces {
        /** It listed {@code replaces} in Supported. */
        SUPPORTED,
        /** It answered the probe and did not list {@code replaces}. */
        NOT_SUPPORTED,
        /** Not known before the consult call (no probe, or the probe method is not supported). */
        UNKNOWN
    }

    /**
     * @param available whether the target can take the call now
     * @param detail    what was checked and what decided, for the preflight detail
     * @param replaces  whether the agent's phone supports Replaces, as far as the check could tell
     */
    record Answer(boolean available, String detail, Replaces replaces) {
        public Answer {
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(replaces, "replaces");
        }

        /** An answer that says nothing about Replaces. */
        public Answer(boolean available, String detail) {
            this(available, detail, Replaces.UNKNOWN);
        }
    }

    /** Always available: for targets that queue calls themselves. */
    static AgentAvailability always() {
        return request -> CompletableFuture.completedFuture(new Answer(true, "availability not checked"));
    }
}
