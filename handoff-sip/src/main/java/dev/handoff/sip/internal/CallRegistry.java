package dev.handoff.sip.internal;

import dev.handoff.api.SessionId;
import dev.handoff.sip.CallLeg;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The open calls, by Call-ID and by session, and who is told when a call comes in or ends: adds and forgets legs,
 * marks them ended and tells their listeners. Part of {@link SipEngine}.
 */
final class CallRegistry {

    /** The engine's logger, so that logging configured for {@link SipEngine} keeps covering these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(SipEngine.class);

    private final Map<String, Leg> legs = new ConcurrentHashMap<>();
    private final Map<SessionId, Leg> sessions = new ConcurrentHashMap<>();
    private final List<Consumer<CallLeg>> incomingListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<CallLeg>> endedListeners = new CopyOnWriteArrayList<>();

    Map<String, Leg> legs() {
        return legs;
    }

    Map<SessionId, Leg> sessions() {
        return sessions;
    }

    List<Consumer<CallLeg>> incomingListeners() {
        return incomingListeners;
    }

    void onIncomingCall(Consumer<CallLeg> listener) {
        incomingListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void onCallEnded(Consumer<CallLeg> listener) {
        endedListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The leg of the call with {@code callId}, or null. */
    Leg legOf(String callId) {
        return legs.get(callId);
    }

    /** The call leg of a session, or null. */
    Leg leg(SessionId sessionId) {
        return sessions.get(sessionId);
    }

    /** Marks a leg ended and tells its listener and the call-ended listeners. Call on the leg's executor. */
    void terminate(Leg leg, boolean byRemote) {
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

    /** Ends a leg the application never saw (no onIncomingCall), without telling anyone. Call on the leg's executor. */
    void discard(Leg leg) {
        leg.state = CallLeg.State.TERMINATED;
        forget(leg);
    }

    void forget(Leg leg) {
        legs.remove(leg.callId, leg);
        if (leg.sessionId != null) {
            sessions.remove(leg.sessionId, leg);
        }
    }

    /** Forgets every call at once (the engine is closing; no one is told). */
    void clear() {
        legs.clear();
        sessions.clear();
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
}
