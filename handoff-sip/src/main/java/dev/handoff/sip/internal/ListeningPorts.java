package dev.handoff.sip.internal;

import dev.handoff.sip.SipTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntSupplier;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.SipStack;
import javax.sip.TransportNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listening on port 0: one port the system picks, for every transport of the engine. The JAIN-SIP RI takes a port
 * per listening point, so the engine asks the system for a UDP port, checks it is free for TCP too, and retries when
 * another socket wins the race for any transport in between.
 */
final class ListeningPorts {

    private static final Logger LOG = LoggerFactory.getLogger(ListeningPorts.class);

    /** Attempts at an ephemeral port before the engine gives up (another socket took each one first). */
    static final int ATTEMPTS = 20;

    private final SipStack stack;
    private final SipEngine.Settings settings;

    ListeningPorts(SipStack stack, SipEngine.Settings settings) {
        this.stack = stack;
        this.settings = settings;
    }

    /**
     * Listens on every transport on the first of {@code candidates} that all of them can bind, adding the listening
     * points to {@code into}; returns the port. A candidate that one transport cannot bind is given back whole.
     */
    int listenOnFreePort(IntSupplier candidates, List<ListeningPoint> into) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int candidate = candidates.getAsInt();
            List<ListeningPoint> created = new ArrayList<>();
            try {
                for (SipTransport t : settings.transports()) {
                    created.add(stack.createListeningPoint(settings.host(), candidate, t.wireName()));
                }
                into.addAll(created);
                return candidate;
            } catch (InvalidArgumentException | TransportNotSupportedException e) {
                last = e;
                releaseAll(candidate);
                LOG.debug("SIP port {} was taken meanwhile ({}); trying another", candidate, e.getMessage());
            }
        }
        throw last;
    }

    /**
     * Gives back every listening point the stack holds on {@code port}, including the one whose socket could not be
     * bound (the RI keeps it). Stopping one throws NullPointerException in the RI when its socket was never bound or
     * its reader thread has not run yet; its socket is closed by then, so the port is free either way.
     */
    private void releaseAll(int port) {
        List<ListeningPoint> onPort = new ArrayList<>();
        for (Iterator<?> it = stack.getListeningPoints(); it.hasNext(); ) {
            ListeningPoint lp = (ListeningPoint) it.next();
            if (lp.getPort() == port) {
                onPort.add(lp);
            }
        }
        for (ListeningPoint lp : onPort) {
            try {
                stack.deleteListeningPoint(lp);
            } catch (Exception e) {
                LOG.debug("SIP stack {}: releasing port {}/{} failed: {}", settings.stackName(), port, lp.getTransport(), e.toString());
            }
        }
    }

    /**
     * True for the RI's NullPointerException from {@code UDPMessageProcessor.stop()} when a UDP listening point is
     * stopped before its reader thread first ran (the list it reads is created by that thread). The socket is closed
     * before the exception, so nothing is left open: a stack closed right after it started is not a failure worth a
     * WARN.
     */
    static boolean readerNotStarted(Throwable e) {
        if (!(e instanceof NullPointerException)) {
            return false;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals("gov.nist.javax.sip.stack.UDPMessageProcessor") && frame.getMethodName().equals("stop")) {
                return true;
            }
        }
        return false;
    }

    /** A port the system just handed out for UDP and, when a stream transport is wanted, free for TCP as well. */
    int ephemeralPort() {
        boolean stream = settings.transports().stream().anyMatch(t -> t != SipTransport.UDP);
        try {
            InetAddress address = InetAddress.getByName(settings.host());
            for (int i = 0; ; i++) {
                try (DatagramSocket probe = new DatagramSocket(0, address)) {
                    int port = probe.getLocalPort();
                    if (!stream || i == ATTEMPTS) {
                        return port;
                    }
                    try (ServerSocket tcp = new ServerSocket()) {
                        tcp.setReuseAddress(true);
                        tcp.bind(new InetSocketAddress(address, port), 1);
                        return port;
                    } catch (IOException takenForTcp) {
                        LOG.debug("SIP port {} is free for UDP but taken for TCP; trying another", port);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
