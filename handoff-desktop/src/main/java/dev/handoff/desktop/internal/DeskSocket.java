package dev.handoff.desktop.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's live connection, opened by a signed-in session from an allowed origin. Push-only: the page acts over
 * HTTP, and what it sends here is ignored (it never counts as the person acting).
 *
 * <p>Public only because Jetty invokes WebSocket listeners through a method-handle lookup; not an extension point.
 */
public final class DeskSocket implements Session.Listener.AutoDemanding {

    /** What the socket is for. */
    enum Kind { DESK, BOARD }

    /** Messages queued for the network beyond which the page counts as gone. */
    static final int MAX_BACKLOG = 512;
    /** Close code sent when the session ended (signed out, idle, expired). */
    static final int SIGNED_OUT = 4401;

    private static final Logger LOG = LoggerFactory.getLogger(DeskSocket.class);

    private final Desk desk;
    private final DeskSession session;
    private final Kind kind;
    private final String address;
    private final AtomicInteger backlog = new AtomicInteger();
    private volatile Session ws;

    DeskSocket(Desk desk, DeskSession session, Kind kind, String address) {
        this.desk = desk;
        this.session = session;
        this.kind = kind;
        this.address = address;
    }

    DeskSession session() {
        return session;
    }

    Kind kind() {
        return kind;
    }

    String address() {
        return address;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.ws = s;
        desk.socketOpened(this);
    }

    @Override
    public void onWebSocketText(String message) {
        // push-only: nothing the page sends changes anything, and none of it counts as the person acting
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        desk.socketClosed(this);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("Desktop socket of {} failed: {}", session.ref(), cause.toString());
        desk.socketClosed(this);
    }

    /** Queues a text message; false when the socket is closed or was too far behind (then it is closed). */
    boolean send(String text) {
        Session s = ws;
        if (s == null || !s.isOpen()) {
            return false;
        }
        if (backlog.incrementAndGet() > MAX_BACKLOG) {
            LOG.warn("Desktop socket of {} is {} messages behind; closing it (the page reconnects)", session.ref(), MAX_BACKLOG);
            s.close(1013, "too far behind", Callback.NOOP);
            return false;
        }
        s.sendText(text, Callback.from(backlog::decrementAndGet, e -> backlog.decrementAndGet()));
        return true;
    }

    /** A ping frame (the browser answers it): keeps proxies from closing a quiet connection. */
    void ping() {
        Session s = ws;
        if (s != null && s.isOpen()) {
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    void close(int code, String reason) {
        Session s = ws;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }
}
