package dev.handoff.api.spi;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import java.util.List;

/**
 * The one way the human side acts on a handoff. Every {@link AgentNotification} carries one, and
 * {@code Handoff.agentActions(contextId)} finds it again from a ticket or a queue offer. Each method updates, in
 * one step, the commitment ledger, the lifecycle events, the metrics, the audit trail and the handoff's phase.
 *
 * <p>Called from the agent side's own threads (a desktop request, a chat agent's loop); thread-safe. The methods
 * return quickly: none waits for the customer, a transfer or a CRM. An action on a handoff that has ended (the
 * customer left, the bot took the conversation back) is refused with a {@link dev.handoff.api.NonRetriableHandoffException}
 * naming the handoff, except {@link #confirmRead}, which reports it by returning false.
 */
public interface AgentActions {

    /** The handoff this handle acts on. */
    String handoffId();

    /** The conversation. */
    SessionId sessionId();

    /** The packaged context the agent reads. */
    String contextId();

    /**
     * The agent read the whisper and the history: ends the whisper lead at once (a voice bridge no longer waits),
     * publishes {@code ContextRead} and writes a {@code CONTEXT_READ_CONFIRMED} audit record. Idempotent: the
     * first agent to confirm is the one recorded.
     *
     * @param agentId who read it
     * @return false when the handoff has already ended
     */
    boolean confirmRead(String agentId);

    /** The AI's commitments for this conversation, in the order made, with their verification state. */
    List<Commitment> commitments();

    /**
     * The agent confirms a commitment as made.
     *
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist or was revoked
     */
    Commitment confirm(String commitmentId, String agentId);

    /**
     * The agent corrects a commitment to what the business can honour.
     *
     * @param correctedValue what the customer actually gets; not blank
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist or was revoked
     */
    Commitment correct(String commitmentId, String correctedValue, String agentId);

    /**
     * The agent withdraws a commitment the AI should not have made.
     *
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist
     */
    Commitment revoke(String commitmentId, String agentId);

    /**
     * The human gives the conversation back to the bot: the bot owns it again, the handoff ends
     * {@code RETURNED_TO_BOT}, and the bot gets a {@code ReturnedToBot} event whose customer-facing line comes
     * from the bridge script.
     *
     * @param note why, for the bot and the record (not read to the customer verbatim); may be empty
     */
    void handBack(String agentId, String note);
}
