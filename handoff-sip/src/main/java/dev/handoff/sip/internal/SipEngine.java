package dev.handoff.sip.internal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.SessionId;
import dev.handoff.sip.CallFailedException;
import dev.handoff.sip.CallLeg;
import dev.handoff.sip.MediaEndpoint;
import dev.handoff.sip.RegistrationEvent;
import dev.handoff.sip.SessionResolver;
import dev.handoff.sip.SipCredentials;
import dev.handoff.sip.SipRegistration;
import dev.handoff.sip.SipTransport;
import gov.nist.javax.sip.ResponseEventExt;
import gov.nist.javax.sip.SipListenerExt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SIP user agent behind {@link dev.handoff.sip.SipUserAgent}: one JAIN-SIP RI stack with one provider and a
 * listening point per transport. The stack's listener thread only routes events: each call's events run in
 * order on that call's {@link SerialExecutor}, over a small shared pool of daemon threads.
 */
public final class SipEngine implements SipListenerExt {

    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, UPDATE, INFO";
    /** TLS 1.3 suites and TLS 1.2 ECDHE with AES-GCM: forward secrecy only. */
    static final List<String> TLS_CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
    /** The codecs of the signalling-only description. */
    static final List<MediaEndpoint.Codec> DEFAULT_CODECS = List.of(MediaEndpoint.Codec.PCMU, MediaEndpoint.Codec.PCMA,
            MediaEndpoint.Codec.G722, MediaEndpoint.Codec.TELEPHONE_EVENT);

    /** What the engine needs; validated by the public builder. */
    public record Settings(String host, int port, List<SipTransport> transports, String stackName, String userName,
                           Clock clock, SessionResolver resolver, Duration optionsTimeout, Duration inviteTimeout,
                           int receiveBufferSize, Map<String, String> stackProperties, String advertisedHost,
                           int advertisedPort, String outboundProxy, SipCredentials credentials, SipRegistration registration,
                           MediaEndpoint media, Duration keepaliveInterval, Tls tls) {
        public Settings {
            Objects.requireNonNull(host, "host");
            transports = List.copyOf(transports);
            Objects.requireNonNull(stackName, "stackName");
            Objects.requireNonNull(userName, "userName");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(resolver, "resolver");
            Objects.requireNonNull(optionsTimeout, "optionsTimeout");
            Objects.requireNonNull(inviteTimeout, "inviteTimeout");
            if (receiveBufferSize <= 0) {
                throw new IllegalArgumentException("receiveBufferSize must be positive, was " + receiveBufferSize);
            }
            stackProperties = Map.copyOf(stackProperties);
            Objects.requireNonNull(advertisedHost, "advertisedHost");
            Objects.requireNonNull(media, "media");
            Objects.requireNonNull(keepaliveInterval, "keepaliveInterval");
            if (transports.contains(SipTransport.TLS) && tls == null) {
                throw new ConfigurationException("transports include TLS but no key store is set: call keyStore(path, password)");
            }
        }

        /** These settings on the port chosen at start (port 0): the advertised port follows unless one was set. */
        Settings boundTo(int boundPort) {
            return new Settings(host, boundPort, transports, stackName, userName, clock, resolver, optionsTimeout, inviteTimeout,
                    receiveBufferSize, stackProperties, advertisedHost, advertisedPort == 0 ? boundPort : advertisedPort, outboundProxy,
                    credentials, registration, media, keepaliveInterval, tls);
        }
    }

    /** Key and trust stores for TLS (SIPS); the passwords never appear in {@link #toString()}. */
    public record Tls(java.nio.file.Path keyStore, String keyStorePassword, java.nio.file.Path trustStore, String trustStorePassword) {
        public Tls {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        }

        @Override
        public String toString() {
            return "Tls[keyStore=" + keyStore + ", trustStore=" + trustStore + ", passwords=***]";
        }
    }

