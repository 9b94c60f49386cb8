package dev.handoff.api.spi;

/**
 * Pushes an incoming handoff to the agent desktop (phase 4), whisper first.
 *
 * <p>Called by the orchestrator on its worker thread before the transfer is executed. Must return quickly
 * (queue the push, do not wait for a person); failure is reported with a
 * {@link dev.handoff.api.HandoffException} and does not stop the transfer.
 */
public interface AgentNotifier {

    void notify(AgentNotification notification);
}
