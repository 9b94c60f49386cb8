package dev.handoff.examples.desktop;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent's WebSocket connection to the {@link AgentDesktop}; created by the desktop only. The desktop pushes to it
 * on its push thread only, so sends never overlap.
 *
 * <p>Public only because Jetty invokes WebSocket listeners through a public method-handle lookup; it is not an
 * extension point.
 */
public final class DeskSocket implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(DeskSocket.class);

    private final AgentDesktop desk;
    private final String agentId;
    private volatile Session session;

    DeskSocket(AgentDesktop desk, String agentId) {
        this.desk = desk;
        this.agentId = agentId;
    }

    String agentId() {
        return agentId;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        desk.connected(this);
    }

    @Override
    public void onWebSocketText(String message) {
        // the page sends "ping" to keep proxies from closing the connection; nothing else is expected
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        desk.disconnected(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("Desktop WebSocket of agent {} failed: {}", agentId, cause.toString());
        desk.disconnected(this);
    }

    /** Sends one text message and waits for it to be written; false (and the socket closed) when it could not be. */
    boolean send(String text, Duration timeout) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            desk.disconnected(this);
            return false;
        }
        var sent = org.eclipse.jetty.websocket.api.Callback.Completable.with(cb -> s.sendText(text, cb));
        try {
            sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Push to agent {} failed, closing the connection: {}", agentId, e.toString());
            s.close();
            desk.disconnected(this);
            return false;
        }
    }

    /** Authenticates the upgrade: 401 without a valid token, otherwise a socket for the token's agent. */
    static final class Creator implements WebSocketCreator {

        private final AgentDesktop desk;

        Creator(AgentDesktop desk) {
            this.desk = desk;
        }

        @Override
        public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            var agent = desk.authenticate(DeskHandler.presentedToken(request, true));
            if (agent.isEmpty()) {
                desk.denied("websocket", "/ws");
                Response.writeError(request, response, callback, 401, "missing or invalid agent token");
                return null;
            }
            return new DeskSocket(desk, agent.get());
        }
    }
}
