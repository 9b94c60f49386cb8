package dev.handoff.sip;

import dev.handoff.api.Target;
import dev.handoff.api.TransferRequest;
import dev.handoff.api.TransferResult;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What {@link SipTransferExecutor} does after an attempt failed, before it reports the failure: nothing (the
 * default; the orchestrator's fallback chain decides), a cold transfer to a backup queue, or scheduling a call-back.
 *
 * <p>Called on one of the user agent's threads with the failed request and result; must not block.
 */
@FunctionalInterface
public interface LastResort {

    /** A SIP target to try once with a cold transfer, or empty to report the failure as it is. */
    Optional<Target> after(TransferRequest failed, TransferResult failure);

    /** Report failures as they are. */
    static LastResort none() {
        return (failed, failure) -> Optional.empty();
    }

    /** After a failure, one cold transfer to this SIP URI (a backup queue), within what is left of the timeout. */
    static LastResort backupQueue(String sipUri) {
        Objects.requireNonNull(sipUri, "sipUri");
        if (!sipUri.startsWith("sip:") && !sipUri.startsWith("sips:")) {
            throw new IllegalArgumentException("backup queue: expected a SIP URI like sip:queue@host, was \"" + sipUri + "\"");
        }
        Target backup = Target.sip("backup-queue", sipUri);
        return (failed, failure) -> Optional.of(backup);
    }

    /** After a failure, hand the request to a call-back scheduler; the failure is reported as it is. */
    static LastResort callback(BiConsumer<TransferRequest, TransferResult> scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        return (failed, failure) -> {
            scheduler.accept(failed, failure);
            return Optional.empty();
        };
    }
}
