package dev.handoff.desktop.internal;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the desktop knows, built only from core: the Handoff's events (phases, routing, transfers, turns, commitments,
 * reads, the relay) and its agent notifications. Each change goes to the people who may see it, and to the tenant's
 * KPIs and wallboard. Called on Handoff's threads (events of one session one at a time); quick, never blocks.
 */
final class Live {

    private static final Logger LOG = LoggerFactory.getLogger(Live.class);

    private final Desk desk;
    private final Clock clock;
    private final int retained;
    private final Function<CustomerData, String> tenantOf;
    private final Kpis kpis;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, DeskHandoff> byHandoff = new ConcurrentHashMap<>();
    private final Map<String, DeskHandoff> byContext = new ConcurrentHashMap<>();
    private final Map<SessionId, DeskHandoff> current = new ConcurrentHashMap<>();
    private final Map<SessionId, String> tenants = new ConcurrentHashMap<>();
    private final Map<SessionId, HandoffDecision> requested = new ConcurrentHashMap<>();
    /** Sessions of handoffs another instance runs that this desktop shows. */
    private final java.util.Set<SessionId> remote = ConcurrentHashMap.newKeySet();
    private volatile Handoff handoff;

    Live(Desk desk, DeskConfig config, Kpis kpis) {
        this.desk = desk;
        this.clock = config.clock();
        this.retained = config.retainedHandoffs();
        this.tenantOf = config.tenantOf();
        this.kpis = kpis;
    }

    void handoff(Handoff h) {
        this.handoff = h;
    }

    /** A Handoff event: KPIs first (every session's), then the desktop's view of its handoff. */
    void onEvent(HandoffEvent e) {
        // feedback often comes after the session ended: its handoff knows the tenant
        kpis.onEvent(e instanceof HandoffEvent.FeedbackGiven f ? byContext(f.contextId()).map(DeskHandoff::tenant)
                .orElseGet(() -> tenant(f.sessionId(), null)) : tenant(e.sessionId(), null), e);
        apply(e);
    }

    /**
     * An event of a handoff another instance runs, relayed to this one ({@code Handoff.agentRelay()}): the desktop's
     * view follows it; the KPIs do not count it (the owner instance's desktop does).
     */
    void onRemoteEvent(HandoffEvent e) {
        if (remote.contains(e.sessionId())) {
            apply(e);
        }
    }

    /**
     * A chat offer from the shared queues for a handoff another instance runs: the desktop shows it as if notified
     * here (whisper first), with the context read from the shared store and verified (signature, expiry) and the
     * relay's handle for its actions. Empty when this instance runs it, nobody does (any more), or the shared state
     * cannot be read now (then the offer shows without the whisper, and opening it tries again).
     */
    Optional<DeskHandoff> remote(dev.handoff.core.chat.Offer offer) {
        Optional<DeskHandoff> known = byContext(offer.contextId());
        Handoff x = handoff;
        if (known.isPresent() || x == null) {
            return known;
        }
        try {
            Optional<dev.handoff.api.spi.AgentActions> actions = x.agentActions(offer.contextId());
            if (actions.isEmpty() || x.session(offer.sessionId()).isPresent()) {
                return byContext(offer.contextId());
            }
            Optional<dev.handoff.api.context.HandoffContext> context = x.contexts().get(offer.contextId()).map(x.signer()::verify);
            if (context.isEmpty()) {
                return Optional.empty();
            }
            remote.add(offer.sessionId());
            onNotify(new AgentNotification(offer.request().target(), context.get(), offer.ticket(), actions.get()));
            return byContext(offer.contextId());
        } catch (dev.handoff.api.HandoffException e) {
            LOG.warn("Handoff of context {} runs on another instance and cannot be shown here now: {}", offer.contextId(), e.getMessage());
            return Optional.empty();
        }
    }

