package dev.handoff.sip;

import dev.handoff.api.SessionId;
import dev.handoff.sip.internal.Leg;
import dev.handoff.sip.internal.SipEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The bot's SIP user agent on JAIN-SIP RI: it answers the customer's INVITE (or places a call), keeps the dialog
 * under the conversation's {@link SessionId}, and is what {@link SipTransferExecutor} sends REFER on.
 *
 * <pre>{@code
 * try (SipUserAgent ua = SipUserAgent.builder().bindAddress("10.0.0.5").port(5060).start()) {
 *     ua.onIncomingCall(leg -> bot.startConversation(leg.sessionId()));
 *     TransferExecutor executor = SipTransferExecutor.builder(ua).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Incoming INVITEs are answered at once with 200 OK and a minimal SDP (media is the bot's media server's job;
 * only signalling is handled here); the call is registered when the ACK arrives, and the incoming-call listeners
 * run then. Thread-safe. Each instance owns one stack with a unique name, a small pool of daemon worker threads
 * and a timer thread; {@link #close()} stops them without hanging up open calls.
 */
public final class SipUserAgent implements AutoCloseable {

    private static final AtomicInteger STACKS = new AtomicInteger();

    private final SipEngine engine;

    private SipUserAgent(SipEngine engine) {
        this.engine = engine;
    }

    /** A builder with the defaults stated on its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** Runs {@code listener} when an incoming call is confirmed (ACK received), on a worker thread; must not block. */
    public void onIncomingCall(Consumer<CallLeg> listener) {
        engine.onIncomingCall(listener);
    }

    /** Runs {@code listener} when a session's call leg ends (BYE either way, failure), on a worker thread; must not block. */
    public void onCallEnded(Consumer<CallLeg> listener) {
        engine.onCallEnded(listener);
    }

    /**
     * Runs {@code listener} after each REGISTER of the {@link Builder#registration} was answered (first and every
     * refresh, success or failure), on a worker thread; must not block.
     */
    public void onRegistration(Consumer<RegistrationEvent> listener) {
        engine.onRegistration(listener);
    }

    /** The live call leg of a session, if there is one. */
    public Optional<CallLeg> leg(SessionId sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return Optional.ofNullable(engine.leg(sessionId));
    }

    /**
     * Calls {@code sipUri} for the session and registers the leg under it.
     *
     * @param headers extra headers for the INVITE (for example {@code X-Handoff-Session})
     * @return completes with the confirmed leg, or exceptionally with {@link CallFailedException} (408 when
     *         nobody answered within the INVITE timeout)
     * @throws IllegalArgumentException when {@code sipUri} is not a SIP URI
     */
    public CompletionStage<CallLeg> dial(SessionId sessionId, String sipUri, Map<String, String> headers) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sipUri, "sipUri");
        Leg leg = engine.dial(sessionId, sipUri, Map.copyOf(headers == null ? Map.of() : headers), null, true, null);
        return leg.answered().thenApply(l -> (CallLeg) l);
    }

    /** Hangs up the session's call leg (BYE) if there is one; returns whether there was one. */
    public boolean hangUp(SessionId sessionId) {
        Leg leg = engine.leg(Objects.requireNonNull(sessionId, "sessionId"));
        if (leg == null) {
            return false;
        }
        leg.events().execute(() -> engine.hangUp(leg));
        return true;
    }

    /** Sends OPTIONS; completes with the final status, 408 when nothing came back within the OPTIONS timeout. */
    public CompletionStage<Integer> options(String sipUri) {
        return engine.options(Objects.requireNonNull(sipUri, "sipUri"));
    }

    /** Our own address on the first transport, {@code sip:user@host:port}. */
    public String localUri() {
        return engine.localUri(engine.settings().transports().get(0).wireName());
    }

    /** The port listened on (the one picked at start when the builder was given port 0). */
    public int port() {
        return engine.settings().port();
    }

    /** The unique JAIN-SIP stack name. */
    public String stackName() {
        return engine.settings().stackName();
    }

    SipEngine engine() {
        return engine;
    }

    /** Stops listening; open calls are left to time out on the other side (no BYE). Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    /** Configures a {@link SipUserAgent}; validates each value where it is set. Not thread-safe. */
    public static final class Builder {

        /** Default bind address: loopback. */
        public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
        /** Default port: 5060. */
        public static final int DEFAULT_PORT = 5060;
        /** Default transports: UDP and TCP on the same port. */
        public static final List<SipTransport> DEFAULT_TRANSPORTS = List.of(SipTransport.UDP, SipTransport.TCP);
        /** Default user part of our URI: {@code handoff}. */
        public static final String DEFAULT_USER_NAME = "handoff";
        /** Default time an OPTIONS probe may take: 2 s. */
        public static final Duration DEFAULT_OPTIONS_TIMEOUT = Duration.ofSeconds(2);
        /** Default time an outbound INVITE may ring before it is cancelled: 30 s. */
        public static final Duration DEFAULT_INVITE_TIMEOUT = Duration.ofSeconds(30);
        /**
         * Default UDP receive buffer the stack asks the kernel for: 1 MiB. It absorbs a burst of a few hundred
         * datagrams (100 simultaneous transfers) while the stack's single reader thread waits for CPU; the RI's own
         * default of 64 KiB overflowed on a busy 2-core machine. The kernel caps it at {@code net.core.rmem_max}.
         */
        public static final int DEFAULT_RECEIVE_BUFFER_SIZE = 1024 * 1024;
        /** Default interval of in-dialog OPTIONS keepalives on every confirmed call: 30 s. */
        public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(30);

        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private List<SipTransport> transports = DEFAULT_TRANSPORTS;
        private String stackName;
        private String userName = DEFAULT_USER_NAME;
        private Clock clock = Clock.systemUTC();
        private SessionResolver resolver = SessionResolver.headerOrCallId();
        private Duration optionsTimeout = DEFAULT_OPTIONS_TIMEOUT;
        private Duration inviteTimeout = DEFAULT_INVITE_TIMEOUT;
        private int receiveBufferSize = DEFAULT_RECEIVE_BUFFER_SIZE;
        private String advertisedHost;
        private int advertisedPort;
        private String outboundProxy;
        private SipCredentials credentials;
        private SipRegistration registration;
        private MediaEndpoint media = MediaEndpoint.signallingOnly();
        private Duration keepaliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private java.nio.file.Path keyStore;
        private String keyStorePassword;
        private java.nio.file.Path trustStore;
        private String trustStorePassword;
        private final Map<String, String> stackProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The IPv4 address to listen on; default {@value #DEFAULT_BIND_ADDRESS}. */
        public Builder bindAddress(String value) {
            Objects.requireNonNull(value, "bindAddress");
            if (value.isBlank() || value.contains(" ")) {
                throw new IllegalArgumentException("bindAddress must be an IP address, was \"" + value + "\"");
            }
            this.bindAddress = value;
            return this;
        }

        /**
         * The port to listen on, 1 to 65535, or 0 for a free port the system picks at {@link #start()} (the same one
         * for every transport; read it with {@link SipUserAgent#port()}); default {@value #DEFAULT_PORT}.
         */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be 0 (a free port picked at start) or between 1 and 65535, was " + value);
            }
            this.port = value;
            return this;
        }

        /** The transports to listen on, the first being the one our URI names; default UDP and TCP. */
        public Builder transports(SipTransport... values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("transports must name at least one transport, was empty");
            }
            this.transports = List.copyOf(new LinkedHashSet<>(Arrays.asList(values)));
            return this;
        }

        /** The JAIN-SIP stack name; must be unique in the JVM; default {@code handoff-sip-<n>-<port>}. */
        public Builder stackName(String value) {
            Objects.requireNonNull(value, "stackName");
            if (value.isBlank()) {
                throw new IllegalArgumentException("stackName must not be blank, was \"" + value + "\"");
            }
            this.stackName = value;
            return this;
        }

        /** The user part of our SIP URI; default {@value #DEFAULT_USER_NAME}. */
        public Builder userName(String value) {
            Objects.requireNonNull(value, "userName");
            if (!value.matches("[A-Za-z0-9._~+\\-]+")) {
                throw new IllegalArgumentException("userName must be letters, digits or ._~+-, was \"" + value + "\"");
            }
            this.userName = value;
            return this;
        }

        /** The clock for timestamps; default the system UTC clock. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How an incoming INVITE maps to a session; default {@link SessionResolver#headerOrCallId()}. */
        public Builder sessionResolver(SessionResolver value) {
            this.resolver = Objects.requireNonNull(value, "sessionResolver");
            return this;
        }

        /** How long an OPTIONS probe may take; positive; default 2 s. */
        public Builder optionsTimeout(Duration value) {
            this.optionsTimeout = positive(value, "optionsTimeout");
            return this;
        }

        /** How long an outbound INVITE may ring before it is cancelled; positive; default 30 s. */
        public Builder inviteTimeout(Duration value) {
            this.inviteTimeout = positive(value, "inviteTimeout");
            return this;
        }

        /**
         * The public address to put in our Contact and SDP when the user agent sits behind NAT (the address the far
         * side must reach us at, for example the NAT's public IP with a forwarded port); default the bind address.
         * Our Via carries {@code rport} (RFC 3581) either way, so responses follow the NAT's mapping.
         */
        public Builder advertisedAddress(String host) {
            Objects.requireNonNull(host, "advertisedAddress");
            if (!host.matches("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+]")) {
                throw new IllegalArgumentException("advertisedAddress must be a host name or IP address, was \"" + printable(host) + "\"");
            }
            this.advertisedHost = host;
            return this;
        }

        /** The public port for Contact, 1 to 65535; default the listening port. */
        public Builder advertisedPort(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("advertisedPort must be between 1 and 65535, was " + value);
            }
            this.advertisedPort = value;
            return this;
        }

        /**
         * Sends every request through this proxy ({@code host:port} or {@code host:port/transport}, e.g. the PBX
         * or SBC of a trunk); default none (requests go where their URI points).
         */
        public Builder outboundProxy(String value) {
            Objects.requireNonNull(value, "outboundProxy");
            if (!value.matches("[A-Za-z0-9.\\-]+:[0-9]{1,5}(/(udp|tcp|tls|UDP|TCP|TLS))?")) {
                throw new IllegalArgumentException("outboundProxy must be host:port or host:port/transport, was \"" + printable(value) + "\"");
            }
            this.outboundProxy = value.contains("/") ? value : value + "/udp";
            return this;
        }

        /** Digest credentials answered to 401/407 challenges on every request; default none (challenges fail the request). */
        public Builder credentials(String userName, String password) {
            this.credentials = new SipCredentials(userName, password);
            return this;
        }

        /**
         * Where the bot's audio goes: the description every SDP offer and answer is negotiated from (RFC 3264);
         * default {@link MediaEndpoint#signallingOnly()}.
         */
        public Builder mediaEndpoint(MediaEndpoint value) {
            this.media = Objects.requireNonNull(value, "mediaEndpoint");
            return this;
        }

        /**
         * How often each confirmed call is probed with an in-dialog OPTIONS; a call whose other side leaves two
         * probes in a row unanswered (within the OPTIONS timeout) or answers 408/481 is ended with BYE and reported
         * to {@link SipUserAgent#onCallEnded}. Zero turns the probes off; default 30 s.
         */
        public Builder keepaliveInterval(Duration value) {
            Objects.requireNonNull(value, "keepaliveInterval");
            if (value.isNegative()) {
                throw new IllegalArgumentException("keepaliveInterval must be zero (off) or positive, was " + value);
            }
            this.keepaliveInterval = value;
            return this;
        }

        /** Registers (and keeps registering) an address of record at a registrar; default none. */
        public Builder registration(SipRegistration value) {
            this.registration = Objects.requireNonNull(value, "registration");
            return this;
        }

        /**
         * The PKCS#12 key store with our certificate and private key, for the TLS transport (SIPS); required when
         * {@link #transports} include TLS. The password is never logged.
         *
         * @throws IllegalArgumentException naming the path when the file cannot be read
         */
        public Builder keyStore(java.nio.file.Path file, String password) {
            this.keyStore = readable(file, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "keyStore password");
            return this;
        }

        /**
         * The PKCS#12 trust store with the certificates we accept from TLS peers; default the JVM's trust store.
         *
         * @throws IllegalArgumentException naming the path when the file cannot be read
         */
        public Builder trustStore(java.nio.file.Path file, String password) {
            this.trustStore = readable(file, "trustStore");
            this.trustStorePassword = Objects.requireNonNull(password, "trustStore password");
            return this;
        }

        private static java.nio.file.Path readable(java.nio.file.Path file, String name) {
            Objects.requireNonNull(file, name);
            if (!java.nio.file.Files.isReadable(file)) {
                throw new IllegalArgumentException(name + " must be a readable PKCS#12 file, was \"" + file + "\" (not readable)");
            }
            return file;
        }

        /**
         * The UDP socket receive buffer in bytes, at least 65,536; default {@value #DEFAULT_RECEIVE_BUFFER_SIZE}
         * (1 MiB). Datagrams that arrive while the buffer is full are dropped by the kernel (and retransmitted by the
         * peer, late); Linux caps the value at {@code net.core.rmem_max}, so raise that sysctl on a busy server.
         */
        public Builder receiveBufferSize(int bytes) {
            if (bytes < 65_536) {
                throw new IllegalArgumentException("receiveBufferSize must be at least 65536 bytes, was " + bytes);
            }
            this.receiveBufferSize = bytes;
            return this;
        }

        /**
         * A JAIN-SIP RI stack property, for example the TLS key store ({@code javax.net.ssl.keyStore},
         * {@code gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE}). The stack name and loggers cannot be overridden.
         */
        public Builder stackProperty(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.equals("javax.sip.STACK_NAME") || name.endsWith("STACK_LOGGER") || name.endsWith("SERVER_LOGGER")) {
                throw new IllegalArgumentException("stack property " + name + " is set by SipUserAgent; use stackName() for the name");
            }
            if (name.endsWith("RECEIVE_UDP_BUFFER_SIZE")) {
                throw new IllegalArgumentException("stack property " + name + " is set by SipUserAgent; use receiveBufferSize()");
            }
            if (name.startsWith("javax.net.ssl.")) {
                throw new IllegalArgumentException("stack property " + name + " is set by SipUserAgent; use keyStore() and trustStore()");
            }
            if (name.equals("javax.sip.OUTBOUND_PROXY")) {
                throw new IllegalArgumentException("stack property " + name + " is set by SipUserAgent; use outboundProxy()");
            }
            stackProperties.put(name, value);
            return this;
        }

        /**
         * Creates the stack and starts listening.
         *
         * @throws dev.handoff.api.ConfigurationException naming the transport, address and port when it cannot listen
         */
        public SipUserAgent start() {
            String name = stackName != null ? stackName : "handoff-sip-" + STACKS.incrementAndGet() + "-" + port;
            SipEngine engine = new SipEngine(new SipEngine.Settings(bindAddress, port, new ArrayList<>(transports), name,
                    userName, clock, resolver, optionsTimeout, inviteTimeout, receiveBufferSize, stackProperties,
                    advertisedHost != null ? advertisedHost : bindAddress, advertisedPort > 0 ? advertisedPort : port,
                    outboundProxy, credentials, registration, media, keepaliveInterval,
                    keyStore == null ? null : new SipEngine.Tls(keyStore, keyStorePassword, trustStore, trustStorePassword)));
            engine.start();
            return new SipUserAgent(engine);
        }

        private static String printable(String s) {
            return s.replaceAll("\\p{Cntrl}", "?");
        }

        static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
