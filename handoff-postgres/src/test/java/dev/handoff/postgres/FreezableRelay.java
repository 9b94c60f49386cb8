package dev.handoff.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a real PostgreSQL server that can stop passing bytes on while keeping every
 * connection open, as a server that stops answering does (stopped, cut off by the network, stuck on its disk): the
 * client's writes still succeed, its reads wait. {@link #thaw} passes on what was held. {@link #cutOpenConnections}
 * is a network cut that leaves the client's side open: those connections never pass a byte again and are never
 * closed by the relay, while new ones work. Only the connections made through it are affected, not the server the
 * other test classes share.
 */
final class FreezableRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int serverPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** One flag per connection: set, its bytes are dropped. */
    private final List<java.util.concurrent.atomic.AtomicBoolean> links = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private boolean frozen;

    FreezableRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    void freeze() {
        synchronized (gate) {
            frozen = true;
        }
    }

    /** The connections open now pass nothing on from here on, and stay open; new connections are not affected. */
    void cutOpenConnections() {
        links.forEach(l -> l.set(true));
    }

    void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                sockets.add(client);
                sockets.add(server);
                java.util.concurrent.atomic.AtomicBoolean cut = new java.util.concurrent.atomic.AtomicBoolean();
                links.add(cut);
                pump(client, server, cut, "relay-up");
                pump(server, client, cut, "relay-down");
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicBoolean cut, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitThawed();
                    if (!cut.get()) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side closed (a client that gave up waiting): the other goes too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (gate) {
            while (frozen) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        thaw();
        listener.close();
        sockets.forEach(FreezableRelay::closeQuietly);
    }
}
