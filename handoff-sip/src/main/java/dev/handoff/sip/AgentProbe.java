package dev.handoff.sip;

/**
 * How {@link SipTransferExecutor}'s default {@link AgentAvailability} checks the agent before a transfer. Set with
 * {@link SipTransferExecutor.Builder#agentProbe}.
 */
public enum AgentProbe {
    /**
     * SIP OPTIONS to the target: 2xx means available (and its Supported tells whether a warm transfer can use
     * Replaces: listed, or a list without it; no Supported header leaves it to the consult answer); 405 or 501 means the phone does not answer OPTIONS (a SIPp agent, many PBX extensions), so
     * availability is unknown and the transfer goes ahead, the INVITE deciding; no answer (408) or any other
     * status means unavailable.
     */
    OPTIONS,
    /** No probe: availability and Replaces support are unknown; the INVITE decides. */
    NONE
}
