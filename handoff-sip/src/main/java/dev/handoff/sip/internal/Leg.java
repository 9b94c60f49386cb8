package dev.handoff.sip.internal;

import dev.handoff.api.SessionId;
import dev.handoff.sip.CallLeg;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.header.Header;
import javax.sip.message.Message;

/**
 * One dialog owned by the engine. Mutable fields are written on the leg's serial executor and read anywhere.
 */
public final class Leg implements CallLeg {

    final String callId;
    final Direction direction;
    final SerialExecutor events;
    final AtomicInteger pending = new AtomicInteger();
    final java.util.concurrent.CompletableFuture<Leg> answered = new java.util.concurrent.CompletableFuture<>();
    volatile SessionId sessionId;
    volatile State state = State.EARLY;
    volatile Dialog dialog;
    volatile ServerTransaction inviteServerTx;
    volatile ClientTransaction inviteClientTx;
    volatile boolean awaitingAck;
    volatile String localUri = "";
    volatile String remoteUri = "";
    volatile String requestUri = "";
    volatile Map<String, String> headers = Map.of();
    volatile Set<String> allow = Set.of();
    volatile Set<String> supported = Set.of();
    volatile LegListener listener;
    /** The transfer in progress on this leg, if any; only touched on {@link #events}. */
    volatile Object transfer;
    int sdpVersion = 1;

    Leg(SessionId sessionId, String callId, Direction direction, SerialExecutor events) {
        this.sessionId = sessionId;
        this.callId = callId;
        this.direction = direction;
        this.events = events;
    }

    /** Completes when an outbound call is answered, or exceptionally when it fails. */
    public java.util.concurrent.CompletableFuture<Leg> answered() {
        return answered;
    }

    /** The executor that runs this leg's events in order. */
    public SerialExecutor events() {
        return events;
    }

    /** Transactions sent on this dialog and not yet finally answered, plus an unacknowledged answered INVITE. */
    public int pendingTransactions() {
        return pending.get() + (awaitingAck ? 1 : 0);
    }

    /** The transfer currently bound to this leg; call on {@link #events()} only. */
    public Object transfer() {
        return transfer;
    }

    /** Binds or clears the transfer; call on {@link #events()} only. */
    public void transfer(Object value) {
        this.transfer = value;
    }

    /** Sets who receives this leg's events. */
    public void listener(LegListener value) {
        this.listener = value;
    }

    void capture(Message message) {
        TreeMap<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        LinkedHashSet<String> methods = new LinkedHashSet<>();
        LinkedHashSet<String> options = new LinkedHashSet<>();
        ListIterator<String> names = message.getHeaderNames();
        while (names.hasNext()) {
            String name = names.next();
            ListIterator<?> values = message.getHeaders(name);
            boolean first = true;
            while (values.hasNext()) {
                Header h = (Header) values.next();
                String value = valueOf(h);
                if (first) {
                    map.putIfAbsent(name, value);
                    first = false;
                }
                String lname = name.toLowerCase(Locale.ROOT);
                if (lname.equals("allow")) {
                    split(value, methods, true);
                } else if (lname.equals("supported") || lname.equals("k") || lname.equals("require")) {
                    split(value, options, false);
                }
            }
        }
        this.headers = Collections.unmodifiableMap(map);
        this.allow = Collections.unmodifiableSet(methods);
        this.supported = Collections.unmodifiableSet(options);
    }

    private static String valueOf(Header h) {
        String s = h.toString().trim();
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(colon + 1).trim();
    }

    private static void split(String value, Set<String> into, boolean upper) {
        for (String part : value.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                into.add(upper ? p.toUpperCase(Locale.ROOT) : p.toLowerCase(Locale.ROOT));
            }
        }
    }

    @Override
    public SessionId sessionId() {
        return sessionId;
    }

    @Override
    public String callId() {
        return callId;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String localUri() {
        return localUri;
    }

    @Override
    public String remoteUri() {
        return remoteUri;
    }

    @Override
    public String requestUri() {
        return requestUri;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public Set<String> allow() {
        return allow;
    }

    @Override
    public Set<String> supported() {
        return supported;
    }

    @Override
    public String toString() {
        return "CallLeg[" + sessionId + ", " + direction + ", " + state + ", " + callId + "]";
    }
}
