package dev.handoff.desktop.internal;

import dev.handoff.desktop.Agent;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One signed-in browser session: who, from where, since when, their last action, and the sockets it has open. Its id
 * is the cookie value (256 random bits) and is never logged; {@link #ref()} names it in logs.
 */
final class DeskSession {

    private final long order;
    private final String id;
    private final String ref;
    private final Agent agent;
    private final String address;
    private final Instant signedInAt;
    private final Instant expiresAt;
    private final Set<DeskSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile Instant lastActionAt;
    private volatile boolean warned;
    private volatile String endReason;

    DeskSession(long order, String id, String ref, Agent agent, String address, Instant now, Duration lifetime) {
        this.order = order;
        this.id = id;
        this.ref = ref;
        this.agent = agent;
        this.address = address;
        this.signedInAt = now;
        this.expiresAt = now.plus(lifetime);
        this.lastActionAt = now;
    }

    String id() {
        return id;
    }

    /** Sign-in order: the n-th session signed in. */
    long order() {
        return order;
    }

    /** A short non-secret name for logs. */
    String ref() {
        return ref;
    }

    Agent agent() {
        return agent;
    }

    /** The address the person signed in from. */
    String address() {
        return address;
    }

    Instant signedInAt() {
        return signedInAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant lastActionAt() {
        return lastActionAt;
    }

    /** When the idle logoff happens unless the person acts (never after the absolute expiry). */
    Instant signOutAt(Duration idleTimeout) {
        Instant idle = lastActionAt.plus(idleTimeout);
        return idle.isBefore(expiresAt) ? idle : expiresAt;
    }

    /** The person acted: the idle clock restarts and a pending warning is withdrawn. */
    synchronized boolean touch(Instant now) {
        boolean wasWarned = warned;
        lastActionAt = now;
        warned = false;
        return wasWarned;
    }

    /** True the first time the warning is due. */
    synchronized boolean warnOnce() {
        if (warned) {
            return false;
        }
        warned = true;
        return true;
    }

    /** Ends the session; true the first time. */
    synchronized boolean end(String reason) {
        if (endReason != null) {
            return false;
        }
        endReason = reason;
        return true;
    }

    boolean ended() {
        return endReason != null;
    }

    Set<DeskSocket> sockets() {
        return sockets;
    }
}
