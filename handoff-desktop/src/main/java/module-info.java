/**
 * The agent desktop and the supervisor wallboard, an embeddable HTTPS/WebSocket server on Jetty 12. Only
 * {@code dev.handoff.desktop} is API; the server lives in the non-exported {@code dev.handoff.desktop.internal}.
 */
module dev.handoff.desktop {
    requires transitive dev.handoff.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.websocket.server;
    requires org.slf4j;

    exports dev.handoff.desktop;

    // Jetty calls the socket listener through a private lookup; Jackson writes the view records
    opens dev.handoff.desktop.internal to org.eclipse.jetty.websocket.common, com.fasterxml.jackson.databind;
    opens dev.handoff.desktop to com.fasterxml.jackson.databind;
}