    /** An agent here accepted a chat another instance runs: it is theirs from now (the owner's events confirm it). */
    void acceptedHere(String contextId, String agentId) {
        DeskHandoff h = byContext(contextId).orElse(null);
        if (h == null || !remote.contains(h.sessionId())) {
            return;
        }
        var before = desk.viewers(h);
        h.connected(agentId, dev.handoff.api.TransferMode.QUEUE, clock.instant());
        if (!h.phase().isFinal() && h.phase() != dev.handoff.api.HandoffPhase.VERIFIED) {
            h.phase(dev.handoff.api.HandoffPhase.CONNECTED, clock.instant());
        }
        desk.noLongerViewers(h, before, "another agent took this chat");
        changed(h, true);
    }

    private void apply(HandoffEvent e) {
        SessionId sid = e.sessionId();
        String tenant = tenant(sid, null);
        if (e instanceof HandoffEvent.HandoffRequested r) {
            requested.put(sid, r.decision());
            return;
        }
        if (e instanceof HandoffEvent.PhaseChanged p) {
            DeskHandoff h = byHandoff.computeIfAbsent(p.handoffId(), id -> created(id, sid, tenant));
            current.put(sid, h);
            if (!h.phase(p.phase(), p.at())) {
                return;   // an earlier phase relayed after a later one was known here
            }
            if (p.phase().isFinal()) {
                desk.offersWithdrawn(sid, "the handoff ended");
            }
            changed(h, true);
            if (p.phase() == dev.handoff.api.HandoffPhase.REQUESTED) {
                forgetOldest();
            }
            return;
        }
        if (e instanceof HandoffEvent.SessionEnded s) {
            DeskHandoff h = current.remove(sid);
            tenants.remove(sid);
            remote.remove(sid);
            requested.remove(sid);
            desk.offersWithdrawn(sid, "the customer left");
            if (h != null) {
                h.ended("the conversation ended");
                changed(h, true);
            }
            return;
        }
        DeskHandoff h = current.get(sid);
        if (h == null) {
            return;   // a turn of a conversation the bot still has alone
        }
        if (e instanceof HandoffEvent.ContextPackaged c) {
            h.packaged(c.contextId());
            byContext.put(c.contextId(), h);
        } else if (e instanceof HandoffEvent.TransferStarted t) {
            h.transferStarted(t.target(), t.mode(), t.at());
            desk.boardChanged(h.tenant());
        } else if (e instanceof HandoffEvent.TransferFailed f) {
            h.transferEnded();
            desk.offersWithdrawn(sid, "the offer expired");
            desk.boardChanged(h.tenant());
        } else if (e instanceof HandoffEvent.HandoffCompleted c) {
            var before = desk.viewers(h);
            h.connected(c.result().agentId(), c.result().mode(), c.at());
            desk.noLongerViewers(h, before, "another agent took this chat");
            desk.offersWithdrawn(sid, "the chat was taken");
            changed(h, true);
        } else if (e instanceof HandoffEvent.ReturnedToBot r) {
            h.ended("returned to the bot");
            changed(h, true);
        } else if (e instanceof HandoffEvent.TurnRecorded t) {
            if (h.notification() != null && h.addTurn(t.turn())) {
                desk.toViewers(h, viewer -> desk.json().turnMessage(h, t.turn()));
            }
        } else if (e instanceof HandoffEvent.CommitmentUpdated u) {
            h.commitment(u.commitment(), u.at());
            desk.toViewers(h, viewer -> desk.json().commitmentMessage(h, u.commitment(), viewer, desk.verificationWindow()));
            desk.boardChanged(h.tenant());
        } else if (e instanceof HandoffEvent.CommitmentOverdue o) {
            h.overdue(o.pending(), o.deadline());
            for (var c : o.pending()) {
                desk.toViewers(h, viewer -> desk.json().commitmentMessage(h, c, viewer, desk.verificationWindow()));
            }
            desk.boardChanged(h.tenant());
        } else if (e instanceof HandoffEvent.ContextRead r) {
            h.read(r.agentId(), r.at());
            desk.toViewers(h, viewer -> desk.json().readMessage(h));
        }
    }

