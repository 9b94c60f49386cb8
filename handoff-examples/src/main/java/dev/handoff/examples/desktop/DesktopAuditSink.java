package dev.handoff.examples.desktop;

/**
 * Receives one {@link DesktopAuditRecord} for every view of a handoff context and every action an agent takes on
 * the desktop (read confirmation, commitment verification), and for every rejected access attempt.
 *
 * <p>Called synchronously on the thread that did the work: a Jetty request thread for HTTP actions, the desktop's
 * push thread for WebSocket deliveries. Keep it fast (hand the record to a queue or a durable journal). An exception
 * thrown here is logged and swallowed so it never breaks the agent's action; a sink that must not lose records has
 * to make them durable itself.
 */
@FunctionalInterface
public interface DesktopAuditSink {

    /** Records one audit event. The record never carries transcript text, tokens or customer field values. */
    void record(DesktopAuditRecord record);
}
