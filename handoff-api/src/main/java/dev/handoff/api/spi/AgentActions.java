package dev.handoff.api.spi;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
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

    /**
     * The handoff this handle acts on.
     *
     * @return the handoff id (the one in {@code PhaseChanged} events)
     */
    String handoffId();

    /**
     * The conversation.
     *
     * @return the session handed off
     */
    SessionId sessionId();

    /**
     * The packaged context the agent reads.
     *
     * @return the context id in the {@link ContextStore}
     */
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

    /**
     * The AI's commitments for this conversation, with their verification state, read from the ledger now.
     *
     * @return the commitments in the order made; empty when the AI promised nothing
     */
    List<Commitment> commitments();

    /**
     * The agent confirms a commitment as made.
     *
     * @param commitmentId the commitment ({@code "c-1"})
     * @param agentId      who confirms it
     * @return the commitment after the change, status {@code CONFIRMED}
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist or was revoked
     */
    Commitment confirm(String commitmentId, String agentId);

    /**
     * The agent corrects a commitment to what the business can honour.
     *
     * @param commitmentId   the commitment ({@code "c-1"})
     * @param correctedValue what the customer actually gets; not blank
     * @param agentId        who corrects it
     * @return the commitment after the change, status {@code CORRECTED}
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist or was revoked
     */
    Commitment correct(String commitmentId, String correctedValue, String agentId);

    /**
     * The agent withdraws a commitment the AI should not have made.
     *
     * @param commitmentId the commitment ({@code "c-1"})
     * @param agentId      who revokes it
     * @return the commitment after the change, status {@code REVOKED}
     * @throws dev.handoff.api.NonRetriableHandoffException when the commitment does not exist
     */
    Commitment revoke(String commitmentId, String agentId);

    /**
     * The human gives the conversation back to the bot: the bot owns it again, the handoff ends
     * {@code RETURNED_TO_BOT}, and the bot gets a {@code ReturnedToBot} event whose customer-facing line comes
     * from the bridge script. A non-blank note becomes part of the conversation: it is recorded as a {@code SYSTEM}
     * turn ("Handed back by alice: ...") before the bot takes over, so the bot and any later handoff's context have it.
     *
     * @param agentId who hands it back
     * @param note    why, for the bot and the record (not read to the customer verbatim); may be empty
     * @throws dev.handoff.api.NonRetriableHandoffException when the handoff is not connected or has ended
     */
    void handBack(String agentId, String note);

    /**
     * The human who owns a chat sends the customer a message: it is recorded on the session as an {@code AGENT} turn
     * and published as {@code HandoffEvent.AgentMessage}, which the bot host delivers to the customer. Writes an
     * {@code AGENT_MESSAGE_SENT} audit record naming the turn, never the text.
     *
     * @param agentId the human sending it; when the transfer named the agent who took the conversation, only that agent
     * @param text    what to send: not blank, at most {@value #MAX_MESSAGE_CHARS} characters
     * @return the recorded turn (its index places it in the transcript)
     * @throws dev.handoff.api.ValidationException           when the text is blank or too long
     * @throws dev.handoff.api.NonRetriableHandoffException when the conversation is not a connected chat, has ended,
     *                                                      or belongs to another agent
     */
    Turn send(String agentId, String text);

    /**
     * The human's feedback on this handoff, given during or after it (wrap-up): whether it was needed, how accurate the
     * whisper and the ledger were, their verdict on the AI's commitments, whether the case was resolved on this contact,
     * and the customer's effort score. In one call: each commitment verdict that changes the ledger is applied as
     * {@link #confirm}, {@link #correct} or {@link #revoke} would (its event, its audit record, and its write-back to the
     * CRM); then {@code HandoffEvent.FeedbackGiven} is published (the KPIs come from it) and a {@code FEEDBACK_GIVEN}
     * audit record names the codes, never a correction's text. Unlike the other actions it is accepted after the
     * handoff ended, for as long as this handle is held.
     *
     * @param feedback what the agent says about the handoff
     * @throws dev.handoff.api.ValidationException           naming each bad field, its value and what was expected (a
     *                                                      correction's text is named by its length only); nothing applied
     * @throws dev.handoff.api.NonRetriableHandoffException when a verdict names a commitment this conversation does not
     *                                                      have, or one already revoked; nothing applied
     * @return the conversation's commitments after the verdicts
     */
    List<Commitment> feedback(dev.handoff.api.HandoffFeedback feedback);

    /** The longest message {@link #send} accepts. */
    int MAX_MESSAGE_CHARS = 4_000;

    /**
     * The same handle, whose audit records also name the network address the agent acts from (a desktop request's
     * remote address). The desktop calls it per request; the handle itself does not change.
     *
     * @param clientAddress nullable; an IPv4 or IPv6 literal, or null for none
     * @return a handle on the same handoff whose audit records carry {@code clientAddress}
     */
    AgentActions from(@Nullable String clientAddress);
}
