package dev.handoff.examples.desktop;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AgentActions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent-side handle of the {@link SampleHandoff}, for the standalone desktop demo and the desktop's own tests,
 * where no {@code Handoff} runs: it keeps the sample's commitments in memory. A real handoff's notification carries
 * core's handle instead (see the voice demos). Thread-safe.
 */
final class SampleAgentActions implements AgentActions {

    private final HandoffContext context;
    private final Clock clock;
    private final List<Commitment> commitments;
    private final AtomicReference<String> readBy = new AtomicReference<>();
    private volatile String handedBackBy;

    SampleAgentActions(HandoffContext context) {
        this(context, Clock.systemUTC());
    }

    SampleAgentActions(HandoffContext context, Clock clock) {
        this.context = Objects.requireNonNull(context, "context");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.commitments = new ArrayList<>(context.commitments());
    }

    @Override
    public String handoffId() {
        return "h-sample-" + context.contextId();
    }

    @Override
    public SessionId sessionId() {
        return context.sessionId();
    }

    @Override
    public String contextId() {
        return context.contextId();
    }

    @Override
    public boolean confirmRead(String agentId) {
        readBy.compareAndSet(null, agentId);
        return true;
    }

    /** Who confirmed reading, if anyone. */
    String readBy() {
        return readBy.get();
    }

    /** Who handed the sample back, if anyone. */
    String handedBackBy() {
        return handedBackBy;
    }

    @Override
    public synchronized List<Commitment> commitments() {
        return List.copyOf(commitments);
    }

    @Override
    public Commitment confirm(String commitmentId, String agentId) {
        return set(commitmentId, Commitment.Status.CONFIRMED, null, agentId);
    }

    @Override
    public Commitment correct(String commitmentId, String correctedValue, String agentId) {
        return set(commitmentId, Commitment.Status.CORRECTED, correctedValue, agentId);
    }

    @Override
    public Commitment revoke(String commitmentId, String agentId) {
        return set(commitmentId, Commitment.Status.REVOKED, null, agentId);
    }

    @Override
    public void handBack(String agentId, String note) {
        handedBackBy = agentId;
    }

    private synchronized Commitment set(String id, Commitment.Status status, String value, String agentId) {
        for (int i = 0; i < commitments.size(); i++) {
            if (commitments.get(i).id().equals(id)) {
                Commitment updated = commitments.get(i).verified(status, value, agentId, clock.instant());
                commitments.set(i, updated);
                return updated;
            }
        }
        throw new NonRetriableHandoffException("no commitment \"" + id + "\" in session " + context.sessionId());
    }
}
