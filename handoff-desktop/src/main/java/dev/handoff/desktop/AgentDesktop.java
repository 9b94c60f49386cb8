package dev.handoff.desktop;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.CustomerData;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.core.Handoff;
import dev.handoff.desktop.internal.Desk;
import dev.handoff.desktop.internal.DeskConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The agent desktop and the supervisor wallboard: an embedded Jetty 12 server (HTTPS when given a key store,
 * WebSocket for live updates) that shows each handoff to the people allowed to see it, whisper first, and lets agents
 * act on it through core's {@link dev.handoff.api.spi.AgentActions}.
 *
 * <pre>{@code
 * AgentDesktop desk = AgentDesktop.builder(StaticTokenAuthenticator.fromFile(Path.of("agents.json"))).build();
 * Handoff handoff = Handoff.builder().agentNotifier(desk).build();
 * desk.start(handoff);                                   // binds 127.0.0.1 on a free port
 * System.out.println("Sign in at " + desk.signInUri());
 * }</pre>
 *
 * <p>People sign in with a credential their {@link AgentAuthenticator} accepts and get a short-lived session cookie
 * ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} over TLS); nothing secret ever travels in a URL. A session
 * ends after {@link Builder#idleTimeout} without an action by the person (live updates and pings do not count), with
 * a warning {@link Builder#idleWarning} before. Who sees what: {@link Agent}. Everything the desktop does and refuses
 * is written to the Handoff's {@link dev.handoff.api.spi.AuditSink} with the actor, the client address and the ids.
 *
 * <p>Thread-safe. {@link #notify} is called by Handoff on a worker thread and returns at once; HTTP requests run on
 * Jetty's threads; pushes go out in order on one thread ({@code handoff-desk-push}); timers on {@code handoff-desk-timer}.
 */
public final class AgentDesktop implements AgentNotifier, AutoCloseable {

    /** Default interface: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default port: 0, a free ephemeral port (read it with {@link #port()}), so it never clashes with your app's 8080. */
    public static final int DEFAULT_PORT = 0;
    /** Default time without an action by the person before the session ends (HIPAA automatic logoff). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(15);
    /** Default warning before the idle logoff. */
    public static final Duration DEFAULT_IDLE_WARNING = Duration.ofMinutes(2);
    /** Default longest session, however active: a shift. */
    public static final Duration DEFAULT_SESSION_LIFETIME = Duration.ofHours(8);
    /** Default failed sign-ins allowed per client address within {@link #DEFAULT_SIGN_IN_WINDOW}. */
    public static final int DEFAULT_SIGN_IN_FAILURES = 5;
    /** Default window for counting failed sign-ins. */
    public static final Duration DEFAULT_SIGN_IN_WINDOW = Duration.ofMinutes(5);
    /** Default time an agent has to verify each commitment, from when they open the handoff. */
    public static final Duration DEFAULT_VERIFICATION_WINDOW = Duration.ofSeconds(60);
    /** Default pause before an agent who declined a chat offer is offered chats from that queue again. */
    public static final Duration DEFAULT_DECLINE_COOLDOWN = Duration.ofSeconds(10);
    /** Default number of handoffs the desktop remembers; the oldest ended one is forgotten first. */
    public static final int DEFAULT_RETAINED_HANDOFFS = 500;
    /** Default interval of the idle-session sweep. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final Desk desk;

    private AgentDesktop(DeskConfig config) {
        this.desk = new Desk(config);
    }

    /**
     * Starts configuring a desktop.
     *
     * @param authenticator who may sign in; see {@link StaticTokenAuthenticator} and {@link HmacTokenAuthenticator}
     */
    public static Builder builder(AgentAuthenticator authenticator) {
        return new Builder(authenticator);
    }

    /**
     * Binds the port, listens to the Handoff's events (phases, turns, commitments, the chat relay, KPIs) and signs
     * agents in to its chat queues as they sign in here. Call once, after the Handoff is built with this desktop as its
     * {@code agentNotifier}.
     *
     * @return this desktop
     * @throws ConfigurationException when the port cannot be bound or the key store cannot be read, or when already started
     */
    public AgentDesktop start(Handoff handoff) {
        desk.start(Objects.requireNonNull(handoff, "handoff"));
        return this;
    }

    /**
     * Shows an incoming handoff to everyone allowed to see it, whisper first; people who sign in later see it then.
     * Returns at once. Called by Handoff on a worker thread.
     *
     * @throws dev.handoff.api.NonRetriableHandoffException when the desktop was closed
     */
    @Override
    public void notify(AgentNotification notification) {
        desk.notify(Objects.requireNonNull(notification, "notification"));
    }

    /** The bound port. @throws IllegalStateException before {@link #start} */
    public int port() {
        return desk.port();
    }

    /** {@code https://host:port/} with a key store, else {@code http://host:port/}. */
    public URI baseUri() {
        return desk.baseUri();
    }

    /** The sign-in page; it holds no secret and can be shared. */
    public URI signInUri() {
        return baseUri().resolve("/signin");
    }

    /** The supervisors' wallboard. */
    public URI wallboardUri() {
        return baseUri().resolve("/wallboard");
    }

    /**
     * Ends every session idle past the timeout (and warns those within the warning) now; returns how many ended.
     * Runs by itself every {@link Builder#sweepInterval}.
     */
    public int expireIdleSessions() {
        return desk.sweep();
    }

    /** Signs everyone out, stops the server and the desktop's threads. */
    @Override
    public void close() {
        desk.close();
    }

    /** Configures an {@link AgentDesktop}. Every setting has a default, stated on its setter. */
    public static final class Builder {

        private final AgentAuthenticator authenticator;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path keyStore;
        private char[] keyStorePassword;
        private boolean plainHttpOutsideLoopback;
        private final Set<String> origins = new LinkedHashSet<>();
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration idleWarning = DEFAULT_IDLE_WARNING;
        private Duration sessionLifetime = DEFAULT_SESSION_LIFETIME;
        private int signInFailures = DEFAULT_SIGN_IN_FAILURES;
        private Duration signInWindow = DEFAULT_SIGN_IN_WINDOW;
        private Duration verificationWindow = DEFAULT_VERIFICATION_WINDOW;
        private Duration declineCooldown = DEFAULT_DECLINE_COOLDOWN;
        private int retainedHandoffs = DEFAULT_RETAINED_HANDOFFS;
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Clock clock = Clock.systemUTC();
        private Function<CustomerData, String> tenantOf = c -> Agent.DEFAULT_TENANT;

        private Builder(AgentAuthenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        }

        /**
         * Interface to bind. Default {@value AgentDesktop#DEFAULT_HOST}. Any address that is not loopback needs
         * {@link #tls} (or {@link #allowPlainHttpOutsideLoopback} behind your own TLS proxy).
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host.strip();
            return this;
        }

        /** TCP port; 0 for a free one. Default {@value AgentDesktop#DEFAULT_PORT}. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Serves HTTPS only (TLS 1.2 and 1.3), with the certificate and key in this key store (PKCS12 or JKS). Session
         * cookies then carry {@code Secure} and the {@code __Host-} prefix, and responses {@code Strict-Transport-Security}.
         * Default: plain HTTP, allowed on loopback only.
         */
        public Builder tls(Path keyStore, char[] password) {
            Objects.requireNonNull(keyStore, "keyStore");
            Objects.requireNonNull(password, "password");
            if (!Files.isReadable(keyStore)) {
                throw new ConfigurationException("TLS key store " + keyStore + " is not a readable file");
            }
            this.keyStore = keyStore;
            this.keyStorePassword = password.clone();
            return this;
        }

        /**
         * Allows plain HTTP on an address that is not loopback: only behind a proxy that terminates TLS. Default false:
         * {@link #build()} refuses such an address without {@link #tls}.
         */
        public Builder allowPlainHttpOutsideLoopback(boolean allow) {
            this.plainHttpOutsideLoopback = allow;
            return this;
        }

        /**
         * Adds an origin ({@code https://desk.example.com}) pages may come from, e.g. the name of your proxy. The desktop's
         * own origins ({@code scheme://host:port}, plus {@code localhost}/{@code 127.0.0.1}/{@code [::1]} on loopback)
         * are always allowed; every state-changing request and WebSocket must come from an allowed origin.
         */
        public Builder allowedOrigin(String origin) {
            Objects.requireNonNull(origin, "origin");
            URI u;
            try {
                u = URI.create(origin.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("origin must look like https://host[:port], was \"" + Agent.clean(origin) + "\"");
            }
            if (u.getScheme() == null || !Set.of("http", "https").contains(u.getScheme().toLowerCase(Locale.ROOT)) || u.getHost() == null
                    || (u.getPath() != null && !u.getPath().isEmpty()) || u.getQuery() != null || u.getUserInfo() != null) {
                throw new IllegalArgumentException("origin must look like https://host[:port], was \"" + Agent.clean(origin) + "\"");
            }
            origins.add(u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT)
                    + (u.getPort() < 0 ? "" : ":" + u.getPort()));
            return this;
        }

        /** Time without an action by the person before their session ends. Default 15 minutes. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idle timeout");
            return this;
        }

        /** How long before the idle logoff the page warns. Default 2 minutes; must be shorter than the idle timeout. */
        public Builder idleWarning(Duration d) {
            this.idleWarning = positive(d, "idle warning");
            return this;
        }

        /** Longest session however active; then the person signs in again. Default 8 hours. */
        public Builder sessionLifetime(Duration d) {
            this.sessionLifetime = positive(d, "session lifetime");
            return this;
        }

        /** Failed sign-ins per client address within the window before further attempts get 429. Default 5 in 5 minutes. */
        public Builder signInLimit(int failures, Duration window) {
            if (failures < 1) {
                throw new IllegalArgumentException("sign-in failures must be at least 1, was " + failures);
            }
            this.signInFailures = failures;
            this.signInWindow = positive(window, "sign-in window");
            return this;
        }

        /** Time to verify each commitment, counted from when the agent opens the handoff. Default 60 seconds. */
        public Builder verificationWindow(Duration d) {
            this.verificationWindow = positive(d, "verification window");
            return this;
        }

        /** Pause before a declining agent is offered chats from that queue again. Default 10 seconds. */
        public Builder declineCooldown(Duration d) {
            this.declineCooldown = positive(d, "decline cooldown");
            return this;
        }

        /** Handoffs remembered. Default {@value AgentDesktop#DEFAULT_RETAINED_HANDOFFS}. */
        public Builder retainedHandoffs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("retained handoffs must be at least 1, was " + n);
            }
            this.retainedHandoffs = n;
            return this;
        }

        /** How often idle sessions are swept. Default 5 seconds. */
        public Builder sweepInterval(Duration d) {
            this.sweepInterval = positive(d, "sweep interval");
            return this;
        }

        /** The clock for sessions, deadlines and audit records. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Which tenant a conversation belongs to, from its customer data (e.g. an account id prefix). Default: every
         * conversation is in {@value Agent#DEFAULT_TENANT}. Called on Handoff's threads; must be quick and never throw.
         */
        public Builder tenantOf(Function<CustomerData, String> tenantOf) {
            this.tenantOf = Objects.requireNonNull(tenantOf, "tenantOf");
            return this;
        }

        /**
         * @throws ConfigurationException for a non-loopback address without TLS (unless explicitly allowed), or an idle
         *                                warning not shorter than the idle timeout
         */
        public AgentDesktop build() {
            if (idleWarning.compareTo(idleTimeout) >= 0) {
                throw new ConfigurationException("idle warning (" + idleWarning + ") must be shorter than the idle timeout ("
                        + idleTimeout + ")");
            }
            boolean loopback = isLoopback(host);
            if (!loopback && keyStore == null && !plainHttpOutsideLoopback) {
                throw new ConfigurationException("refusing to serve the agent desktop over plain HTTP on " + host
                        + ", which is not a loopback address: configure tls(keyStore, password), or, only behind a proxy that"
                        + " terminates TLS, allowPlainHttpOutsideLoopback(true)");
            }
            return new AgentDesktop(new DeskConfig(authenticator, host, loopback, port, keyStore, keyStorePassword,
                    Set.copyOf(origins), idleTimeout, idleWarning, sessionLifetime, signInFailures, signInWindow,
                    verificationWindow, declineCooldown, retainedHandoffs, sweepInterval, clock, tenantOf));
        }

        private static boolean isLoopback(String host) {
            try {
                InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
                return address.isLoopbackAddress();
            } catch (UnknownHostException e) {
                throw new ConfigurationException("host \"" + Agent.clean(host) + "\" does not resolve: " + e.getMessage());
            }
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
