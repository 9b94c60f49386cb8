package dev.handoff.examples.desktop;

import dev.handoff.api.Commitment;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.examples.desktop.DesktopAuditRecord.Action;
import dev.handoff.examples.desktop.DesktopAuditRecord.Outcome;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent desktop: a small web server (embedded Jetty 12 with WebSocket) serving one page on which a human agent
 * sees an incoming handoff, whisper summary first, the live transcript, customer data and CRM profile, the sentiment
 * velocity chart, and the AI's commitments to confirm, correct or revoke, and confirms having read the context.
 *
 * <p>As an {@link AgentNotifier} it is called by the orchestrator: {@link #notify(AgentNotification)} queues a push
 * of the incoming handoff to every connected agent it is routed to and returns at once. The bot calls
 * {@link #appendTurn(SessionId, Turn)} for each turn spoken after the handoff began, so the transcript keeps updating
 * while the AI is still talking. The agent's "I've read it" and commitment buttons act through the notification's
 * {@link dev.handoff.api.spi.AgentActions}, the one path that updates core's ledger, events, audit and phase;
 * {@link #awaitRead(String)} reports the read receipt to whoever else wants it.
 *
 * <p>Every agent has an id and a secret access token ({@link Builder#agent(String, String)}). The page
 * ({@code /?token=...}), the WebSocket ({@code /ws?token=...} or an {@code Authorization: Bearer} header on the
 * upgrade) and the JSON API ({@code Authorization: Bearer}) are refused with 401 without a valid token. Tokens are
 * never logged or audited. Each view of a context and each agent action is written to the {@link DesktopAuditSink}.
 *
 * <p>Thread-safe. Pushes go out in order on one daemon thread ({@code handoff-desk-push}); HTTP actions run on
 * Jetty's request threads and call the notification's {@link dev.handoff.api.spi.AgentActions} from there.
 *
 * <pre>{@code
 * AgentDesktop desk = AgentDesktop.builder()
 *         .agent("ana", "a-long-random-token-for-ana")
 *         .port(8080)
 *         .build()
 *         .start();
 * // open desk.pageUri("ana") in a browser; give desk to the orchestrator as its AgentNotifier
 * }</pre>
 */
public final class AgentDesktop implements AgentNotifier, AutoCloseable {

    /** Default interface to bind: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default TCP port; 0 picks a free ephemeral port (use {@link #port()} after {@link #start()}). */
    public static final int DEFAULT_PORT = 8080;
    /** Default time the agent has to verify the AI's commitments, counted from the first delivery to an agent. */
    public static final Duration DEFAULT_VERIFICATION_WINDOW = Duration.ofSeconds(60);
    /** Default time a WebSocket may stay silent before Jetty closes it (the page reconnects by itself). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Default time one WebSocket push may take before the connection is given up. */
    public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);
    /** Default number of handoffs kept in memory; the oldest is forgotten when a newer one arrives. */
    public static final int DEFAULT_RETAINED_HANDOFFS = 200;
    /** Shortest accepted agent token. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private static final Logger LOG = LoggerFactory.getLogger(AgentDesktop.class);
    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Map<String, byte[]> tokensByAgent;
    private final DesktopAuditSink audit;
    private final Clock clock;
    private final Duration verificationWindow;
    private final Duration idleTimeout;
    private final Duration sendTimeout;
    private final int retainedHandoffs;
    private final String host;
    private final int requestedPort;
    private final DeskJson json = new DeskJson();
    private final DeskPage page = DeskPage.load();

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentMap<String, DeskHandoff> handoffs = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> contextByTicket = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CompletableFuture<ReadReceipt>> reads = new ConcurrentHashMap<>();
    private final Set<DeskSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService pusher;

    private volatile Server server;
    private volatile int boundPort = -1;
    private volatile boolean closed;

    private AgentDesktop(Builder b) {
        this.tokensByAgent = Map.copyOf(b.tokensByAgent);
        this.audit = b.audit;
        this.clock = b.clock;
        this.verificationWindow = b.verificationWindow;
        this.idleTimeout = b.idleTimeout;
        this.sendTimeout = b.sendTimeout;
        this.retainedHandoffs = b.retainedHandoffs;
        this.host = b.host;
        this.requestedPort = b.port;
        this.pusher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "handoff-desk-push");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts configuring a desktop. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving. Call once.
     *
     * @return this desktop, for chaining
     * @throws ConfigurationException when the port cannot be bound, or the desktop was already started or closed
     */
    public synchronized AgentDesktop start() {
        if (closed) {
            throw new ConfigurationException("agent desktop is closed; build a new one");
        }
        if (server != null) {
            throw new ConfigurationException("agent desktop already started on port " + boundPort);
        }
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("handoff-desk-http");
        threads.setDaemon(true);
        Server s = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(s, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(requestedPort);
        s.addConnector(connector);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(s, context, container -> {
            container.setIdleTimeout(idleTimeout);
            container.setMaxTextMessageSize(64 * 1024);
            container.addMapping("/ws", new DeskSocket.Creator(this));
        });
        ws.setHandler(new DeskHandler(this, page));
        context.setHandler(ws);
        s.setHandler(context);
        s.setStopTimeout(0);
        try {
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // already failing; report the start failure
            }
            throw new ConfigurationException("agent desktop could not listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        server = s;
        boundPort = connector.getLocalPort();
        LOG.info("Agent desktop listening on http://{}:{}/ for {} agent(s)", host, boundPort, tokensByAgent.size());
        return this;
    }

    /** The bound port (the ephemeral one when configured with 0). */
    public int port() {
        if (boundPort < 0) {
            throw new IllegalStateException("agent desktop is not started");
        }
        return boundPort;
    }

    /** {@code http://host:port/}: the root, without a token. */
    public URI baseUri() {
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /**
     * The page URL for one agent, with their token in the query. Hand it to that agent only; it is a credential.
     *
     * @throws IllegalArgumentException when the agent is not configured
     */
    public URI pageUri(String agentId) {
        byte[] token = tokensByAgent.get(agentId);
        if (token == null) {
            throw new IllegalArgumentException("no agent \"" + agentId + "\" is configured on this desktop; configured: "
                    + tokensByAgent.keySet().stream().sorted().toList());
        }
        return baseUri().resolve("/?token=" + URLEncoder.encode(new String(token, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /**
     * Queues the push of an incoming handoff to every connected agent it is routed to (a {@link Target.Kind#AGENT}
     * target only to that agent, any other target to all agents), whisper summary first. Agents who connect later get
     * it when they connect. Returns at once.
     *
     * <p>Called by the orchestrator on its worker thread.
     *
     * @throws NonRetriableHandoffException when the desktop was closed
     */
    @Override
    public void notify(AgentNotification notification) {
        Objects.requireNonNull(notification, "notification");
        if (closed) {
            throw new NonRetriableHandoffException("agent desktop is closed");
        }
        HandoffContext context = notification.context();
        Instant now = clock.instant();
        DeskHandoff handoff = handoffs.compute(context.contextId(), (id, old) -> old == null
                ? new DeskHandoff(sequence.incrementAndGet(), notification, now)
                : old.update(notification));
        contextByTicket.put(notification.ticket(), context.contextId());
        forgetOldest();
        LOG.info("Handoff {} for session {} queued for the desktop (target {})", context.contextId(), context.sessionId(),
                notification.target().id());
        push(() -> {
            for (DeskSocket socket : sockets) {
                if (handoff.visibleTo(socket.agentId())) {
                    deliver(handoff, socket);
                }
            }
        });
    }

    /**
     * A listener to give {@code Handoff.builder().listener(...)}: every recorded turn streams to the page live
     * ({@link #appendTurn}).
     */
    public HandoffListener liveTranscript() {
        return event -> {
            if (event instanceof HandoffEvent.TurnRecorded t) {
                appendTurn(t.sessionId(), t.turn());
            }
        };
    }

    /**
     * Streams one more turn of a conversation already handed off, so agents watching it see the transcript grow while
     * the AI is still talking. A turn with the index of one already shown replaces it (an in-flight, {@code partial}
     * turn that was completed). Turns for sessions with no handoff on the desktop are ignored. Returns at once.
     *
     * <p>Called by the bot on its own thread.
     */
    public void appendTurn(SessionId session, Turn turn) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(turn, "turn");
        List<DeskHandoff> matching = handoffs.values().stream()
                .filter(h -> h.sessionId().equals(session))
                .toList();
        if (matching.isEmpty()) {
            LOG.debug("Turn {} of session {} ignored: no handoff on the desktop", turn.index(), session);
            return;
        }
        for (DeskHandoff handoff : matching) {
            handoff.addTurn(turn);
            String message = json.turnMessage(handoff.contextId(), turn);
            push(() -> broadcast(handoff, message));
        }
    }

    /**
     * A stage completed when an agent presses "I've read it" for this context (at once when that already happened).
     * Never completes if nobody does: the caller bounds the wait ({@code toCompletableFuture().get(timeout)} or
     * {@code orTimeout}).
     */
    public CompletionStage<ReadReceipt> awaitRead(String contextId) {
        Objects.requireNonNull(contextId, "contextId");
        return readFuture(contextId).minimalCompletionStage();
    }

    /** Stops the server and the push thread; connected pages are disconnected. */
    @Override
    public synchronized void close() {
        closed = true;
        pusher.shutdown();
        Server s = server;
        if (s != null) {
            try {
                s.stop();
            } catch (Exception e) {
                LOG.warn("Agent desktop did not stop cleanly: {}", e.toString());
            }
        }
        try {
            pusher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- called by DeskHandler and DeskSocket ----

    /** The agent whose token this is, comparing in constant time; empty for null, blank or unknown tokens. */
    Optional<String> authenticate(String presentedToken) {
        if (presentedToken == null || presentedToken.isBlank()) {
            return Optional.empty();
        }
        byte[] presented = presentedToken.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, byte[]> e : tokensByAgent.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue())) {
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    void denied(String channel, String what) {
        LOG.warn("Agent desktop refused a {} request without a valid agent token ({})", channel, what);
        audit(new DesktopAuditRecord(clock.instant(), null, Action.AUTHENTICATE, Outcome.DENIED, null, null, null, channel,
                "missing or invalid agent token on " + what));
    }

    void connected(DeskSocket socket) {
        sockets.add(socket);
        LOG.info("Agent {} connected to the desktop", socket.agentId());
        push(() -> {
            socket.send(json.helloMessage(socket.agentId(), clock.instant(), verificationWindow), sendTimeout);
            handoffs.values().stream()
                    .filter(h -> h.visibleTo(socket.agentId()))
                    .sorted(Comparator.comparingLong(DeskHandoff::sequence))
                    .forEach(h -> deliver(h, socket));
        });
    }

    void disconnected(DeskSocket socket) {
        if (sockets.remove(socket)) {
            LOG.info("Agent {} disconnected from the desktop", socket.agentId());
        }
    }

    /** Ticket redemption: the full context view for the page, or a failure status. */
    DeskResult redeem(String agentId, String ticket) {
        String contextId = contextByTicket.get(ticket);
        DeskHandoff handoff = contextId == null ? null : handoffs.get(contextId);
        if (handoff == null) {
            audit(new DesktopAuditRecord(clock.instant(), agentId, Action.VIEW_CONTEXT, Outcome.FAILED, null, null, null, "http",
                    "unknown ticket"));
            return DeskResult.error(404, "unknown or expired ticket");
        }
        if (!handoff.visibleTo(agentId)) {
            auditFor(handoff, agentId, Action.VIEW_CONTEXT, Outcome.DENIED, null, "handoff routed to another agent");
            return DeskResult.error(403, "this handoff is routed to another agent");
        }
        HandoffContext context = handoff.notification().context();
        List<Commitment> commitments = handoff.notification().actions().commitments();
        if (commitments.isEmpty()) {
            commitments = context.commitments();
        }
        Instant verifyBy = handoff.verifyBy(clock.instant(), verificationWindow);
        ReadReceipt receipt = readReceipt(handoff.contextId()).orElse(null);
        String body = json.contextView(handoff, context, commitments, verifyBy, receipt, clock.instant());
        auditFor(handoff, agentId, Action.VIEW_CONTEXT, Outcome.SUCCESS, null, "ticket redeemed");
        return DeskResult.ok(body);
    }

    /** The agent pressed "I've read it". Idempotent: a second press returns the first receipt. */
    DeskResult confirmRead(String agentId, String contextId) {
        DeskHandoff handoff = handoffs.get(contextId);
        if (handoff == null) {
            audit(new DesktopAuditRecord(clock.instant(), agentId, Action.READ_CONFIRMED, Outcome.FAILED, contextId, null, null,
                    "http", "unknown context"));
            return DeskResult.error(404, "no handoff with context id \"" + contextId + "\" on this desktop");
        }
        if (!handoff.visibleTo(agentId)) {
            auditFor(handoff, agentId, Action.READ_CONFIRMED, Outcome.DENIED, null, "handoff routed to another agent");
            return DeskResult.error(403, "this handoff is routed to another agent");
        }
        ReadReceipt receipt = new ReadReceipt(contextId, handoff.sessionId(), agentId, clock.instant());
        CompletableFuture<ReadReceipt> future = readFuture(contextId);
        if (!future.isDone()) {
            handoff.notification().actions().confirmRead(agentId);
        }
        if (future.complete(receipt)) {
            auditFor(handoff, agentId, Action.READ_CONFIRMED, Outcome.SUCCESS, null, null);
            LOG.info("Agent {} confirmed reading context {}", agentId, contextId);
            String message = json.readMessage(receipt);
            push(() -> broadcast(handoff, message));
        }
        return DeskResult.ok(json.write(future.join()));
    }

    /** The agent confirmed, corrected or revoked one commitment. */
    DeskResult verifyCommitment(String agentId, String contextId, String commitmentId, Commitment.Status status, String value) {
        Action action = switch (status) {
            case CONFIRMED -> Action.COMMITMENT_CONFIRMED;
            case CORRECTED -> Action.COMMITMENT_CORRECTED;
            case REVOKED -> Action.COMMITMENT_REVOKED;
            case PENDING_VERIFICATION -> throw new IllegalArgumentException("not a verification: " + status);
        };
        DeskHandoff handoff = handoffs.get(contextId);
        if (handoff == null) {
            audit(new DesktopAuditRecord(clock.instant(), agentId, action, Outcome.FAILED, contextId, null, commitmentId, "http",
                    "unknown context"));
            return DeskResult.error(404, "no handoff with context id \"" + contextId + "\" on this desktop");
        }
        if (!handoff.visibleTo(agentId)) {
            auditFor(handoff, agentId, action, Outcome.DENIED, commitmentId, "handoff routed to another agent");
            return DeskResult.error(403, "this handoff is routed to another agent");
        }
        if (status == Commitment.Status.CORRECTED && (value == null || value.isBlank())) {
            auditFor(handoff, agentId, action, Outcome.FAILED, commitmentId, "invalid verification");
            return DeskResult.error(400, "a CORRECTED verification needs the corrected value");
        }
        AgentActions actions = handoff.notification().actions();
        Commitment updated;
        try {
            updated = switch (status) {
                case CONFIRMED -> actions.confirm(commitmentId, agentId);
                case CORRECTED -> actions.correct(commitmentId, value, agentId);
                default -> actions.revoke(commitmentId, agentId);
            };
        } catch (NonRetriableHandoffException e) {
            auditFor(handoff, agentId, action, Outcome.FAILED, commitmentId, "ledger refused the verification");
            return DeskResult.error(404, e.getMessage());
        }
        auditFor(handoff, agentId, action, Outcome.SUCCESS, commitmentId, null);
        LOG.info("Agent {} set commitment {} of context {} to {}", agentId, commitmentId, contextId, updated.status());
        String message = json.commitmentMessage(contextId, updated);
        push(() -> broadcast(handoff, message));
        return DeskResult.ok(json.write(updated));
    }

    DeskJson json() {
        return json;
    }

    // ---- internals ----

    private void deliver(DeskHandoff handoff, DeskSocket socket) {
        Instant now = clock.instant();
        Instant verifyBy = handoff.verifyBy(now, verificationWindow);
        if (socket.send(json.handoffMessage(handoff, verifyBy, now), sendTimeout)) {
            auditFor(handoff, socket.agentId(), Action.VIEW_CONTEXT, Outcome.SUCCESS, null, "websocket",
                    "whisper and preview pushed");
        }
    }

    private void broadcast(DeskHandoff handoff, String message) {
        for (DeskSocket socket : sockets) {
            if (handoff.visibleTo(socket.agentId())) {
                socket.send(message, sendTimeout);
            }
        }
    }

    private void push(Runnable task) {
        try {
            pusher.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("Agent desktop push failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            throw new NonRetriableHandoffException("agent desktop is closed", e);
        }
    }

    private void forgetOldest() {
        while (handoffs.size() > retainedHandoffs) {
            handoffs.values().stream().min(Comparator.comparingLong(DeskHandoff::sequence)).ifPresent(oldest -> {
                handoffs.remove(oldest.contextId(), oldest);
                contextByTicket.values().removeIf(oldest.contextId()::equals);
                reads.remove(oldest.contextId());
                LOG.debug("Agent desktop forgot handoff {} (keeps {})", oldest.contextId(), retainedHandoffs);
            });
        }
    }

    private CompletableFuture<ReadReceipt> readFuture(String contextId) {
        return reads.computeIfAbsent(contextId, id -> new CompletableFuture<>());
    }

    private Optional<ReadReceipt> readReceipt(String contextId) {
        CompletableFuture<ReadReceipt> f = reads.get(contextId);
        return f != null && f.isDone() ? Optional.of(f.join()) : Optional.empty();
    }

    private void auditFor(DeskHandoff handoff, String agentId, Action action, Outcome outcome, String commitmentId, String detail) {
        auditFor(handoff, agentId, action, outcome, commitmentId, "http", detail);
    }

    private void auditFor(DeskHandoff handoff, String agentId, Action action, Outcome outcome, String commitmentId,
                          String channel, String detail) {
        audit(new DesktopAuditRecord(clock.instant(), agentId, action, outcome, handoff.contextId(), handoff.sessionId(),
                commitmentId, channel, detail));
    }

    private void audit(DesktopAuditRecord record) {
        try {
            audit.record(record);
        } catch (RuntimeException e) {
            LOG.error("Desktop audit sink failed for {} by {} on {}: {}", record.action(), record.agentId(), record.contextId(),
                    e.toString());
        }
    }

    /** The default audit sink: one SLF4J line per record on logger {@code dev.handoff.examples.desktop.audit}. */
    static DesktopAuditSink loggingSink() {
        Logger auditLog = LoggerFactory.getLogger("dev.handoff.examples.desktop.audit");
        return r -> auditLog.info("audit action={} outcome={} agent={} context={} session={} commitment={} channel={} detail={}",
                r.action(), r.outcome(), r.agentId(), r.contextId(), r.sessionId(), r.commitmentId(), r.channel(), r.detail());
    }

    /**
     * Configures an {@link AgentDesktop}. Required: at least one agent. Everything else has a default, stated on each setter.
     */
    public static final class Builder {

        private final Map<String, byte[]> tokensByAgent = new LinkedHashMap<>();
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private DesktopAuditSink audit = loggingSink();
        private Clock clock = Clock.systemUTC();
        private Duration verificationWindow = DEFAULT_VERIFICATION_WINDOW;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private int retainedHandoffs = DEFAULT_RETAINED_HANDOFFS;

        private Builder() {
        }

        /**
         * Adds an agent who may open the desktop.
         *
         * @param id    1 to 64 characters of {@code [A-Za-z0-9._@-]}; matches {@link Target#address()} of
         *              {@link Target.Kind#AGENT} targets
         * @param token the agent's secret, at least {@value AgentDesktop#MIN_TOKEN_LENGTH} characters, no whitespace,
         *              unique per agent
         */
        public Builder agent(String id, String token) {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(token, "token");
            if (!AGENT_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("agent id must be 1-64 characters of [A-Za-z0-9._@-], was \"" + id + "\"");
            }
            if (tokensByAgent.containsKey(id)) {
                throw new IllegalArgumentException("agent \"" + id + "\" is configured twice");
            }
            // the token itself is a secret: messages give its length, never its value
            if (token.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("token of agent \"" + id + "\" must have at least " + MIN_TOKEN_LENGTH
                        + " characters, had " + token.length());
            }
            if (token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("token of agent \"" + id + "\" must not contain whitespace");
            }
            tokensByAgent.put(id, token.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /** Interface to bind. Default {@value AgentDesktop#DEFAULT_HOST} (loopback only). */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank, was \"" + host + "\"");
            }
            this.host = host;
            return this;
        }

        /** TCP port, 0 for an ephemeral one. Default {@value AgentDesktop#DEFAULT_PORT}. */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Where audit records go. Default: one INFO line each on logger {@code dev.handoff.examples.desktop.audit}. */
        public Builder auditSink(DesktopAuditSink audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        /** The clock for receipts, audit records and deadlines. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Time the agent has to verify commitments, counted from the first delivery of the handoff to an agent; the
         * page shows it as a countdown. Default {@link AgentDesktop#DEFAULT_VERIFICATION_WINDOW} (60 s).
         */
        public Builder verificationWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("verification window must be positive, was " + window);
            }
            this.verificationWindow = window;
            return this;
        }

        /** WebSocket idle timeout. Default {@link AgentDesktop#DEFAULT_IDLE_TIMEOUT} (30 min). */
        public Builder idleTimeout(Duration idleTimeout) {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idle timeout must be positive, was " + idleTimeout);
            }
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** Longest wait for one WebSocket push. Default {@link AgentDesktop#DEFAULT_SEND_TIMEOUT} (5 s). */
        public Builder sendTimeout(Duration sendTimeout) {
            Objects.requireNonNull(sendTimeout, "sendTimeout");
            if (sendTimeout.isNegative() || sendTimeout.isZero()) {
                throw new IllegalArgumentException("send timeout must be positive, was " + sendTimeout);
            }
            this.sendTimeout = sendTimeout;
            return this;
        }

        /** Handoffs kept in memory. Default {@value AgentDesktop#DEFAULT_RETAINED_HANDOFFS}. */
        public Builder retainedHandoffs(int retainedHandoffs) {
            if (retainedHandoffs < 1) {
                throw new IllegalArgumentException("retained handoffs must be at least 1, was " + retainedHandoffs);
            }
            this.retainedHandoffs = retainedHandoffs;
            return this;
        }

        /**
         * @throws ConfigurationException when no agent is configured or two agents share a token
         */
        public AgentDesktop build() {
            if (tokensByAgent.isEmpty()) {
                throw new ConfigurationException("agent desktop needs at least one agent; call agent(id, token)");
            }
            List<String> ids = new ArrayList<>(tokensByAgent.keySet());
            for (int i = 0; i < ids.size(); i++) {
                for (int j = i + 1; j < ids.size(); j++) {
                    if (MessageDigest.isEqual(tokensByAgent.get(ids.get(i)), tokensByAgent.get(ids.get(j)))) {
                        throw new ConfigurationException("agents \"" + ids.get(i) + "\" and \"" + ids.get(j)
                                + "\" have the same token; every agent needs their own");
                    }
                }
            }
            return new AgentDesktop(this);
        }
    }
}
