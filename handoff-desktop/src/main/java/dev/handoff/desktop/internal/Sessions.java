package dev.handoff.desktop.internal;

import dev.handoff.desktop.Agent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Signed-in sessions, server-side: the cookie carries only a random id. A session ends when the person signs out, after
 * the idle timeout without an action, or at its absolute expiry, whichever comes first; a session found past either
 * deadline is ended on the spot, so an expired cookie never works, sweep or not.
 */
final class Sessions {

    /** Cookie name over plain HTTP (loopback). */
    static final String COOKIE = "handoff-desk";
    /** Cookie name over TLS: the {@code __Host-} prefix pins it to this host, path {@code /}, {@code Secure}. */
    static final String SECURE_COOKIE = "__Host-handoff-desk";

    private final SecureRandom random = new SecureRandom();
    private final java.util.concurrent.atomic.AtomicLong order = new java.util.concurrent.atomic.AtomicLong();
    private final Map<String, DeskSession> byId = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration idleWarning;
    private final Duration lifetime;
    private final boolean tls;
    private final BiConsumer<DeskSession, String> onEnded;
    private final Consumer<DeskSession> onWarning;

    Sessions(DeskConfig config, BiConsumer<DeskSession, String> onEnded, Consumer<DeskSession> onWarning) {
        this.clock = config.clock();
        this.idleTimeout = config.idleTimeout();
        this.idleWarning = config.idleWarning();
        this.lifetime = config.sessionLifetime();
        this.tls = config.tls();
        this.onEnded = onEnded;
        this.onWarning = onWarning;
    }

    DeskSession signIn(Agent agent, String address) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        DeskSession s = new DeskSession(order.incrementAndGet(), id, "ds-" + id.substring(0, 6), agent, address, clock.instant(), lifetime);
        byId.put(id, s);
        return s;
    }

    /** The live session with this cookie value; one past a deadline is ended now and not returned. */
    Optional<DeskSession> find(String cookieValue) {
        if (cookieValue == null || cookieValue.length() != 43) {
            return Optional.empty();
        }
        DeskSession s = byId.get(cookieValue);
        if (s == null || s.ended()) {
            return Optional.empty();
        }
        String why = expired(s, clock.instant());
        if (why != null) {
            end(s, why);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    /** The person acted. */
    void touch(DeskSession s) {
        s.touch(clock.instant());
    }

    void end(DeskSession s, String reason) {
        byId.remove(s.id(), s);
        if (s.end(reason)) {
            onEnded.accept(s, reason);
        }
    }

    /** Ends sessions past a deadline and warns those within the warning; returns how many ended. */
    int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        for (DeskSession s : List.copyOf(byId.values())) {
            String why = expired(s, now);
            if (why != null) {
                end(s, why);
                ended++;
            } else if (!now.isBefore(s.signOutAt(idleTimeout).minus(idleWarning)) && s.warnOnce()) {
                onWarning.accept(s);
            }
        }
        return ended;
    }

    /** Sessions signed in now. */
    Collection<DeskSession> active() {
        return new ArrayList<>(byId.values());
    }

    /** Whether this agent has another live session besides {@code except}. */
    boolean signedIn(String agentId, DeskSession except) {
        return byId.values().stream().anyMatch(s -> s != except && !s.ended() && s.agent().id().equals(agentId));
    }

    Instant signOutAt(DeskSession s) {
        return s.signOutAt(idleTimeout);
    }

    /** The {@code Set-Cookie} value that gives the browser this session. */
    String cookie(DeskSession s) {
        return name() + "=" + s.id() + "; Path=/; Max-Age=" + lifetime.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (tls ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes it. */
    String clearCookie() {
        return name() + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
    }

    String name() {
        return tls ? SECURE_COOKIE : COOKIE;
    }

    void endAll(String reason) {
        List.copyOf(byId.values()).forEach(s -> end(s, reason));
    }

    private String expired(DeskSession s, Instant now) {
        if (!now.isBefore(s.expiresAt())) {
            return "expired";
        }
        if (!now.isBefore(s.lastActionAt().plus(idleTimeout))) {
            return "idle";
        }
        return null;
    }
}
