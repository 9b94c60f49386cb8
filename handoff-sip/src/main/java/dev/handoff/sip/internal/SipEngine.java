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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP user agent behind {@link dev.handoff.sip.SipUserAgent}: one JAIN-SIP RI stack with one provider and a
 * listening point per transport. The stack's listener thread only routes events: each call's events run in
 * order on that call's {@link SerialExecutor}, over a small shared pool of daemon threads.
 *
 * <p>A façade: it owns the settings, the thread pools and the registration client, and delegates to its parts —
 * {@link StackLifecycle} (the stack), {@link SipEvents} (the listener), {@link CallRegistry} (the open calls),
 * {@link SipMessages} (building messages), {@link SdpBodies}, {@link OutboundCalls}, {@link InboundCalls},
 * {@link Keepalive} and {@link UnacknowledgedAnswers}.
 */
public final class SipEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

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
    private final CallRegistry calls = new CallRegistry();
    private final List<Consumer<RegistrationEvent>> registrationListeners = new CopyOnWriteArrayList<>();
    private final UnacknowledgedAnswers unacknowledged = new UnacknowledgedAnswers(this);
    private RegistrationClient registration;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;
    private final StackLifecycle stack = new StackLifecycle(this);
    private final SdpBodies bodies = new SdpBodies(this::settings);
    private final OutboundCalls outbound = new OutboundCalls(this);
    private final InboundCalls inbound = new InboundCalls(this);
    private final Keepalive keepalive = new Keepalive(this);
    private final SipEvents events = new SipEvents(inbound, calls, unacknowledged, stack);

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
        stack.start(events, candidatePorts);
        if (settings.registration() != null) {
            registration = new RegistrationClient(this, settings.registration(), new SerialExecutor(workers));
            registration.start();
        }
    }

    /** Rebinds the settings to the port chosen at start (port 0); called once by {@link StackLifecycle#start}. */
    Settings bindTo(int boundPort) {
        settings = settings.boundTo(boundPort);
        return settings;
    }

    /** Stops the stack without sending BYE on open calls: listener, provider, listening points, stack, then pools. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stack.stop(events);
        if (registration != null) {
            registration.stop();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        calls.clear();
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return settings.clock();
    }

    public void onIncomingCall(Consumer<CallLeg> listener) {
        calls.onIncomingCall(listener);
    }

    public void onCallEnded(Consumer<CallLeg> listener) {
        calls.onCallEnded(listener);
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
        return stack.provider();
    }

    MessageFactory messageFactory() {
        return stack.messageFactory();
    }

    AddressFactory addressFactory() {
        return stack.addressFactory();
    }

    public Leg leg(SessionId sessionId) {
        return calls.leg(sessionId);
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
        return stack.messages().localUri(transport);
    }

    // ------------------------------------------------------------------------------------------------ parsing

    /** Parses a SIP URI; throws {@link IllegalArgumentException} naming the value when it is not one. */
    public SipURI parseSipUri(String uri) {
        return stack.messages().parseSipUri(uri);
    }

    public Header header(String name, String value) {
        return stack.messages().header(name, value);
    }

    public Address address(SipURI uri) {
        return stack.messages().address(uri);
    }

    public HeaderFactory headerFactory() {
        return stack.headerFactory();
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

    /** Marks a leg ended and tells its listener and the call-ended listeners. Call on the leg's executor. */
    public void terminate(Leg leg, boolean byRemote) {
        calls.terminate(leg, byRemote);
    }

    // ------------------------------------------------------------------------------------------------ for the parts

    CallRegistry calls() {
        return calls;
    }

    SipMessages messages() {
        return stack.messages();
    }

    SdpBodies bodies() {
        return bodies;
    }

    boolean isClosed() {
        return closed;
    }

    UnacknowledgedAnswers unacknowledged() {
        return unacknowledged;
    }

    AckOrderValve ackOrder() {
        return stack.ackOrder();
    }

    Keepalive keepalive() {
        return keepalive;
    }
}
