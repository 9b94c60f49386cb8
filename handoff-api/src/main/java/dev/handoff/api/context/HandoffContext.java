package dev.handoff.api.context;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CrmProfile;
import dev.handoff.api.CustomerData;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The versioned handoff context ({@code handoff.context/v1}): what the human agent, the CRM and the audit log
 * receive.
 *
 * @param schema         always {@link #SCHEMA}
 * @param contextId      unique id of this package (one session can be packaged more than once)
 * @param sessionId      the conversation
 * @param channel        voice or chat
 * @param createdAt      when it was packaged
 * @param transcript     every turn so far, in order, including the one that triggered the handoff
 * @param inFlight       nullable; a turn still being spoken or typed when the handoff began
 * @param customer       collected customer data with account ids
 * @param crmProfile     nullable; the CRM's view of the customer with previous interactions
 * @param metadata       trigger reasons, intents, priority, duration
 * @param semanticLedger BANT and pain points extracted by the observer
 * @param sentiment      sentiment series, velocity, trend and the dashboard label
 * @param commitments    the AI's promises, to verify
 * @param whisper        goal / obstacle / sentiment and a suggested opening line
 * @param tone           the AI's tone so the human can match it
 * @param compliance     the compliance profile applied and what was redacted
 * @param integrity      nullable; the signature over the document (absent before signing)
 * @param extensions     fields this version does not know, kept as read
 */
@JsonPropertyOrder({"schema", "contextId", "sessionId", "channel", "createdAt", "transcript", "inFlight", "customer",
        "crmProfile", "metadata", "semanticLedger", "sentiment", "commitments", "whisper", "tone", "compliance", "integrity"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HandoffContext(
        @NotNull @Pattern(regexp = "handoff\\.context/v1") String schema,
        @NotBlank String contextId,
        @NotNull SessionId sessionId,
        @NotNull Channel channel,
        @NotNull Instant createdAt,
        @NotEmpty List<@NotNull @Valid Turn> transcript,
        @Valid @Nullable Turn inFlight,
        @NotNull @Valid CustomerData customer,
        @Valid @Nullable CrmProfile crmProfile,
        @NotNull @Valid ContextMetadata metadata,
        @NotNull @Valid SemanticLedger semanticLedger,
        @NotNull @Valid SentimentTrack sentiment,
        @NotNull List<@NotNull @Valid Commitment> commitments,
        @NotNull @Valid WhisperSummary whisper,
        @NotNull @Valid ToneProfile tone,
        @NotNull @Valid ComplianceInfo compliance,
        @Valid @Nullable Integrity integrity,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extensions) {

    /** The schema id this record maps. */
    public static final String SCHEMA = "handoff.context/v1";

    /**
     * Copies the lists and the extensions (sorted by key). Null {@code commitments} or {@code extensions} mean none;
     * a null {@code transcript} stays null so that validation reports it ({@code $.transcript} must not be empty).
     *
     * @param schema         always {@link #SCHEMA}
     * @param contextId      unique id of this package (one session can be packaged more than once)
     * @param sessionId      the conversation
     * @param channel        voice or chat
     * @param createdAt      when it was packaged
     * @param transcript     every turn so far, in order, including the one that triggered the handoff
     * @param inFlight       nullable; a turn still being spoken or typed when the handoff began
     * @param customer       collected customer data with account ids
     * @param crmProfile     nullable; the CRM's view of the customer with previous interactions
     * @param metadata       trigger reasons, intents, priority, duration
     * @param semanticLedger BANT and pain points extracted by the observer
     * @param sentiment      sentiment series, velocity, trend and the dashboard label
     * @param commitments    the AI's promises, to verify
     * @param whisper        goal / obstacle / sentiment and a suggested opening line
     * @param tone           the AI's tone so the human can match it
     * @param compliance     the compliance profile applied and what was redacted
     * @param integrity      nullable; the signature over the document (absent before signing)
     * @param extensions     fields this version does not know, kept as read
     */
    public HandoffContext {
        transcript = transcript == null ? null : List.copyOf(transcript);
        commitments = commitments == null ? List.of() : List.copyOf(commitments);
        extensions = Extensions.copy(extensions);
    }

    /**
     * A copy carrying the given signature block; this record is not changed. The signer calls it after signing.
     *
     * @param newIntegrity nullable; the signature block, or null for the unsigned document the signature covers
     * @return a copy with {@code integrity} replaced
     */
    public HandoffContext withIntegrity(@Nullable Integrity newIntegrity) {
        return new HandoffContext(schema, contextId, sessionId, channel, createdAt, transcript, inFlight, customer, crmProfile,
                metadata, semanticLedger, sentiment, commitments, whisper, tone, compliance, newIntegrity, extensions);
    }

    /**
     * A copy with the commitments replaced (after a human verified some); this record is not changed. The copy keeps
     * the old signature block, which no longer verifies: sign it again.
     *
     * @param newCommitments every commitment, in order
     * @return a copy with {@code commitments} replaced
     */
    public HandoffContext withCommitments(List<Commitment> newCommitments) {
        return new HandoffContext(schema, contextId, sessionId, channel, createdAt, transcript, inFlight, customer, crmProfile,
                metadata, semanticLedger, sentiment, newCommitments, whisper, tone, compliance, integrity, extensions);
    }

    /**
     * The last transcript turn (the trigger is at or before it).
     *
     * @return the last turn of {@code transcript}
     * @throws IndexOutOfBoundsException when the transcript is empty (an invalid document)
     */
    public Turn lastTurn() {
        return transcript.get(transcript.size() - 1);
    }
}
