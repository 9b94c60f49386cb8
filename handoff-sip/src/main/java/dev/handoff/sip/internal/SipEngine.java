package dev.handoff.sip.internal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.SessionId;
import dev.handoff.sip.CallFailedException;
import dev.handoff.sip.CallLeg;
import dev.handoff.sip.IncomingInvite;
import dev.handoff.sip.MediaEndpoint;
import dev.handoff.sip.RegistrationEvent;
import dev.handoff.sip.SessionResolver;
import dev.handoff.sip.SipCredentials;
import dev.handoff.sip.SipRegistration;
import dev.handoff.sip.SipTransport;
import gov.nist.javax.sip.ResponseEventExt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
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
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
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
public final class SipEngine implements SipListener {

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

    /** Attempts at an ephemeral port before {@link #start} gives up (another process took each one first). */
    static final int FREE_PORT_ATTEMPTS = 20;

    /**
     * Listens on every transport on one port the system picks: a port it just handed out for UDP is tried for every
     * transport, and if any of them is taken meanwhile (another process won the race), the next one. Returns the port.
     */
    private int listenOnFreePort() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
            int candidate;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getByName(settings.host()))) {
                candidate = probe.getLocalPort();
            }
            List<ListeningPoint> created = new ArrayList<>();
            try {
                for (SipTransport t : settings.transports()) {
                    created.add(stack.createListeningPoint(settings.host(), candidate, t.wireName()));
                }
                listeningPoints.addAll(created);
                return candidate;
            } catch (javax.sip.InvalidArgumentException | javax.sip.TransportNotSupportedException e) {
                last = e;
                for (ListeningPoint lp : created) {
                    stack.deleteListeningPoint(lp);
                }
                LOG.debug("SIP port {} was taken meanwhile ({}); trying another", candidate, e.getMessage());
            }
        }
        throw last;
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
        // a late retransmission of an INVITE is absorbed, not answered 482 (RFC 6026); a user's own valves run after it
        String valves = settings.stackProperties().get(VALVES);
        p.setProperty(VALVES, LateRetransmissionValve.class.getName() + (valves == null || valves.isBlank() ? "" : "," + valves));
        SipTransport current = null;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(p);
            addresses = factory.createAddressFactory();
            headers = factory.createHeaderFactory();
            messages = factory.createMessageFactory();
            if (settings.port() == 0) {
                current = null;
                settings = settings.boundTo(listenOnFreePort());
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
            if (started) {
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
    public Leg dial(SessionId sessionId, String uri, Map<String, String> extraHeaders,
                                       SerialExecutor events, boolean register, LegListener listener) {
        SipURI target = parseSipUri(uri);
        String transport = transportOf(target);
        String callId = newCallId();
        Leg leg = new Leg(sessionId, callId, CallLeg.Direction.OUTBOUND, events == null ? new SerialExecutor(workers) : events);
        CompletableFuture<Leg> result = leg.answered;
        leg.listener = listener;
        leg.requestUri = target.toString();
        leg.remoteUri = target.toString();
        leg.localUri = localUri(transport, target.isSecure());
        if (register && sessions.putIfAbsent(sessionId, leg) != null) {
            leg.state = CallLeg.State.TERMINATED;
            result.completeExceptionally(new IllegalStateException("session " + sessionId + " already has a call leg"));
            return leg;
        }
        legs.put(callId, leg);
        leg.events.execute(() -> {
            try {
                Request invite = newRequest(Request.INVITE, target, callId, transport);
                for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                    invite.addHeader(header(h.getKey(), h.getValue()));
                }
                addCapabilities(invite);
                invite.setContent(sdp(leg, "sendrecv"), headers.createContentTypeHeader("application", "sdp"));
                ClientTransaction ct = provider.getNewClientTransaction(invite);
                leg.inviteClientTx = ct;
                leg.dialog = ct.getDialog();
                ScheduledFuture<?> noAnswer = schedule(leg.events, settings.inviteTimeout(), () -> {
                    if (leg.state == CallLeg.State.EARLY) {
                        cancel(leg);
                        failOutbound(leg, result, 408, "no answer within " + settings.inviteTimeout().toMillis() + " ms");
                    }
                });
                ct.setApplicationData(new Pending(leg, new ResponseHandler() {
                    @Override
                    public void response(Response r, Dialog dialog) {
                        int code = r.getStatusCode();
                        if (leg.state != CallLeg.State.EARLY) {
                            if (code >= 200 && code < 300 && dialog != null) {
                                ackAndHangUp(r, dialog); // answered after we gave up (CANCEL race): end it
                            }
                            return;
                        }
                        if (code < 200) {
                            notifyListener(leg, l -> l.provisional(code, r.getReasonPhrase()));
                        } else if (code < 300) {
                            noAnswer.cancel(false);
                            try {
                                leg.dialog = dialog;
                                long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
                                dialog.sendAck(dialog.createAck(cseq));
                            } catch (Exception e) {
                                failOutbound(leg, result, 500, "cannot acknowledge the answer: " + e.getMessage());
                                return;
                            }
                            leg.capture(r);
                            leg.state = CallLeg.State.CONFIRMED;
                            startKeepalive(leg);
                            result.complete(leg);
                            notifyListener(leg, l -> l.established(leg));
                        } else {
                            noAnswer.cancel(false);
                            failOutbound(leg, result, code, r.getReasonPhrase());
                        }
                    }

                    @Override
                    public void timeout() {
                        noAnswer.cancel(false);
                        failOutbound(leg, result, 408, "INVITE transaction timed out");
                    }
                }));
                ct.sendRequest();
            } catch (Exception e) {
                failOutbound(leg, result, 500, "cannot send INVITE to " + uri + ": " + e.getMessage());
            }
        });
        return leg;
    }

    private void ackAndHangUp(Response r, Dialog dialog) {
        try {
            long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
            Request bye = dialog.createRequest(Request.BYE);
            dialog.sendRequest(provider.getNewClientTransaction(bye));
        } catch (Exception e) {
            LOG.debug("late answer on {} not ended: {}", dialog.getCallId(), e.toString());
        }
    }

    private void failOutbound(Leg leg, CompletableFuture<Leg> result, int code, String reason) {
        if (leg.state == CallLeg.State.TERMINATED) {
            return;
        }
        leg.state = CallLeg.State.TERMINATED;
        forget(leg);
        result.completeExceptionally(new CallFailedException(code, reason));
        notifyListener(leg, l -> l.failed(code, reason));
    }

    /** Cancels our unanswered INVITE. */
    public void cancel(Leg leg) {
        ClientTransaction ct = leg.inviteClientTx;
        if (ct == null || leg.state != CallLeg.State.EARLY) {
            return;
        }
        try {
            ClientTransaction cancel = provider.getNewClientTransaction(ct.createCancel());
            cancel.sendRequest();
        } catch (Exception e) {
            LOG.debug("CANCEL on {} not sent: {}", leg.callId, e.toString());
        }
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
        CompletableFuture<Probe> result = new CompletableFuture<>();
        SipURI target = parseSipUri(uri);
        SerialExecutor events = new SerialExecutor(workers);
        Leg probe = new Leg(null, newCallId(), CallLeg.Direction.OUTBOUND, events);
        events.execute(() -> {
            try {
                Request options = newRequest(Request.OPTIONS, target, probe.callId, transportOf(target));
                addCapabilities(options);
                ClientTransaction ct = provider.getNewClientTransaction(options);
                ct.setApplicationData(new Pending(probe, new ResponseHandler() {
                    @Override
                    public void response(Response r, Dialog dialog) {
                        if (r.getStatusCode() >= 200) {
                            probe.capture(r);
                            result.complete(new Probe(r.getStatusCode(), r.getStatusCode() < 300 ? probe.supported : java.util.Set.of()));
                        }
                    }

                    @Override
                    public void timeout() {
                        result.complete(new Probe(408, java.util.Set.of()));
                    }
                }));
                schedule(events, settings.optionsTimeout(), () -> result.complete(new Probe(408, java.util.Set.of())));
                ct.sendRequest();
            } catch (Exception e) {
                result.complete(new Probe(503, java.util.Set.of()));
                LOG.debug("OPTIONS to {} not sent: {}", uri, e.toString());
            }
        });
        return result;
    }

    /**
     * Sends an in-dialog request; call on the leg's executor. {@code customize} adds headers and a body. Returns the
     * transaction (its request has the CSeq; {@code terminate()} stops its retransmissions), or throws
     * {@link IllegalStateException} when the dialog cannot send it.
     */
    public ClientTransaction sendInDialog(Leg leg, String method, Consumer<Request> customize, ResponseHandler handler) {
        return sendInDialog(leg, method, customize, handler, true);
    }

    /** Like {@link #sendInDialog(Leg, String, Consumer, ResponseHandler)}; {@code counted} false keeps it out of {@link Leg#pendingTransactions()}. */
    ClientTransaction sendInDialog(Leg leg, String method, Consumer<Request> customize, ResponseHandler handler, boolean counted) {
        Dialog dialog = leg.dialog;
        if (dialog == null || leg.state != CallLeg.State.CONFIRMED) {
            throw new IllegalStateException("call leg " + leg.callId + " is " + leg.state + ", cannot send " + method);
        }
        try {
            Request request = dialog.createRequest(method);
            // our own Contact (advertised address, user part), never the stack's default <sip:host:port>
            request.removeHeader(ContactHeader.NAME);
            request.addHeader(contact(transportOfDialog(dialog), isSecure(dialog)));
            if (request.getHeader(ViaHeader.NAME) instanceof ViaHeader via) {
                via.setRPort();
            }
            customize.accept(request);
            ClientTransaction ct = provider.getNewClientTransaction(request);
            if (counted) {
                leg.pending.incrementAndGet();
            }
            ct.setApplicationData(new Pending(leg, new ResponseHandler() {
                private boolean done = !counted;

                @Override
                public void response(Response r, Dialog d) {
                    if (r.getStatusCode() >= 200 && !done) {
                        done = true;
                        leg.pending.decrementAndGet();
                    }
                    handler.response(r, d);
                }

                @Override
                public void timeout() {
                    if (!done) {
                        done = true;
                        leg.pending.decrementAndGet();
                    }
                    handler.timeout();
                }

                @Override
                public void retried(ClientTransaction retry) {
                    handler.retried(retry);
                }
            }));
            dialog.sendRequest(ct);
            return ct;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + method + " on call leg " + leg.callId + ": " + e.getMessage(), e);
        }
    }

    /** Ends a confirmed leg with BYE (or cancels an unanswered one); call on the leg's executor. */
    public void hangUp(Leg leg) {
        if (leg.state == CallLeg.State.EARLY && leg.direction == CallLeg.Direction.OUTBOUND) {
            cancel(leg);
            return;
        }
        if (leg.state != CallLeg.State.CONFIRMED) {
            return;
        }
        try {
            sendInDialog(leg, Request.BYE, r -> { }, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog d) {
                }

                @Override
                public void timeout() {
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("BYE on {} not sent: {}", leg.callId, e.getMessage());
        }
        terminate(leg, false);
    }

    /** Sends a re-INVITE with the given SDP direction (sendonly to hold, sendrecv to resume). */
    public void reinvite(Leg leg, String direction, ResponseHandler handler) {
        sendInDialog(leg, Request.INVITE, r -> {
            try {
                r.setContent(sdp(leg, direction), headers.createContentTypeHeader("application", "sdp"));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }, new ResponseHandler() {
            @Override
            public void response(Response r, Dialog d) {
                if (r.getStatusCode() >= 200 && r.getStatusCode() < 300) {
                    try {
                        long cseq = ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
                        d.sendAck(d.createAck(cseq));
                    } catch (Exception e) {
                        LOG.warn("ACK for re-INVITE on {} not sent: {}", leg.callId, e.toString());
                    }
                }
                handler.response(r, d);
            }

            @Override
            public void timeout() {
                handler.timeout();
            }
        });
    }

    // ------------------------------------------------------------------------------------------------ listener

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Leg leg = legs.get(callId);
        try {
            if (method.equals(Request.ACK)) {
                if (leg != null) {
                    leg.events.execute(() -> acknowledged(leg));
                }
                return;
            }
            ServerTransaction st = event.getServerTransaction();
            if (st == null) {
                try {
                    st = provider.getNewServerTransaction(request);
                } catch (TransactionAlreadyExistsException e) {
                    return; // a retransmission the stack will absorb
                }
            }
            ServerTransaction tx = st;
            if (closed) {
                respond(tx, request, Response.SERVICE_UNAVAILABLE, null);
                return;
            }
            List<String> unsupported = unsupportedRequired(request);
            if (!unsupported.isEmpty() && !method.equals(Request.CANCEL)) {
                // RFC 3261 8.2.2.3: an extension we do not implement must not be silently ignored
                Response bad = messages.createResponse(Response.BAD_EXTENSION, request);
                bad.addHeader(headers.createUnsupportedHeader(String.join(", ", unsupported)));
                tx.sendResponse(bad);
                if (method.equals(Request.INVITE) && leg == null) {
                    LOG.info("INVITE {} refused: requires unsupported {}", callId, unsupported);
                }
                return;
            }
            if (method.equals(Request.INVITE)) {
                // 100 Trying goes out here, on the stack thread, before the INVITE waits for a worker: the RI's own
                // 200 ms Trying timer races a late answer from a worker and could send 100 after the 200 OK
                respond(tx, request, Response.TRYING, null);
            }
            if (method.equals(Request.INVITE) && leg == null) {
                Leg inbound = new Leg(null, callId, CallLeg.Direction.INBOUND, new SerialExecutor(workers));
                legs.put(callId, inbound);
                inbound.events.execute(() -> answer(inbound, tx, request));
            } else if (leg == null) {
                if (method.equals(Request.OPTIONS)) {
                    respond(tx, request, Response.OK, null);
                } else {
                    respond(tx, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null);
                }
            } else if (method.equals(Request.NOTIFY) || method.equals(Request.BYE)) {
                // answered at once on the stack thread so a busy leg executor never causes retransmissions;
                // the handling itself stays in order on the leg's executor
                respond(tx, request, Response.OK, null);
                leg.events.execute(() -> inDialog(leg, null, request));
            } else {
                leg.events.execute(() -> inDialog(leg, tx, request));
            }
        } catch (Exception e) {
            LOG.warn("{} {} not handled: {}", method, callId, e.toString());
        }
    }

    private void answer(Leg leg, ServerTransaction tx, Request invite) {
        SessionId sessionId;
        IncomingInvite incoming = incoming(invite);
        try {
            sessionId = Objects.requireNonNull(settings.resolver().resolve(incoming), "session resolver returned null");
        } catch (RuntimeException e) {
            legs.remove(leg.callId);
            LOG.warn("INVITE {} rejected: {}", leg.callId, e.getMessage());
            respond(tx, invite, Response.BAD_REQUEST, e.getMessage());
            return;
        }
        leg.sessionId = sessionId;
        if (sessions.putIfAbsent(sessionId, leg) != null) {
            legs.remove(leg.callId);
            LOG.warn("INVITE {} rejected: session {} already has a call leg", leg.callId, sessionId);
            respond(tx, invite, Response.BUSY_HERE, "session already has a call");
            return;
        }
        leg.capture(invite);
        leg.requestUri = invite.getRequestURI().toString();
        leg.remoteUri = ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI().toString();
        leg.localUri = ((ToHeader) invite.getHeader(ToHeader.NAME)).getAddress().getURI().toString();
        leg.inviteServerTx = tx;
        leg.dialog = tx.getDialog();
        byte[] body;
        try {
            body = answerSdp(leg, invite);
        } catch (Sdp.NotAcceptable | IllegalArgumentException e) {
            forget(leg);
            leg.state = CallLeg.State.TERMINATED;
            LOG.info("INVITE {} refused: {}", leg.callId, e.getMessage());
            respond(tx, invite, Response.NOT_ACCEPTABLE_HERE, null);
            return;
        }
        try {
            Response ok = messages.createResponse(Response.OK, invite);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(newTag());
            ok.addHeader(contact(transportOf(invite), isSecure(invite)));
            addCapabilities(ok);
            ok.setContent(body, headers.createContentTypeHeader("application", "sdp"));
            leg.awaitingAck = true;
            tx.sendResponse(ok);
            leg.dialog = tx.getDialog();
        } catch (Exception e) {
            LOG.warn("INVITE {} not answered: {}", leg.callId, e.toString());
            terminate(leg, false);
        }
    }

    private void acknowledged(Leg leg) {
        leg.awaitingAck = false;
        if (leg.state == CallLeg.State.EARLY && leg.direction == CallLeg.Direction.INBOUND) {
            leg.state = CallLeg.State.CONFIRMED;
            startKeepalive(leg);
            try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", String.valueOf(leg.sessionId))) {
                LOG.debug("call {} from {} confirmed", leg.callId, leg.remoteUri);
                for (Consumer<CallLeg> l : incomingListeners) {
                    try {
                        l.accept(leg);
                    } catch (RuntimeException e) {
                        LOG.warn("incoming-call listener failed", e);
                    }
                }
            }
        }
    }

    private void inDialog(Leg leg, ServerTransaction tx, Request request) {
        switch (request.getMethod()) {
            case Request.BYE -> terminate(leg, true);
            case Request.NOTIFY -> notifyListener(leg, l -> l.notified(request));
            case Request.INVITE, Request.UPDATE -> {
                byte[] body;
                try {
                    body = request.getRawContent() == null && request.getMethod().equals(Request.UPDATE) ? null : answerSdp(leg, request);
                } catch (Sdp.NotAcceptable | IllegalArgumentException e) {
                    LOG.info("{} on {} refused: {}", request.getMethod(), leg.callId, e.getMessage());
                    respond(tx, request, Response.NOT_ACCEPTABLE_HERE, null);
                    return;
                }
                try {
                    Response ok = messages.createResponse(Response.OK, request);
                    ok.addHeader(contact(transportOf(request), isSecure(request) || isSecure(leg.dialog)));
                    addCapabilities(ok);
                    if (body != null) {
                        ok.setContent(body, headers.createContentTypeHeader("application", "sdp"));
                    }
                    if (request.getMethod().equals(Request.UPDATE)) {
                        tx.sendResponse(ok);
                        return;
                    }
                    leg.awaitingAck = true;
                    tx.sendResponse(ok);
                } catch (Exception e) {
                    LOG.warn("re-INVITE on {} not answered: {}", leg.callId, e.toString());
                }
            }
            case Request.OPTIONS, Request.INFO -> respond(tx, request, Response.OK, null);
            case Request.CANCEL -> respond(tx, request, Response.OK, null);
            default -> respond(tx, request, Response.METHOD_NOT_ALLOWED, null);
        }
    }

    /** Consecutive unanswered keepalive OPTIONS after which the other side counts as gone: 2. */
    static final int KEEPALIVE_MISSES = 2;

    private void startKeepalive(Leg leg) {
        Duration every = settings.keepaliveInterval();
        if (!every.isZero()) {
            schedule(leg.events, every, () -> keepalive(leg, 0));
        }
    }

    /**
     * In-dialog OPTIONS (not counted as a pending transaction): any answer but 408/481 means the other side is
     * still there; no answer within the OPTIONS timeout twice in a row, or 408/481, ends the call with BYE so a
     * vanished phone does not keep the call (and the bot) open forever. Runs on the leg's executor.
     */
    private void keepalive(Leg leg, int misses) {
        if (leg.state != CallLeg.State.CONFIRMED || closed) {
            return;
        }
        boolean[] settled = {false};
        Runnable missed = () -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            if (misses + 1 >= KEEPALIVE_MISSES) {
                vanished(leg, "no answer to " + KEEPALIVE_MISSES + " keepalive OPTIONS");
            } else {
                keepalive(leg, misses + 1);
            }
        };
        ScheduledFuture<?> noAnswer = schedule(leg.events, settings.optionsTimeout(), missed);
        try {
            sendInDialog(leg, Request.OPTIONS, r -> { }, new ResponseHandler() {
                @Override
                public void response(Response r, Dialog d) {
                    int code = r.getStatusCode();
                    if (code < 200 || settled[0]) {
                        return;
                    }
                    settled[0] = true;
                    noAnswer.cancel(false);
                    if (code == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || code == Response.REQUEST_TIMEOUT) {
                        vanished(leg, "keepalive OPTIONS answered " + code);
                    } else {
                        startKeepalive(leg);
                    }
                }

                @Override
                public void timeout() {
                    missed.run();
                }
            }, false);
        } catch (RuntimeException e) {
            LOG.debug("keepalive on {} not sent: {}", leg.callId, e.getMessage());
        }
    }

    private void vanished(Leg leg, String why) {
        if (leg.state != CallLeg.State.CONFIRMED) {
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable("sessionId", String.valueOf(leg.sessionId))) {
            LOG.info("call {} ended: {}", leg.callId, why);
        }
        hangUp(leg);
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

    private void forget(Leg leg) {
        legs.remove(leg.callId, leg);
        if (leg.sessionId != null) {
            sessions.remove(leg.sessionId, leg);
        }
    }

    private static void notifyListener(Leg leg, Consumer<LegListener> call) {
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

    private void respond(ServerTransaction tx, Request request, int code, String reason) {
        try {
            Response r = messages.createResponse(code, request);
            if (reason != null) {
                r.setReasonPhrase(reason.replaceAll("[\\r\\n]", " "));
            }
            if (code == Response.OK && request.getMethod().equals(Request.OPTIONS)) {
                addCapabilities(r);
            }
            tx.sendResponse(r);
        } catch (Exception e) {
            // the other side retransmits or gives up on a request we do not answer: worth seeing in production
            LOG.warn("response {} to {} {} not sent: {}", code, request.getMethod(),
                    ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(), e.toString());
        }
    }

    private Request newRequest(String method, SipURI target, String callId, String transport) throws Exception {
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
    private void addCapabilities(javax.sip.message.Message m) throws java.text.ParseException {
        for (String method : ALLOW.split(", ")) {
            m.addHeader(headers.createAllowHeader(method));
        }
    }

    /** The option tags of the Require headers of {@code request}, all of which we do not support. */
    private static List<String> unsupportedRequired(Request request) {
        List<String> tags = new ArrayList<>();
        ListIterator<?> requires = request.getHeaders(javax.sip.header.RequireHeader.NAME);
        while (requires != null && requires.hasNext()) {
            Object h = requires.next();
            String value = h instanceof javax.sip.header.RequireHeader r ? r.getOptionTag() : String.valueOf(h);
            for (String tag : value.split(",")) {
                String t = tag.trim();
                if (!t.isEmpty() && !tags.contains(t)) {
                    tags.add(t);
                }
            }
        }
        return tags;
    }

    /** Our offer (outbound INVITE, hold and resume re-INVITEs) from the media endpoint's description. */
    private byte[] sdp(Leg leg, String direction) {
        return Sdp.offer(media(leg), sdpSessionId(leg), leg.sdpVersion++, direction).getBytes(StandardCharsets.US_ASCII);
    }

    /** The answer to the SDP of {@code request}, or our offer when it carries none (the answer then comes in the ACK). */
    private byte[] answerSdp(Leg leg, Request request) throws Sdp.NotAcceptable {
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

    private String transportOf(SipURI uri) {
        String t = uri.getTransportParam();
        if (t == null) {
            t = uri.isSecure() ? "tls" : "udp";
        }
        return t.toLowerCase(java.util.Locale.ROOT);
    }

    private static String transportOf(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null ? "udp" : via.getTransport().toLowerCase(java.util.Locale.ROOT);
    }

    private static String transportOfDialog(Dialog dialog) {
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
    private static boolean isSecure(Request request) {
        return request.getRequestURI() instanceof SipURI sip && sip.isSecure();
    }

    /** Whether a dialog was set up by a {@code sips:} request or its remote target is one: our Contact must be sips: too. */
    private static boolean isSecure(Dialog dialog) {
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

    private IncomingInvite incoming(Request invite) {
        TreeMap<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ListIterator<String> names = invite.getHeaderNames();
        while (names.hasNext()) {
            String name = names.next();
            Header h = invite.getHeader(name);
            if (h != null) {
                String s = h.toString().trim();
                int colon = s.indexOf(':');
                map.putIfAbsent(name, colon < 0 ? s : s.substring(colon + 1).trim());
            }
        }
        return new IncomingInvite(((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId(),
                invite.getRequestURI().toString(),
                ((FromHeader) invite.getHeader(FromHeader.NAME)).getAddress().getURI().toString(),
                ((ToHeader) invite.getHeader(ToHeader.NAME)).getAddress().getURI().toString(), map);
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
