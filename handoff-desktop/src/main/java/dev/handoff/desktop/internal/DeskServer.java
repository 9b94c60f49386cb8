package dev.handoff.desktop.internal;

import dev.handoff.api.ConfigurationException;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/** The Jetty server: one connector (HTTPS with the key store, else HTTP), the WebSocket upgrades, then {@link Routes}. */
final class DeskServer {

    /** How long a socket may be silent; the desktop pings every {@link Desk#PING_INTERVAL}. */
    static final Duration SOCKET_IDLE_TIMEOUT = Duration.ofMinutes(2);
    /** Largest message a page may send (it sends none that matter). */
    static final int MAX_INBOUND_MESSAGE = 4_096;

    private final Server server;
    private final ServerConnector connector;

    DeskServer(DeskConfig config, Desk desk, Routes routes, Gate gate) {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("handoff-desk-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (config.tls()) {
            http.addCustomizer(new SecureRequestCustomizer());
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(config.keyStore().toString());
            ssl.setKeyStorePassword(new String(config.keyStorePassword()));
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(SOCKET_IDLE_TIMEOUT);
            container.setMaxTextMessageSize(MAX_INBOUND_MESSAGE);
            container.addMapping("/ws", new Routes.Sockets(desk, routes, gate, DeskSocket.Kind.DESK));
            container.addMapping("/ws/board", new Routes.Sockets(desk, routes, gate, DeskSocket.Kind.BOARD));
        });
        ws.setHandler(routes);
        context.setHandler(ws);
        server.setHandler(context);
        server.setStopTimeout(0);
    }

    /** Binds and starts; returns the bound port. */
    int start(DeskConfig config) {
        try {
            server.start();
        } catch (Exception e) {
            stop();
            throw new ConfigurationException("agent desktop could not listen on " + config.host() + ":" + config.port()
                    + (config.tls() ? " with TLS from " + config.keyStore() : "") + ": " + e.getMessage(), e);
        }
        return connector.getLocalPort();
    }

    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(DeskServer.class).warn("Agent desktop did not stop cleanly: {}", e.toString());
        }
    }
}
