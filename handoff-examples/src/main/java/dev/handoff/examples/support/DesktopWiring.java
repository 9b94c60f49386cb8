package dev.handoff.examples.support;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.core.Handoff;
import dev.handoff.examples.desktop.AgentDesktop;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects the agent desktop to a {@link Handoff}: pushes go to the desktop, the desktop's "read" button ends the
 * whisper lead ({@link Handoff#confirmRead}), its confirm/correct/revoke buttons go through
 * {@link Handoff#verifyCommitment} (events, audit, VERIFIED phase), and every turn streams to the page live.
 *
 * <pre>{@code
 * DesktopWiring wiring = new DesktopWiring(new InMemoryCommitmentLedger());
 * AgentDesktop desktop = AgentDesktop.builder(wiring.ledger(), store).agent("ana", token).build().start();
 * Handoff handoff = Handoff.builder().commitmentLedger(wiring.coreLedger()).contextStore(store)
 *         .agentNotifier(wiring.notifier(desktop)).listener(wiring.liveTranscript(desktop)).build();
 * wiring.bind(handoff);
 * }</pre>
 */
public final class DesktopWiring {

    private final CommitmentLedger core;
    private final AtomicReference<Handoff> handoff = new AtomicReference<>();
    private final CommitmentLedger desktopView;

    /** @param core the ledger Handoff itself uses */
    public DesktopWiring(CommitmentLedger core) {
        this.core = Objects.requireNonNull(core, "core");
        this.desktopView = new CommitmentLedger() {
            @Override
            public List<Commitment> observe(SessionId session, Turn turn) {
                return core.observe(session, turn);
            }

            @Override
            public Commitment record(SessionId session, Commitment commitment) {
                return core.record(session, commitment);
            }

            @Override
            public List<Commitment> commitments(SessionId session) {
                return core.commitments(session);
            }

            @Override
            public Commitment verify(SessionId session, String commitmentId, Verification verification) {
                Handoff h = handoff.get();
                return h == null ? core.verify(session, commitmentId, verification) : h.verifyCommitment(session, commitmentId, verification);
            }
        };
    }

    /** Call once the Handoff is built. */
    public void bind(Handoff built) {
        handoff.set(Objects.requireNonNull(built, "handoff"));
    }

    /** The ledger to give {@link Handoff.Builder#commitmentLedger}. */
    public CommitmentLedger coreLedger() {
        return core;
    }

    /** The ledger to give the desktop: verdicts go through Handoff once bound. */
    public CommitmentLedger ledger() {
        return desktopView;
    }

    /** The notifier to give {@link Handoff.Builder#agentNotifier}: pushes and relays read receipts. */
    public AgentNotifier notifier(AgentDesktop desktop) {
        return (AgentNotification n) -> {
            desktop.notify(n);
            String contextId = n.context().contextId();
            desktop.awaitRead(contextId).thenAccept(receipt -> {
                Handoff h = handoff.get();
                if (h != null) {
                    h.confirmRead(contextId, receipt.agentId());
                }
            });
        };
    }

    /** A listener that streams every recorded turn to the desktop. */
    public HandoffListener liveTranscript(AgentDesktop desktop) {
        return event -> {
            if (event instanceof HandoffEvent.TurnRecorded t) {
                desktop.appendTurn(t.sessionId(), t.turn());
            }
        };
    }
}
