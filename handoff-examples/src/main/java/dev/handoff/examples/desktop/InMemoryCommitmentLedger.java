package dev.handoff.examples.desktop;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link CommitmentLedger} in memory that records only what it is told (it does not look for promises in turns),
 * for the demo and tests until handoff-core's ledger is wired in. Thread-safe.
 */
final class InMemoryCommitmentLedger implements CommitmentLedger {

    private final Map<SessionId, List<Commitment>> bySession = new HashMap<>();

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        return List.of();
    }

    @Override
    public synchronized Commitment record(SessionId session, Commitment commitment) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(commitment, "commitment");
        bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(commitment);
        return commitment;
    }

    @Override
    public synchronized List<Commitment> commitments(SessionId session) {
        return List.copyOf(bySession.getOrDefault(session, List.of()));
    }

    @Override
    public synchronized Commitment verify(SessionId session, String commitmentId, Verification verification) {
        List<Commitment> list = bySession.getOrDefault(session, List.of());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(commitmentId)) {
                Commitment updated = list.get(i).verified(verification.status(), verification.correctedValue(),
                        verification.by(), verification.at());
                list.set(i, updated);
                return updated;
            }
        }
        throw new NonRetriableHandoffException("no commitment \"" + commitmentId + "\" in session " + session);
    }
}
