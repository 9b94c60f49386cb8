package dev.handoff.sip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports (free for both UDP and TCP) and waiting for a peer to bind one. */
final class Ports {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Ports() {
    }

    static int free() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
                int port = tcp.getLocalPort();
                if (udpFree(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found on loopback");
    }

    static boolean udpFree(int port) {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
            return udp.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    static boolean tcpFree(int port) {
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(new InetSocketAddress(LOOPBACK, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
