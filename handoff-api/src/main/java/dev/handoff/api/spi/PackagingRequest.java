package dev.handoff.api.spi;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.HandoffDecision;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ContextPackager} needs to build the document.
 *
 * @param conversation the conversation
 * @param decision     the decision that triggered the handoff
 * @param crmProfile   nullable; the CRM's profile when the lookup succeeded in time
 * @param commitments  the AI's commitments from the ledger
 * @param summary      the observer's output
 * @param now          the packaging time
 */
public record PackagingRequest(ConversationView conversation, HandoffDecision decision, @Nullable CrmProfile crmProfile,
                               List<Commitment> commitments, Summary summary, Instant now) {

    /**
     * Checks the request and copies {@code commitments} ({@code null} means none).
     *
     * @param conversation the conversation
     * @param decision     the decision that triggered the handoff
     * @param crmProfile   nullable; the CRM's profile when the lookup succeeded in time
     * @param commitments  the AI's commitments from the ledger
     * @param summary      the observer's output
     * @param now          the packaging time
     * @throws NullPointerException when {@code conversation}, {@code decision}, {@code summary} or {@code now} is null
     */
    public PackagingRequest {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(now, "now");
        commitments = commitments == null ? List.of() : List.copyOf(commitments);
    }
}
