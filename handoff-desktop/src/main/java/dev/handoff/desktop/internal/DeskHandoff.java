package dev.handoff.desktop.internal;

import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Priority;
import dev.handoff.api.SessionId;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AgentActions;
import dev.handoff.api.spi.AgentNotification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One handoff as the desktop knows it, from core's events and the agent notification: its phase, where it is routed,
 * who took it, its context (once notified) and the verified copy (once an agent opened it), the turns since, the
 * commitments and who opened it when. Thread-safe: every accessor holds the object's lock.
 */
final class DeskHandoff {

    /** Live turns kept per handoff (the context has everything before). */
    static final int MAX_LIVE_TURNS = 1_000;

    private final long sequence;
    private final String handoffId;
    private final SessionId sessionId;
    private final String tenant;
    private final String ref;
    private Channel channel;
    private String customerName;
    private Instant requestedAt;
    private Priority priority = Priority.NORMAL;
    private boolean silentAlarm;
    private List<String> reasons = List.of();
    private HandoffPhase phase = HandoffPhase.REQUESTED;
    private Instant phaseAt;
    private Target target;
    private final Set<Target> notifiedTargets = new LinkedHashSet<>();
    private Instant waitingSince;
    private String acceptedBy;
    private Instant connectedAt;
    private String contextId;
    private AgentNotification notification;
    private HandoffContext verified;
    private final List<Turn> liveTurns = new ArrayList<>();
    private final Map<String, Commitment> commitments = new LinkedHashMap<>();
    private final Map<String, Instant> firstSeen = new LinkedHashMap<>();
    private final Map<String, Instant> overdue = new LinkedHashMap<>();
    private final Map<String, Instant> openedAt = new LinkedHashMap<>();
    private String readBy;
    private Instant readAt;
    private String ended;

    DeskHandoff(long sequence, String handoffId, SessionId sessionId, String tenant, Instant now) {
        this.sequence = sequence;
        this.handoffId = handoffId;
        this.sessionId = sessionId;
        this.tenant = tenant;
        this.ref = ref(sessionId);
        this.requestedAt = now;
        this.phaseAt = now;
    }

