package dev.handoff.core;

import dev.handoff.api.Commitment;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The in-memory ledger with its reads of a session's commitments counted; {@code beforeRead} is told each read's
 * number (1 for the first) and may throw, as a ledger store that went away would.
 */
final class CountedLedger implements CommitmentLedger {

    final AtomicInteger reads = new AtomicInteger();
    private final CommitmentLedger ledger = new InMemoryCommitmentLedger();
    private final IntConsumer beforeRead;

    CountedLedger() {
        this(n -> { });
    }

    CountedLedger(IntConsumer beforeRead) {
        this.beforeRead = beforeRead;
    }

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        return ledger.observe(session, turn);
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        return ledger.record(session, commitment);
    }

    @Override
    public List<Commitment> commitments(SessionId session) {
        beforeRead.accept(reads.incrementAndGet());
        return ledger.commitments(session);
    }

    @Override
    public Commitment verify(SessionId session, String commitmentId, Verification verification) {
        return ledger.verify(session, commitmentId, verification);
    }
}
