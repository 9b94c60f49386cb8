package dev.handoff.core;

import dev.handoff.api.SessionId;
import dev.handoff.api.TransferResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one handoff ended.
 *
 * @param sessionId the conversation
 * @param status    {@link Status#CONNECTED}: a human owns it; {@link Status#RETURNED_TO_BOT}: the bot resumes
 * @param contextId nullable when packaging failed; the stored context
 * @param ticket    nullable when packaging failed; the ticket that redeems it
 * @param attempts  every transfer attempt in order (the last one connected when status is CONNECTED)
 * @param elapsed   from the handoff request to the end
 * @param summaryForBot what the bot can tell the customer when it resumes (empty string when connected)
 */
public record HandoffOutcome(SessionId sessionId, Status status, String contextId, String ticket, List<TransferResult> attempts,
                             Duration elapsed, String summaryForBot) {

    public enum Status { CONNECTED, RETURNED_TO_BOT }

    public HandoffOutcome {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        attempts = List.copyOf(attempts);
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(summaryForBot, "summaryForBot");
    }

    /** The attempt that connected, if any. */
    public Optional<TransferResult> connected() {
        return attempts.stream().filter(TransferResult::connected).findFirst();
    }
}
