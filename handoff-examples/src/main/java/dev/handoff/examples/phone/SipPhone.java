package dev.handoff.examples.phone;

import dev.handoff.sip.SipStackLogging;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted SIP phone on its own JAIN-SIP RI stack, UDP on 127.0.0.1: the common part of {@link ScriptedPhone}
 * (the customer) and {@link AgentPhone} (a human agent's phone). Signalling only; no media.
 *
 * <p>Threads: the stack's listener thread only hands each event to the phone's single event thread, so the
 * phone's script runs one event at a time, in arrival order, and never blocks the stack. Each phone has a unique
 * stack name (JAIN-SIP caches stacks by name) and logs through SLF4J ({@link SipStackLogging}, no log4j).
 * {@link #close()} tears down in the order the RI needs: listener, provider, listening point, stack.
 */
public abstract class SipPhone implements SipListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SipPhone.class);
    private static final AtomicInteger STACKS = new AtomicInteger();

    /** The only address the phones use. */
    public static final String HOST = "127.0.0.1";

    /** What the phones say they support in Allow. */
    protected static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY";

    protected final String name;
    protected final int port;
    protected final PhoneLog log;
    protected final SipStack stack;
    protected final SipProvider provider;
    protected final AddressFactory addresses;
    protected final HeaderFactory headers;
    protected final MessageFactory messages;
    private final ListeningPoint listeningPoint;
    private final ExecutorService events;
    private volatile boolean closed;

    /**
     * @param name the user part of the phone's URI; letters, digits, {@code -._}
     * @param port the UDP port to listen on, 1 to 65535 (see {@link #freePort()})
     * @throws IllegalArgumentException for a bad name or port
     * @throws IllegalStateException    when the stack cannot listen on the port
     */
    protected SipPhone(String name, int port, PhoneLog log) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._\\-]+")) {
            throw new IllegalArgumentException("phone name must be letters, digits or -._, was \"" + name + "\"");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        this.name = name;
        this.port = port;
        this.log = Objects.requireNonNull(log, "log");
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "phone-" + name);
            t.setDaemon(true);
            return t;
        });
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "handoff-phone-" + name + "-" + STACKS.incrementAndGet() + "-" + port);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        SipStackLogging.route(p);   // the same SLF4J routing as the bot's stack: no log4j
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        SipStack s = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            s = factory.createSipStack(p);
            this.addresses = factory.createAddressFactory();
            this.headers = factory.createHeaderFactory();
            this.messages = factory.createMessageFactory();
            this.listeningPoint = s.createListeningPoint(HOST, port, ListeningPoint.UDP);
            this.provider = s.createSipProvider(listeningPoint);
            this.provider.addSipListener(this);
            s.start();
            this.stack = s;
        } catch (Exception e) {
            if (s != null) {
                s.stop();
            }
            events.shutdownNow();
            throw new IllegalStateException("phone " + name + " cannot listen on udp " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * A port free for both UDP and TCP on 127.0.0.1 right now (the bot's user agent listens on both), for demos
     * and tests that must not collide with anything else on the machine.
     *
     * @throws IllegalStateException when no such port was found in 20 tries
     */
    public static int freePort() {
        for (int i = 0; i < 20; i++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
                int candidate = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(HOST), candidate))) {
                    return candidate;
                } catch (IOException taken) {
                    // UDP side in use: try another
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot probe for a free port on " + HOST + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP on " + HOST + " after 20 tries");
    }

    /** The phone's name (the user part of its URI). */
    public String name() {
        return name;
    }

    /** The UDP port it listens on. */
    public int port() {
        return port;
    }

    /** Its address, {@code sip:<name>@127.0.0.1:<port>}. */
    public String uri() {
        return "sip:" + name + "@" + HOST + ":" + port;
    }

    // ------------------------------------------------------------------------------------------ for subclasses

    /** Handles one request on the phone's event thread; {@code tx} is null for ACK. */
    protected abstract void request(Request request, ServerTransaction tx, Dialog dialog);

    /** Reports a line to the demo's timeline. */
    protected void say(String line) {
        try {
            log.line("sip:" + name, line);
        } catch (RuntimeException e) {
            LOG.warn("phone log failed", e);
        }
    }

    protected void respond(ServerTransaction tx, Request request, int code) {
        try {
            tx.sendResponse(messages.createResponse(code, request));
        } catch (Exception e) {
            LOG.debug("{}: {} to {} not sent: {}", name, code, request.getMethod(), e.toString());
        }
    }

    /** A 2xx answer to an INVITE with our tag (if none yet), Contact, Allow, Supported and a minimal SDP. */
    protected Response answerInvite(Request invite, int code, String direction) throws Exception {
        Response r = messages.createResponse(code, invite);
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) r.getHeader(javax.sip.header.ToHeader.NAME);
        if (to.getTag() == null) {
            to.setTag(newTag());
        }
        if (code >= 200 && code < 300) {
            r.addHeader(contact());
            addAllow(r);
            r.addHeader(headers.createHeader("Supported", "replaces"));
            r.setContent(sdp(direction), headers.createContentTypeHeader("application", "sdp"));
        }
        return r;
    }

    /** Adds one Allow header per method the phones support. */
    protected void addAllow(javax.sip.message.Message m) throws Exception {
        for (String method : ALLOW.split(",\\s*")) {
            m.addHeader(headers.createAllowHeader(method));
        }
    }

    protected ContactHeader contact() throws Exception {
        return headers.createContactHeader(addresses.createAddress(addresses.createSipURI(name, HOST + ":" + port)));
    }

    protected ViaHeader via() throws Exception {
        return headers.createViaHeader(HOST, port, ListeningPoint.UDP, null);
    }

    protected Address self() throws Exception {
        return addresses.createAddress(addresses.createSipURI(name, HOST + ":" + port));
    }

    protected static String newTag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    protected byte[] sdp(String direction) {
        long id = System.nanoTime() & 0xFFFFFFFL;
        return ("v=0\r\no=" + name + " " + id + " 1 IN IP4 " + HOST + "\r\ns=-\r\nc=IN IP4 " + HOST + "\r\nt=0 0\r\n"
                + "m=audio " + (port + 2) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=" + direction + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends a request in a new client transaction (in the dialog when {@code dialog} is not null); the stage
     * completes with the final response event, or exceptionally with {@link TimeoutException} when the
     * transaction timed out.
     */
    protected CompletableFuture<ResponseEvent> send(Request request, Dialog dialog) {
        CompletableFuture<ResponseEvent> answer = new CompletableFuture<>();
        try {
            ClientTransaction ct = provider.getNewClientTransaction(request);
            ct.setApplicationData(answer);
            if (dialog != null) {
                dialog.sendRequest(ct);
            } else {
                ct.sendRequest();
            }
        } catch (Exception e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /** ACKs a 2xx answer to an INVITE in its dialog. */
    protected void ack(ResponseEvent answer) throws Exception {
        Dialog d = answer.getDialog();
        long cseq = ((CSeqHeader) answer.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
        d.sendAck(d.createAck(cseq));
    }

    /** Runs a step of the phone's script on its event thread. */
    protected void later(Runnable step) {
        if (closed) {
            return;
        }
        try {
            events.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.warn("phone {}: script step failed", name, e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** Percent-decodes an escaped URI header value ({@code %3B} to {@code ;}); a {@code +} stays a plus. */
    protected static String unescape(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi * 16 + lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A copy of {@code uri} without its headers (the part after {@code ?}), keeping its parameters. */
    protected SipURI withoutHeaders(SipURI uri) throws Exception {
        SipURI copy = addresses.createSipURI(uri.getUser(), uri.getHost());
        if (uri.getPort() > 0) {
            copy.setPort(uri.getPort());
        }
        List<String> names = new ArrayList<>();
        uri.getParameterNames().forEachRemaining(n -> names.add((String) n));
        for (String n : names) {
            copy.setParameter(n, uri.getParameter(n));
        }
        return copy;
    }

    // ------------------------------------------------------------------------------------------ SipListener

    @Override
    public final void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        ServerTransaction st = event.getServerTransaction();
        if (!request.getMethod().equals(Request.ACK) && st == null) {
            try {
                st = provider.getNewServerTransaction(request);
            } catch (TransactionAlreadyExistsException e) {
                return; // a retransmission; the stack answers it
            } catch (Exception e) {
                LOG.warn("{}: no server transaction for {}: {}", name, request.getMethod(), e.toString());
                return;
            }
        }
        ServerTransaction tx = st;
        Dialog dialog = tx != null && tx.getDialog() != null ? tx.getDialog() : event.getDialog();
        later(() -> request(request, tx, dialog));
    }

    @Override
    @SuppressWarnings("unchecked")
    public final void processResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null || event.getResponse().getStatusCode() < 200) {
            return;
        }
        if (ct.getApplicationData() instanceof CompletableFuture<?> f) {
            later(() -> ((CompletableFuture<ResponseEvent>) f).complete(event));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public final void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof CompletableFuture<?> f) {
            later(() -> ((CompletableFuture<ResponseEvent>) f).completeExceptionally(
                    new TimeoutException(event.getClientTransaction().getRequest().getMethod() + " timed out")));
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.debug("{}: I/O error towards {}:{}", name, event.getHost(), event.getPort());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // handlers travel with the transactions
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // the scripts track their calls themselves
    }

    /**
     * Closes SIP stacks (phones, the bot's user agent) at the same time: the RI's {@code stop()} sleeps for a
     * while per stack, so closing four one after the other takes seconds. Returns when all are closed; failures are
     * logged.
     */
    public static void closeAll(List<? extends AutoCloseable> stacks) {
        List<Thread> threads = new ArrayList<>();
        for (AutoCloseable c : stacks) {
            if (c == null) {
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", c, e.toString());
                }
            }, "close-" + c.getClass().getSimpleName());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Stops listening without hanging up (like pulling the cable). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            provider.removeSipListener(this);
            stack.deleteSipProvider(provider);
            stack.deleteListeningPoint(listeningPoint);
        } catch (Exception e) {
            LOG.debug("{}: teardown step failed: {}", name, e.toString());
        }
        stack.stop();
        events.shutdownNow();
    }
}
