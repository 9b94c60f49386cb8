package dev.handoff.api.spi;

import dev.handoff.api.HandoffDecision;

/**
 * The observer agent: reads the conversation and extracts BANT, pain points, the whisper summary and the
 * AI's tone.
 *
 * <p>Called once per handoff by the orchestrator on its worker thread, before packaging. May take time (an
 * LLM call) but should honour its own timeout; on failure throw a {@link dev.handoff.api.HandoffException}
 * and the orchestrator falls back to the default deterministic summarizer.
 */
public interface Summarizer {

    /**
     * Reads the conversation once, for one handoff.
     *
     * @param conversation the conversation so far
     * @param decision     why it is being handed off
     * @return the semantic ledger, the whisper and the tone
     * @throws dev.handoff.api.HandoffException when it fails or times out; the default summarizer is used instead
     */
    Summary summarize(ConversationView conversation, HandoffDecision decision);
}
