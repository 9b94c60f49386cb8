package dev.handoff.sip.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.sip.MediaEndpoint;
import dev.handoff.sip.SessionResolver;
import dev.handoff.sip.SipTransport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Listening on port 0 over UDP and TCP: the port the system hands out for UDP may already be taken for TCP (a client
 * connection's local port, say). The engine then gives that port back and tries another, and the port given back is
 * free again. CI once failed here: the RI's UDP processor, stopped before its reader thread ran, threw while giving the
 * port back, and the whole start failed; the RI also keeps the TCP listening point that could not bind.
 */
class FreePortTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void ports_taken_for_tcp_are_given_back_and_a_free_one_is_used() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<ServerSocket> takenForTcp = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    takenForTcp.add(new ServerSocket(0, 1, LOOPBACK));
                }
                List<Integer> taken = takenForTcp.stream().map(ServerSocket::getLocalPort).toList();
                int free = freeOnBoth(taken);
                AtomicInteger calls = new AtomicInteger();
                SipEngine engine = new SipEngine(settings("free-port-" + round))
                        .candidatePorts(() -> {
                            int n = calls.getAndIncrement();
                            return n < taken.size() ? taken.get(n) : free;
                        });
                try {
                    engine.start();
                    assertThat(engine.settings().port()).isEqualTo(free);
                    assertThat(calls).hasValue(4);
                    try (Socket tcp = new Socket(LOOPBACK, free)) {
                        assertThat(tcp.isConnected()).as("the engine listens for TCP on %d", free).isTrue();
                    }
                } finally {
                    engine.close();
                }
                // the UDP side of each taken port was given back: it can be bound again
                for (int port : taken) {
                    try (DatagramSocket udp = new DatagramSocket(port, LOOPBACK)) {
                        assertThat(udp.getLocalPort()).isEqualTo(port);
                    }
                }
            } finally {
                for (ServerSocket s : takenForTcp) {
                    s.close();
                }
            }
        }
    }

    @Test
    void only_the_ri_stopping_a_udp_reader_that_never_ran_is_taken_for_harmless_close_noise() {
        NullPointerException readerNeverRan = new NullPointerException("this.messageChannels is null");
        readerNeverRan.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("gov.nist.javax.sip.stack.UDPMessageProcessor", "stop", "UDPMessageProcessor.java", 241),
                new StackTraceElement("gov.nist.javax.sip.SipStackImpl", "deleteListeningPoint", "SipStackImpl.java", 1)});
        NullPointerException elsewhere = new NullPointerException("x");
        elsewhere.setStackTrace(new StackTraceElement[] {new StackTraceElement("gov.nist.javax.sip.SipStackImpl", "stop", "SipStackImpl.java", 1)});
        IllegalStateException notAnNpe = new IllegalStateException("x");
        notAnNpe.setStackTrace(readerNeverRan.getStackTrace());

        assertThat(ListeningPorts.readerNotStarted(readerNeverRan)).isTrue();
        assertThat(ListeningPorts.readerNotStarted(elsewhere)).as("any other NullPointerException still warns").isFalse();
        assertThat(ListeningPorts.readerNotStarted(notAnNpe)).isFalse();
    }

    /** A port outside {@code not} that is free for UDP and TCP right now. */
    private static int freeOnBoth(List<Integer> not) throws Exception {
        while (true) {
            try (DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
                int port = udp.getLocalPort();
                if (not.contains(port)) {
                    continue;
                }
                try (ServerSocket tcp = new ServerSocket(port, 1, LOOPBACK)) {
                    return port;
                } catch (java.io.IOException takenForTcp) {
                    // try another
                }
            }
        }
    }

    private static SipEngine.Settings settings(String name) {
        return new SipEngine.Settings("127.0.0.1", 0, List.of(SipTransport.UDP, SipTransport.TCP), name, "handoff",
                Clock.systemUTC(), SessionResolver.headerOrCallId(), Duration.ofSeconds(2), Duration.ofSeconds(30),
                1024 * 1024, Map.of(), "127.0.0.1", 0, null, null, null, MediaEndpoint.signallingOnly(),
                Duration.ofSeconds(30), null);
    }
}
