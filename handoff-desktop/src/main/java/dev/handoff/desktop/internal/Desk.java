package dev.handoff.desktop.internal;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AuditRecord.Action;
import dev.handoff.core.Handoff;
import dev.handoff.desktop.Agent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's runtime behind {@code AgentDesktop}: it wires the sessions, the live model, the offers, the KPIs, the
 * wallboard and the server, and carries the callbacks between them. Not API.
 */
public final class Desk {

    /** How often open sockets are pinged. */
    static final Duration PING_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Desk.class);

    private final DeskConfig config;
    private final Clock clock;
    private final DeskJson json = new DeskJson();
    private final DeskAudit audit;
    private final Sessions sessions;
    private final SignInLimiter limiter;
    private final Kpis kpis;
    private final Live live;
    private final Offers offers;
    private final Board board;
    private final Pushes pushes = new Pushes();
    private final Gate gate = new Gate();
    private final Set<String> dirtyBoards = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "handoff-desk-timer");
        t.setDaemon(true);
        return t;
    });
    private final dev.handoff.api.event.HandoffListener listener;
    private final dev.handoff.api.event.HandoffListener remoteListener;
    private volatile Handoff handoff;
    private volatile DeskServer server;
    private volatile int port = -1;
    private volatile boolean closed;

    public Desk(DeskConfig config) {
        this.config = config;
        this.clock = config.clock();
        this.audit = new DeskAudit(clock);
        this.sessions = new Sessions(config, this::sessionEnded, this::sessionWarned);
        this.limiter = new SignInLimiter(config.signInFailures(), config.signInWindow(), clock);
        this.kpis = new Kpis(clock);
        this.live = new Live(this, config, kpis);
        this.offers = new Offers(this, clock, config.declineCooldown(), timer);
        this.board = new Board(live, sessions, kpis);
        this.listener = live::onEvent;
        this.remoteListener = live::onRemoteEvent;
    }

    public synchronized void start(Handoff h) {
        if (closed) {
            throw new ConfigurationException("agent desktop is closed; build a new one");
        }
        if (server != null) {
            throw new ConfigurationException("agent desktop already started on port " + port);
        }
        this.handoff = h;
        audit.sink(h.auditSink());
        live.handoff(h);
        offers.queues(h.chatQueues().orElse(null));
        board.queues(h.chatQueues().orElse(null));
        h.addListener(listener);
        h.agentRelay().addListener(remoteListener);
        Routes routes = new Routes(this, new Api(this), Assets.load(), gate, config.tls());
        DeskServer s = new DeskServer(config, this, routes, gate);
        int bound = s.start(config);
        gate.bound(config.tls(), config.host(), config.loopback(), bound, config.origins());
        this.server = s;
        this.port = bound;
        long sweep = config.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, sweep, sweep, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> pushes.runIfOpen(() -> pushes.sockets(x -> true).forEach(DeskSocket::ping)),
                PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Agent desktop listening on {} (sign in at {}signin)", baseUri(), baseUri());
    }

    public void notify(AgentNotification n) {
        if (closed) {
            throw new NonRetriableHandoffException("the agent desktop is closed");
        }
        live.onNotify(n);
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException("the agent desktop is not started");
        }
        return port;
    }

    public URI baseUri() {
        String host = config.host().contains(":") && !config.host().startsWith("[") ? "[" + config.host() + "]" : config.host();
        return URI.create((config.tls() ? "https://" : "http://") + host + ":" + port() + "/");
    }

    public int sweep() {
        limiter.sweep();
        return sessions.sweep();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Desktop session sweep failed", e);
        }
    }

    public synchronized void close() {
        if (closed) {
            return;
        }
        sessions.endAll("closed");
        closed = true;
        offers.close();
        timer.shutdownNow();
        DeskServer s = server;
        pushes.close();
        if (s != null) {
            s.stop();
        }
        Handoff h = handoff;
        if (h != null) {
            h.removeListener(listener);
            h.agentRelay().removeListener(remoteListener);
        }
    }

    // ---- for the parts ----

    DeskConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    DeskJson json() {
        return json;
    }

    DeskAudit audit() {
        return audit;
    }

    Sessions sessions() {
        return sessions;
    }

    SignInLimiter limiter() {
        return limiter;
    }

    Live live() {
        return live;
    }

    Offers offers() {
        return offers;
    }

    Board board() {
        return board;
    }

    Kpis kpis() {
        return kpis;
    }

    Handoff handoff() {
        return handoff;
    }

    Duration verificationWindow() {
        return config.verificationWindow();
    }

    // ---- sessions ----

    DeskSession signedIn(Agent agent, String address) {
        boolean first = !sessions.signedIn(agent.id(), null);
        DeskSession s = sessions.signIn(agent, address);
        audit.record(agent.id(), Action.DESK_SIGNED_IN, null, null, "ok", address);
        LOG.info("{} {} signed in to the desktop ({})", agent.role(), agent.id(), s.ref());
        if (first) {
            offers.arrived(agent);
        }
        boardChanged(agent.tenant());
        return s;
    }

    /** The person acted (any POST): the idle clock restarts and their pages learn the new sign-out time. */
    void acted(DeskSession s) {
        sessions.touch(s);
        String msg = json.session("session", clock.instant(), sessions.signOutAt(s));
        pushes.runIfOpen(() -> s.sockets().forEach(x -> x.send(msg)));
    }

    private void sessionWarned(DeskSession s) {
        String msg = json.session("idle-warning", clock.instant(), sessions.signOutAt(s));
        pushes.runIfOpen(() -> s.sockets().forEach(x -> x.send(msg)));
    }

    private void sessionEnded(DeskSession s, String reason) {
        audit.record(s.agent().id(), Action.DESK_SIGNED_OUT, null, null, reason, s.address());
        LOG.info("{} {} signed out of the desktop ({}, {})", s.agent().role(), s.agent().id(), s.ref(), reason);
        String msg = json.signedOut(reason);
        pushes.runIfOpen(() -> s.sockets().forEach(x -> {
            x.send(msg);
            x.close(DeskSocket.SIGNED_OUT, "signed out");
        }));
        if (!sessions.signedIn(s.agent().id(), s)) {
            offers.left(s.agent().id());
        }
        if (!closed) {
            boardChanged(s.agent().tenant());
        }
    }

    // ---- sockets ----

    void socketOpened(DeskSocket socket) {
        DeskSession s = socket.session();
        audit.record(s.agent().id(), Action.DESK_CONNECTED, null, null, socket.kind() == DeskSocket.Kind.BOARD ? "board" : "desk",
                socket.address());
        if (s.ended() || closed) {
            socket.close(DeskSocket.SIGNED_OUT, "signed out");
            return;
        }
        s.sockets().add(socket);
        pushes.add(socket);
        pushes.runIfOpen(() -> {
            socket.send(json.hello(s, clock.instant(), sessions.signOutAt(s), config.idleWarning().toSeconds(),
                    config.verificationWindow().toSeconds()));
            if (socket.kind() == DeskSocket.Kind.BOARD) {
                socket.send(json.write(board.snapshot(s.agent().tenant(), clock.instant())));
                return;
            }
            for (DeskHandoff h : live.all()) {
                if (h.notification() != null && Access.canSee(s.agent(), h)) {
                    deliverNotice(h, socket);
                }
            }
            for (Offers.DeskOffer o : offers.open(s.agent().id())) {
                socket.send(json.offer(o, live.byContext(o.contextId()).orElse(null), clock.instant()));
            }
        });
    }

    void socketClosed(DeskSocket socket) {
        socket.session().sockets().remove(socket);
        if (pushes.remove(socket)) {
            audit.record(socket.session().agent().id(), Action.DESK_DISCONNECTED, null, null,
                    socket.kind() == DeskSocket.Kind.BOARD ? "board" : "desk", socket.address());
        }
    }

    // ---- pushes ----

    /** A message about a handoff to every desk socket whose person may see it, built per viewer. */
    void toViewers(DeskHandoff h, Function<Agent, String> message) {
        pushes.runIfOpen(() -> {
            for (DeskSocket s : pushes.sockets(x -> x.kind() == DeskSocket.Kind.DESK && Access.canSee(x.session().agent(), h))) {
                s.send(message.apply(s.session().agent()));
            }
        });
    }

    /** The desk sockets whose person may see the handoff now. */
    java.util.List<DeskSocket> viewers(DeskHandoff h) {
        return pushes.sockets(x -> x.kind() == DeskSocket.Kind.DESK && Access.canSee(x.session().agent(), h));
    }

    /** Tells the pages that could see the handoff and no longer may (another agent took it) to drop it. */
    void noLongerViewers(DeskHandoff h, java.util.List<DeskSocket> before, String reason) {
        String msg = json.gone(h, reason);
        pushes.runIfOpen(() -> before.stream().filter(x -> !Access.canSee(x.session().agent(), h)).forEach(x -> x.send(msg)));
    }

    /** The whisper-first notice to every desk socket whose person may see the handoff; each delivery is audited. */
    void noticeToViewers(DeskHandoff h) {
        pushes.runIfOpen(() -> {
            for (DeskSocket s : pushes.sockets(x -> x.kind() == DeskSocket.Kind.DESK && Access.canSee(x.session().agent(), h))) {
                deliverNotice(h, s);
            }
        });
    }

    private void deliverNotice(DeskHandoff h, DeskSocket s) {
        if (s.send(json.notice(h, s.session().agent(), clock.instant()))) {
            audit.record(s.session().agent().id(), Action.CONTEXT_VIEWED, h.sessionId(), h.contextId(), "whisper", s.address());
        }
    }

    void offerMade(Offers.DeskOffer o) {
        DeskHandoff h = live.byContext(o.contextId()).or(() -> live.remote(o.offer())).orElse(null);
        pushes.runIfOpen(() -> {
            for (DeskSocket s : pushes.sockets(x -> x.kind() == DeskSocket.Kind.DESK && x.session().agent().id().equals(o.agentId()))) {
                if (s.send(json.offer(o, h, clock.instant()))) {
                    audit.record(o.agentId(), Action.CONTEXT_VIEWED, o.sessionId(), o.contextId(), "offer", s.address());
                }
            }
        });
    }

    void offerWithdrawn(Offers.DeskOffer o, String reason) {
        String msg = json.offerGone(o.id(), reason);
        pushes.runIfOpen(() -> pushes.sockets(x -> x.session().agent().id().equals(o.agentId())).forEach(s -> s.send(msg)));
    }

    void offersWithdrawn(SessionId sid, String reason) {
        offers.withdraw(sid, reason);
    }

    /** The tenant's wallboard changed: one fresh snapshot goes to its supervisors' boards, however many changes came. */
    void boardChanged(String tenant) {
        if (!dirtyBoards.add(tenant)) {
            return;
        }
        try {
            pushes.runIfOpen(() -> {
                dirtyBoards.remove(tenant);
                var boards = pushes.sockets(x -> x.kind() == DeskSocket.Kind.BOARD && x.session().agent().tenant().equals(tenant));
                if (!boards.isEmpty()) {
                    String msg = json.write(board.snapshot(tenant, clock.instant()));
                    boards.forEach(s -> s.send(msg));
                }
            });
        } catch (RejectedExecutionException e) {
            dirtyBoards.remove(tenant);
        }
    }
}