    /** Replaced once by {@link #start} when the port is chosen at start (port 0). */
    private volatile Settings settings;
    private final Map<String, Leg> legs = new ConcurrentHashMap<>();
    private final Map<SessionId, Leg> sessions = new ConcurrentHashMap<>();
    private final List<Consumer<CallLeg>> incomingListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<CallLeg>> endedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<RegistrationEvent>> registrationListeners = new CopyOnWriteArrayList<>();
    private final UnacknowledgedAnswers unacknowledged = new UnacknowledgedAnswers(this);
    /** Orders a phone's ACK after the stack has taken our 2xx completely; set by {@link #start}. */
    private AckOrderValve ackOrder = new AckOrderValve();
    private gov.nist.javax.sip.clientauthutils.AuthenticationHelper auth;
    private RegistrationClient registration;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final List<ListeningPoint> listeningPoints = new ArrayList<>();
    private SipStack stack;
    private SipProvider provider;
    private AddressFactory addresses;
    private HeaderFactory headers;
    private MessageFactory messages;
    private volatile boolean closed;
    private volatile boolean started;
    private final OutboundCalls outbound = new OutboundCalls(this);
    private final InboundCalls inbound = new InboundCalls(this);
    private final Keepalive keepalive = new Keepalive(this);

    public SipEngine(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        int n = POOLS.incrementAndGet();
        this.workers = Executors.newFixedThreadPool(Math.max(4, Runtime.getRuntime().availableProcessors()),
                daemon("handoff-sip-" + n + "-worker-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("handoff-sip-" + n + "-timer-"));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static final String VALVES = "gov.nist.javax.sip.SIP_MESSAGE_VALVE";

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** The ports tried, in turn, when listening on port 0 (replaced in tests of the retry). */
    private java.util.function.IntSupplier candidatePorts;

    /** Tries the given ports, in turn, when listening on port 0: for tests of the retry. Call before {@link #start}. */
    SipEngine candidatePorts(java.util.function.IntSupplier ports) {
        this.candidatePorts = Objects.requireNonNull(ports, "ports");
        return this;
    }

    /** Creates the stack and listens; throws {@link ConfigurationException} naming the address when it cannot. */
    public void start() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", settings.stackName());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        dev.handoff.sip.SipStackLogging.route(p);
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "true");
        // A burst of calls sends hundreds of datagrams within a few hundred ms while the stack's single UDP reader
        // may be starved of CPU: the RI's default (64 KiB) overflowed and lost 202s, which made REFERs retransmit.
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", Integer.toString(settings.receiveBufferSize()));
        if (settings.outboundProxy() != null) {
            p.setProperty("javax.sip.OUTBOUND_PROXY", settings.outboundProxy());
        }
        if (settings.tls() != null) {
            Tls tls = settings.tls();
            p.setProperty("javax.net.ssl.keyStore", tls.keyStore().toString());
            p.setProperty("javax.net.ssl.keyStorePassword", tls.keyStorePassword());
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            if (tls.trustStore() != null) {
                p.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
                p.setProperty("javax.net.ssl.trustStorePassword", tls.trustStorePassword());
                p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            }
            // phones rarely hold a client certificate: ask for none, as a SIPS server would
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3, TLSv1.2");
            // the RI's default suites (RSA key exchange, 3DES, anonymous DH) are disabled in current JDKs and phones
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(" ", TLS_CIPHER_SUITES));
        }
        settings.stackProperties().forEach(p::setProperty);
        // an ACK waits until its 2xx is fully handed to the stack (AckOrderValve); a late retransmission of an INVITE is
        // absorbed, not answered 482 (RFC 6026); a user's own valves run after them
        String valves = settings.stackProperties().get(VALVES);
        p.setProperty(VALVES, AckOrderValve.class.getName() + "," + LateRetransmissionValve.class.getName()
                + (valves == null || valves.isBlank() ? "" : "," + valves));
        SipTransport current = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(p);
            for (Object valve : ((gov.nist.javax.sip.stack.SIPTransactionStack) stack).sipMessageValves) {
                if (valve instanceof AckOrderValve v) {
                    ackOrder = v;
                }
            }
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            if (settings.port() == 0) {
                current = null;
                ListeningPorts ports = new ListeningPorts(stack, settings);
                settings = settings.boundTo(ports.listenOnFreePort(
                        candidatePorts != null ? candidatePorts : ports::ephemeralPort, listeningPoints));
            } else {
                for (SipTransport t : settings.transports()) {
                    current = t;
                    listeningPoints.add(stack.createListeningPoint(settings.host(), settings.port(), t.wireName()));
                }
            }
            for (ListeningPoint lp : listeningPoints) {
                if (provider == null) {
                    provider = stack.createSipProvider(lp);
                } else {
                    provider.addListeningPoint(lp);
                }
            }
            provider.addSipListener(this);
            if (settings.credentials() != null) {
                SipCredentials c = settings.credentials();
                auth = ((gov.nist.javax.sip.SipStackExt) stack).getAuthenticationHelper((tx, realm) -> new gov.nist.javax.sip.clientauthutils.UserCredentials() {
                    @Override
                    public String getUserName() {
                        return c.userName();
                    }

                    @Override
                    public String getPassword() {
                        return c.password();
                    }

                    @Override
                    public String getSipDomain() {
                        return realm;
                    }
                }, headers);
            }
            stack.start();
            started = true;
        } catch (Exception e) {
            close();
            throw new ConfigurationException("cannot listen for SIP on " + (current == null ? "" : current.wireName() + " ")
                    + settings.host() + ":" + settings.port() + " (stack " + settings.stackName() + "): " + e.getMessage(), e);
        }
        LOG.info("SIP user agent {} listening on {}:{} {}", settings.stackName(), settings.host(), settings.port(), settings.transports());
        if (settings.registration() != null) {
            registration = new RegistrationClient(this, settings.registration(), new SerialExecutor(workers));
            registration.start();
        }
    }

    /** Stops the stack without sending BYE on open calls: listener, provider, listening points, stack, then pools. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (provider != null) {
            step("remove listener", () -> provider.removeSipListener(this));
            step("delete provider", () -> stack.deleteSipProvider(provider));
        }
        for (ListeningPoint lp : listeningPoints) {
            step("delete listening point", () -> stack.deleteListeningPoint(lp));
        }
        if (stack != null) {
            step("stop", stack::stop);
        }
        if (registration != null) {
            registration.stop();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        legs.clear();
        sessions.clear();
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            // a stack whose start failed half-way cannot always be torn down step by step; nothing is left running
            if (started && !ListeningPorts.readerNotStarted(e)) {
                LOG.warn("SIP stack {}: {} failed: {}", settings.stackName(), what, e.toString());
            } else {
                LOG.debug("SIP stack {} (never started): {} failed: {}", settings.stackName(), what, e.toString());
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return settings.clock();
    }

    public void onIncomingCall(Consumer<CallLeg> listener) {
        incomingListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void onCallEnded(Consumer<CallLeg> listener) {
        endedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void onRegistration(Consumer<RegistrationEvent> listener) {
        registrationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void registered(RegistrationEvent event) {
        for (Consumer<RegistrationEvent> l : registrationListeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("registration listener failed", e);
            }
        }
    }

    SipProvider provider() {
        return provider;
    }

    MessageFactory messageFactory() {
        return messages;
    }

    AddressFactory addressFactory() {
        return addresses;
    }

    public Leg leg(SessionId sessionId) {
        return sessions.get(sessionId);
    }

    /** Runs a task after a delay on the given serial executor. */
    public ScheduledFuture<?> schedule(SerialExecutor on, Duration delay, Runnable task) {
        return timer.schedule(() -> on.execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** The shared pool, for completing futures off the serial executors. */
    public ExecutorService workers() {
        return workers;
    }

    /** Our Contact URI: the advertised (public) address when one is set, else the bound one. */
    public String localUri(String transport) {
        return localUri(transport, false);
    }

    /**
     * Our Contact URI towards a peer. {@code secure} (the request or dialog is addressed by a {@code sips:} URI) gives
     * a {@code sips:} URI, which RFC 3261 (8.1.1.8, 12.1.1) requires there; otherwise a {@code sip:} URI that names
     * the transport unless it is UDP. Before, a dialog with a {@code sips:} remote target got a plain {@code sip:}
     * Contact (UDP) on REFER and BYE, which a phone that routes by it cannot reach when the bot listens on TLS only.
     */
    String localUri(String transport, boolean secure) {
        String userHostPort = settings.userName() + "@" + settings.advertisedHost() + ":" + settings.advertisedPort();
        if (secure) {
            return "sips:" + userHostPort;
        }
        return "sip:" + userHostPort
                + (transport.equalsIgnoreCase("udp") ? "" : ";transport=" + transport.toLowerCase(java.util.Locale.ROOT));
    }

    // ------------------------------------------------------------------------------------------------ parsing

    /** Parses a SIP URI; throws {@link IllegalArgumentException} naming the value when it is not one. */
    public SipURI parseSipUri(String uri) {
        try {
            URI parsed = addresses.createURI(uri);
            if (parsed instanceof SipURI sip) {
                return sip;
            }
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("target address: expected a SIP URI like sip:agent@host:5060, was \"" + uri + "\"", e);
        }
        throw new IllegalArgumentException("target address: expected a SIP URI like sip:agent@host:5060, was \"" + uri + "\"");
    }

    public Header header(String name, String value) {
        try {
            return headers.createHeader(name, value);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("header " + name + ": cannot be sent with value \"" + value + "\": " + e.getMessage(), e);
        }
    }

    public Address address(SipURI uri) {
        return addresses.createAddress(uri);
    }

    public HeaderFactory headerFactory() {
        return headers;
    }

    // ------------------------------------------------------------------------------------------------ requests

    /**
     * Places a call. The leg's events run on {@code events}; when {@code register} the leg becomes the session's call
     * leg. Returns the leg at once; {@link Leg#answered()} completes with it when answered, or exceptionally with
     * {@link CallFailedException}.
     */
    public Leg dial(SessionId sessionId, String uri, Map<String, String> extraHeaders, SerialExecutor events, boolean register,
                    LegListener listener) {
        return outbound.dial(sessionId, uri, extraHeaders, events, register, listener);
    }

    /** Cancels our unanswered INVITE. */
    public void cancel(Leg leg) {
        outbound.cancel(leg);
    }

    /** Sends an out-of-dialog OPTIONS; completes with the status, 408 when nothing came back in time. */
    public CompletableFuture<Integer> options(String uri) {
        return probe(uri).thenApply(Probe::code);
    }

    /**
     * The answer to an OPTIONS probe: the final status (408 when nothing came back in time, 503 when it could not
     * be sent) and the option tags of its Supported header (empty when absent or not 2xx).
     */
    public record Probe(int code, java.util.Set<String> supported) {
        public Probe {
            supported = java.util.Set.copyOf(supported);
        }
    }

    /** Sends an out-of-dialog OPTIONS; completes with the {@link Probe}. */
    public CompletableFuture<Probe> probe(String uri) {
        return outbound.probe(uri);
    }

    /**
     * Sends an in-dialog request; call on the leg's executor. {@code customize} adds headers and a body. Returns the
     * transaction (its request has the CSeq; {@code terminate()} stops its retransmissions), or throws
     * {@link IllegalStateException} when the dialog cannot send it.
     */
    public ClientTransaction sendInDialog(Leg leg, String method, Consumer<Request> customize, ResponseHandler handler) {
        return outbound.sendInDialog(leg, method, customize, handler, true);
    }

    /** Like {@link #sendInDialog(Leg, String, Consumer, ResponseHandler)}; {@code counted} false keeps it out of {@link Leg#pendingTransactions()}. */
    ClientTransaction sendInDialog(Leg leg, String method, Consumer<Request> customize, ResponseHandler handler, boolean counted) {
        return outbound.sendInDialog(leg, method, customize, handler, counted);
    }

    /** Ends a confirmed leg with BYE (or cancels an unanswered one); call on the leg's executor. */
    public void hangUp(Leg leg) {
        outbound.hangUp(leg);
    }

    /** Sends a re-INVITE with the given SDP direction (sendonly to hold, sendrecv to resume). */
    public void reinvite(Leg leg, String direction, ResponseHandler handler) {
        outbound.reinvite(leg, direction, handler);
    }

    // ------------------------------------------------------------------------------------------------ listener

    @Override
    public void processRequest(RequestEvent event) {
        inbound.handle(event);
    }

    /** Marks a leg ended and tells its listener and the call-ended listeners. Call on the leg's executor. */
    public void terminate(Leg leg, boolean byRemote) {
        if (leg.state == CallLeg.State.TERMINATED) {
            return;
        }
        leg.state = CallLeg.State.TERMINATED;
        forget(leg);
        notifyListener(leg, l -> l.ended(byRemote));
        if (leg.sessionId != null) {
            for (Consumer<CallLeg> l : endedListeners) {
                try {
                    l.accept(leg);
                } catch (RuntimeException e) {
                    LOG.warn("call-ended listener failed", e);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ for the parts

    Map<String, Leg> legs() {
        return legs;
    }

    Map<SessionId, Leg> sessions() {
        return sessions;
    }

    boolean isClosed() {
        return closed;
    }

    UnacknowledgedAnswers unacknowledged() {
        return unacknowledged;
    }

    AckOrderValve ackOrder() {
        return ackOrder;
    }

    Keepalive keepalive() {
        return keepalive;
    }

    List<Consumer<CallLeg>> incomingListeners() {
        return incomingListeners;
    }

    /** The leg of the call with {@code callId}, or null. */
    Leg legOf(String callId) {
        return legs.get(callId);
    }

    /** Ends a leg the application never saw (no onIncomingCall), without telling anyone. Call on the leg's executor. */
    void discard(Leg leg) {
        leg.state = CallLeg.State.TERMINATED;
        forget(leg);
    }

    static long cseqOf(Request request) {
        return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    void forget(Leg leg) {
        legs.remove(leg.callId, leg);
        if (leg.sessionId != null) {
            sessions.remove(leg.sessionId, leg);
        }
    }

    static void notifyListener(Leg leg, Consumer<LegListener> call) {
        LegListener l = leg.listener;
        if (l != null) {
            try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", String.valueOf(leg.sessionId))) {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.error("SIP leg listener failed on {}", leg.callId, e);
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction ct = event.getClientTransaction();
        if (ct == null || (event instanceof ResponseEventExt ext && ext.isForkedResponse())) {
            return; // 2xx retransmissions are re-acknowledged by the stack
        }
        if (ct.getApplicationData() instanceof Pending p) {
            Response response = event.getResponse();
            Dialog dialog = event.getDialog();
            int code = response.getStatusCode();
            if ((code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) && auth != null && !p.authenticated()) {
                p.leg().events.execute(() -> answerChallenge(p, ct, response, dialog));
                return;
            }
            p.leg().events.execute(() -> p.handler().response(response, dialog));
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction() && event.getClientTransaction().getApplicationData() instanceof Pending p) {
            p.leg().events.execute(() -> p.handler().timeout());
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.warn("SIP I/O error towards {}:{} over {}", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing to release: transactions carry their own handlers
    }

    /** An RI dialog timer expired: a phone that never ACKs our 200 OK is hung up on ({@link UnacknowledgedAnswers}). */
    @Override
    public void processDialogTimeout(gov.nist.javax.sip.DialogTimeoutEvent event) {
        unacknowledged.timedOut(event);
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        Dialog dialog = event.getDialog();
        if (dialog == null || dialog.getCallId() == null) {
            return;
        }
        Leg leg = legs.get(dialog.getCallId().getCallId());
        if (leg != null && leg.dialog == dialog) {
            leg.events.execute(() -> terminate(leg, false));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    record Pending(Leg leg, ResponseHandler handler, boolean authenticated) {
        Pending(Leg leg, ResponseHandler handler) {
            this(leg, handler, false);
        }
    }

    /**
     * Sends the challenged request again with digest credentials (once: a second challenge goes to the handler as
     * the final answer). Runs on the leg's executor.
     */
    private void answerChallenge(Pending p, ClientTransaction challenged, Response challenge, Dialog dialog) {
        try {
            ClientTransaction retry = auth.handleChallenge(challenge, challenged, provider, 5, true);
            retry.setApplicationData(new Pending(p.leg(), p.handler(), true));
            if (p.leg().inviteClientTx == challenged) {
                p.leg().inviteClientTx = retry;
            }
            Dialog d = retry.getDialog();
            if (d != null && d.getState() == javax.sip.DialogState.CONFIRMED) {
                d.sendRequest(retry);
            } else {
                retry.sendRequest();
            }
            p.handler().retried(retry);
            LOG.debug("{} {} answered with credentials", challenge.getStatusCode(), challenged.getRequest().getMethod());
        } catch (Exception e) {
            LOG.warn("cannot answer the {} challenge to {}: {}", challenge.getStatusCode(), challenged.getRequest().getMethod(), e.toString());
            p.handler().response(challenge, dialog);
        }
    }

    Request newRequest(String method, SipURI target, String callId, String transport) throws Exception {
        SipURI requestUri = (SipURI) target.clone();
        SipURI toUri = addresses.createSipURI(target.getUser(), target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : ""));
        Address from = settings.registration() != null
                ? addresses.createAddress(addresses.createURI(settings.registration().addressOfRecord()))
                : addresses.createAddress(addresses.createSipURI(settings.userName(), settings.advertisedHost() + ":" + settings.advertisedPort()));
        ViaHeader via = via(transport);
        Request r = messages.createRequest(requestUri, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, method), headers.createFromHeader(from, newTag()),
                headers.createToHeader(addresses.createAddress(toUri), null), new ArrayList<>(List.of(via)),
                headers.createMaxForwardsHeader(70));
        r.addHeader(contact(transport, target.isSecure()));
        return r;
    }

    /** Our Via with {@code rport} (RFC 3581), so responses come back to where we sent from, also behind NAT. */
    ViaHeader via(String transport) throws Exception {
        ViaHeader via = headers.createViaHeader(settings.host(), settings.port(), transport, null);
        via.setRPort();
        return via;
    }

    ContactHeader contact(String transport) {
        return contact(transport, false);
    }

    /** Our Contact header; {@code secure} makes it a {@code sips:} URI (see {@link #localUri(String, boolean)}). */
    ContactHeader contact(String transport, boolean secure) {
        try {
            return headers.createContactHeader(addresses.createAddress(localUri(transport, secure)));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Our Allow list. No Supported header: the bot implements no option tag (an incoming INVITE with Replaces would
     * not be honoured, so {@code replaces} is not advertised; Require of any tag is answered 420).
     */
    void addCapabilities(javax.sip.message.Message m) throws java.text.ParseException {
        for (String method : ALLOW.split(", ")) {
            m.addHeader(headers.createAllowHeader(method));
        }
    }

    /** Our offer (outbound INVITE, hold and resume re-INVITEs) from the media endpoint's description. */
    byte[] sdp(Leg leg, String direction) {
        return Sdp.offer(media(leg), sdpSessionId(leg), leg.sdpVersion++, direction).getBytes(StandardCharsets.US_ASCII);
    }

    /** The answer to the SDP of {@code request}, or our offer when it carries none (the answer then comes in the ACK). */
    byte[] answerSdp(Leg leg, Request request) throws Sdp.NotAcceptable {
        byte[] offer = request.getRawContent();
        if (offer == null || offer.length == 0) {
            return sdp(leg, "sendrecv");
        }
        return Sdp.answer(offer, media(leg), sdpSessionId(leg), leg.sdpVersion++).getBytes(StandardCharsets.US_ASCII);
    }

    private MediaEndpoint.Description media(Leg leg) {
        MediaEndpoint.Description d = null;
        try {
            d = settings.media().describe(leg);
        } catch (RuntimeException e) {
            LOG.warn("media endpoint failed for {}; answering signalling-only: {}", leg.callId, e.toString());
        }
        return d != null ? d : new MediaEndpoint.Description(settings.advertisedHost(), 9, DEFAULT_CODECS);
    }

    private static String sdpSessionId(Leg leg) {
        return Long.toString((leg.callId.hashCode() & 0x7fffffffL) + 1);
    }

    String transportOf(SipURI uri) {
        String t = uri.getTransportParam();
        if (t == null) {
            t = uri.isSecure() ? "tls" : "udp";
        }
        return t.toLowerCase(java.util.Locale.ROOT);
    }

    static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(java.util.Locale.ROOT);
    }

    static String transportOfDialog(Dialog dialog) {
        try {
            Address remote = dialog.getRemoteTarget();
            if (remote != null && remote.getURI() instanceof SipURI sip && sip.getTransportParam() != null) {
                return sip.getTransportParam();
            }
            if (remote != null && remote.getURI() instanceof SipURI sip && sip.isSecure()) {
                return "tls";
            }
        } catch (RuntimeException ignored) {
            // fall through to UDP
        }
        return "udp";
    }

    /** Whether a request is addressed by a {@code sips:} URI, so our Contact in its answer must be one. */
    static boolean isSecure(Request request) {
        return request.getRequestURI() instanceof SipURI sip && sip.isSecure();
    }

    /** Whether a dialog was set up by a {@code sips:} request or its remote target is one: our Contact must be sips: too. */
    static boolean isSecure(Dialog dialog) {
        if (dialog == null) {
            return false;
        }
        try {
            Address remote = dialog.getRemoteTarget();
            return dialog.isSecure() || remote != null && remote.getURI() instanceof SipURI sip && sip.isSecure();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A Call-ID of letters and digits only, so that it needs no escaping inside a Replaces URI header. */
    static String newCallId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "h" + HexFormat.of().formatHex(b);
    }

    static String newTag() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
