package dev.handoff.api.spi;

/**
 * Pushes an incoming handoff to the agent desktop (phase 4), whisper first.
 *
 * <p>Called by the orchestrator on one of Handoff's worker threads before the transfer is executed. Must return
 * quickly (queue the push, do not wait for a person); failure is reported with a
 * {@link dev.handoff.api.HandoffException} and does not stop the transfer. The notification's
 * {@link AgentNotification#actions() actions} are how the human side reports back (read, commitments, hand-back).
 */
public interface AgentNotifier {

    /**
     * Pushes one handoff to the human side. Must return quickly; queue the push rather than wait for a person.
     *
     * @param notification the target, the signed context, its ticket and the actions handle
     * @throws dev.handoff.api.HandoffException when the push cannot be queued; logged, the transfer goes on
     */
    void notify(AgentNotification notification);
}