    /** An agent notification (possibly again, for a fallback target): shown whisper first to everyone who may see it. */
    void onNotify(AgentNotification n) {
        SessionId sid = n.context().sessionId();
        String tenant = tenant(sid, n.context().customer());
        DeskHandoff h = byHandoff.computeIfAbsent(n.actions().handoffId(), id -> created(id, sid, tenant));
        current.putIfAbsent(sid, h);
        h.notified(n, clock.instant());
        byContext.put(n.context().contextId(), h);
        LOG.info("Handoff {} of session {} is on the desktop for {}", h.handoffId(), sid, n.target().id());
        desk.noticeToViewers(h);
        desk.boardChanged(h.tenant());
        forgetOldest();
    }

    private DeskHandoff created(String handoffId, SessionId sid, String tenant) {
        DeskHandoff h = new DeskHandoff(sequence.incrementAndGet(), handoffId, sid, tenant, clock.instant());
        HandoffDecision d = requested.remove(sid);
        Channel channel = null;
        Handoff x = handoff;
        if (x != null) {
            Optional<HandoffSession> session = x.session(sid);
            channel = session.map(HandoffSession::channel).orElse(null);
            h.customerName(session.map(s -> s.customer().fields().get("name")).orElse(null));
        }
        if (d != null) {
            h.requested(clock.instant(), d.priority(), d.action() == HandoffDecision.Action.SILENT_ALARM,
                    d.reasons().stream().map(r -> r.kind().name()).distinct().toList(), channel);
        } else if (channel != null) {
            h.requested(clock.instant(), h.priority(), false, List.of(), channel);
        }
        return h;
    }

    private void changed(DeskHandoff h, boolean phase) {
        if (phase && h.notification() != null) {
            desk.toViewers(h, viewer -> desk.json().phase(h, viewer));
        }
        desk.boardChanged(h.tenant());
    }

    /** The session's tenant, resolved once from its customer data (the session's, else the given one). */
    String tenant(SessionId sid, CustomerData fallback) {
        String t = tenants.get(sid);
        if (t != null) {
            return t;
        }
        CustomerData customer = fallback;
        Handoff x = handoff;
        if (x != null) {
            customer = x.session(sid).map(HandoffSession::customer).orElse(fallback);
        }
        String resolved;
        try {
            resolved = tenantOf.apply(customer == null ? CustomerData.UNKNOWN : customer);
        } catch (RuntimeException e) {
            LOG.warn("tenantOf failed for session {}; using the default tenant", sid, e);
            resolved = null;
        }
        if (resolved == null || resolved.isBlank()) {
            resolved = dev.handoff.desktop.Agent.DEFAULT_TENANT;
        }
        if (customer != null) {
            tenants.putIfAbsent(sid, resolved);
        }
        return resolved;
    }

    Optional<DeskHandoff> byContext(String contextId) {
        return contextId == null ? Optional.empty() : Optional.ofNullable(byContext.get(contextId));
    }

    /** Every handoff the desktop remembers, oldest first. */
    List<DeskHandoff> all() {
        return byHandoff.values().stream().sorted(Comparator.comparingLong(DeskHandoff::sequence)).toList();
    }

    /** Forgets the oldest handoffs that are no longer live beyond the retained number. */
    private void forgetOldest() {
        int excess = byHandoff.size() - retained;
        if (excess <= 0) {
            return;
        }
        for (DeskHandoff h : all()) {
            if (excess <= 0) {
                break;
            }
            if (!h.live() || byHandoff.size() > 2 * retained) {
                byHandoff.remove(h.handoffId(), h);
                if (h.contextId() != null) {
                    byContext.remove(h.contextId(), h);
                }
                current.remove(h.sessionId(), h);
                excess--;
            }
        }
    }

    /** Handoffs whose phase is not final yet, for the wallboard. */
    List<DeskHandoff> live(String tenant) {
        return all().stream().filter(h -> h.tenant().equals(tenant) && h.live()).toList();
    }
}