    /** A short, stable, readable reference for the conversation ({@code #K3F9}), instead of a raw SIP Call-ID. */
    static String ref(SessionId id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.value().getBytes(StandardCharsets.UTF_8));
            String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            StringBuilder b = new StringBuilder("#");
            for (int i = 0; i < 4; i++) {
                b.append(alphabet.charAt((h[i] & 0xff) % alphabet.length()));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    long sequence() {
        return sequence;
    }

    String handoffId() {
        return handoffId;
    }

    SessionId sessionId() {
        return sessionId;
    }

    String tenant() {
        return tenant;
    }

    String ref() {
        return ref;
    }

    /** The customer's name as the bot collected it (field {@code name}), until the context brings the CRM's. */
    synchronized void customerName(String name) {
        if (name != null && !name.isBlank()) {
            customerName = name.strip();
        }
    }

    synchronized void requested(Instant at, Priority p, boolean alarm, List<String> reasonKinds, Channel ch) {
        requestedAt = at;
        priority = p;
        silentAlarm = alarm;
        reasons = List.copyOf(reasonKinds);
        if (ch != null) {
            channel = ch;
        }
    }

    /** The readable label: the customer's name when the context has one, the channel, the reference. */
    synchronized String label() {
        String name = null;
        HandoffContext c = context();
        if (c != null) {
            if (c.crmProfile() != null && c.crmProfile().displayName() != null && !c.crmProfile().displayName().isBlank()) {
                name = c.crmProfile().displayName();
            } else if (c.customer() != null) {
                name = c.customer().fields().getOrDefault("name", c.customer().fields().get("full_name"));
            }
        }
        if (name == null) {
            name = customerName;
        }
        String kind = channel == null ? "conversation" : channel == Channel.VOICE ? "call" : "chat";
        return (name == null || name.isBlank() ? "Customer" : name.strip()) + " · " + kind + " " + ref;
    }

    synchronized Channel channel() {
        return channel;
    }

    synchronized Instant requestedAt() {
        return requestedAt;
    }

    synchronized Priority priority() {
        return priority;
    }

    synchronized boolean silentAlarm() {
        return silentAlarm;
    }

    synchronized List<String> reasons() {
        return reasons;
    }

    synchronized HandoffPhase phase() {
        return phase;
    }

    synchronized Instant phaseAt() {
        return phaseAt;
    }

    /**
     * Moves to {@code p} unless that would go back: once a human has the handoff ({@code CONNECTED}, {@code VERIFIED})
     * only {@code VERIFIED} or an end may follow, as {@link HandoffPhase} allows, and an ended handoff stays ended. On
     * an instance that relays another's handoff, an earlier phase (a {@code TRANSFERRING}) can arrive after an agent
     * here accepted the chat; taking it would refuse her messages as "accept first".
     *
     * @return true when the phase was taken
     */
    synchronized boolean phase(HandoffPhase p, Instant at) {
        boolean human = phase == HandoffPhase.CONNECTED || phase == HandoffPhase.VERIFIED;
        if (phase.isFinal() || (human && !p.isFinal() && p != HandoffPhase.VERIFIED && p != phase)) {
            return false;
        }
        phase = p;
        phaseAt = at;
        if (p.isFinal()) {
            waitingSince = null;
        }
        return true;
    }

    synchronized Target target() {
        return target;
    }

    synchronized Set<Target> notifiedTargets() {
        return Set.copyOf(notifiedTargets);
    }

    synchronized void transferStarted(Target t, TransferMode mode, Instant at) {
        target = t;
        waitingSince = mode == TransferMode.QUEUE ? at : null;
    }

    synchronized void transferEnded() {
        waitingSince = null;
    }

    /** Since when the customer waits in a queue for an agent; null when not waiting in one. */
    synchronized Instant waitingSince() {
        return waitingSince;
    }

    synchronized void connected(String agentId, TransferMode mode, Instant at) {
        connectedAt = at;
        waitingSince = null;
        if (mode == TransferMode.QUEUE && agentId != null) {
            acceptedBy = agentId;
        }
    }

    /** The desktop agent who accepted the chat, or null (voice, or not yet connected). */
    synchronized String acceptedBy() {
        return acceptedBy;
    }

    synchronized Instant connectedAt() {
        return connectedAt;
    }

    synchronized void packaged(String id) {
        contextId = id;
    }

    synchronized String contextId() {
        return notification != null ? notification.context().contextId() : contextId;
    }

    /** Notified (again, for a fallback target): keeps what is known. */
    synchronized void notified(AgentNotification n, Instant now) {
        notification = n;
        target = n.target();
        notifiedTargets.add(n.target());
        if (channel == null) {
            channel = n.context().channel();
        }
        for (Commitment c : n.context().commitments()) {
            commitments.putIfAbsent(c.id(), c);
            firstSeen.putIfAbsent(c.id(), now);
        }
    }

    synchronized AgentNotification notification() {
        return notification;
    }

    synchronized AgentActions actions() {
        return notification == null ? null : notification.actions();
    }

    /** The context as notified (whisper, preview), or null before the notification. */
    synchronized HandoffContext context() {
        return notification == null ? null : notification.context();
    }

    synchronized HandoffContext verified() {
        return verified;
    }

    synchronized void verified(HandoffContext c) {
        verified = c;
    }

    /** A turn recorded after the context was packaged; earlier ones are in the context. */
    synchronized boolean addTurn(Turn t) {
        HandoffContext c = context();
        if (c != null && t.index() < c.transcript().size()) {
            return false;
        }
        for (int i = 0; i < liveTurns.size(); i++) {
            if (liveTurns.get(i).index() == t.index()) {
                liveTurns.set(i, t);
                return true;
            }
        }
        liveTurns.add(t);
        if (liveTurns.size() > MAX_LIVE_TURNS) {
            liveTurns.remove(0);
        }
        return true;
    }

    synchronized List<Turn> liveTurns() {
        return List.copyOf(liveTurns);
    }

    synchronized void commitment(Commitment c, Instant now) {
        commitments.put(c.id(), c);
        firstSeen.putIfAbsent(c.id(), now);
        if (c.status() != Commitment.Status.PENDING_VERIFICATION) {
            overdue.remove(c.id());
        }
    }

    synchronized List<Commitment> commitments() {
        return List.copyOf(commitments.values());
    }

    synchronized void overdue(List<Commitment> pending, Instant deadline) {
        for (Commitment c : pending) {
            commitments.put(c.id(), c);
            overdue.put(c.id(), deadline);
        }
    }

    /** Commitments core reported overdue and nobody has verified since, with their deadline. */
    synchronized Map<String, Instant> overdue() {
        return Map.copyOf(overdue);
    }

    /** When this commitment must be verified: the verification window from when the agent opened the handoff, or from
     * when the commitment appeared if later. Null before the agent opened it. */
    synchronized Instant verifyBy(String agentId, String commitmentId, Duration window) {
        Instant opened = openedAt.get(agentId);
        if (opened == null) {
            return null;
        }
        Instant seen = firstSeen.getOrDefault(commitmentId, opened);
        return (seen.isAfter(opened) ? seen : opened).plus(window);
    }

    /** The agent opened it: the first time counts. */
    synchronized Instant opened(String agentId, Instant now) {
        return openedAt.computeIfAbsent(agentId, a -> now);
    }

    synchronized void read(String agentId, Instant at) {
        if (readBy == null) {
            readBy = agentId;
            readAt = at;
        }
    }

    synchronized String readBy() {
        return readBy;
    }

    synchronized Instant readAt() {
        return readAt;
    }

    synchronized void ended(String why) {
        if (ended == null) {
            ended = why;
            waitingSince = null;
        }
    }

    /** Why it is no longer live (returned to the bot, the session ended), or null while live. */
    synchronized String ended() {
        return ended;
    }

    synchronized boolean live() {
        return ended == null && !phase.isFinal();
    }
}
