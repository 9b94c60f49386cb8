package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link CommitmentLedger}: detects the AI's promises with a {@link CommitmentDetector}, numbers them
 * {@code c-1, c-2, ...} per session, and keeps the verification lifecycle (pending, then confirmed, corrected or
 * revoked by a named human) with a full audit trail ({@link #history}).
 *
 * <p>State lives in memory. A {@link ChangeLog} sees every change before it becomes visible, which is how the
 * durable {@code dev.handoff.core.store.FileCommitmentLedger} journals it; a change whose log write fails is not
 * applied. Thread-safe: calls for one session are serialised, sessions do not block each other.
 */
public final class InMemoryCommitmentLedger implements CommitmentLedger {

    /**
     * Receives each change before it is applied. Called under the session's lock on the caller's thread; when it
     * returns normally the change must be durable (or at least as durable as the log promises). Throwing aborts
     * the change and reaches the caller.
     */
    @FunctionalInterface
    public interface ChangeLog {
        /** Keeps nothing. */
        ChangeLog NONE = entry -> { };

        /**
         * Records one change before the ledger applies it.
         *
         * @param entry the change
         */
        void append(LedgerEntry entry);
    }

    private final Clock clock;
    private final CommitmentDetector detector;
    private final ChangeLog log;
    private final Map<SessionId, Book> books = new ConcurrentHashMap<>();

    /** Detects with a {@link CommitmentDetector} in UTC; verifications without a time read the system clock. */
    public InMemoryCommitmentLedger() {
        this(Clock.systemUTC());
    }

    /**
     * Detects with a {@link CommitmentDetector} in UTC; keeps nothing outside memory.
     *
     * @param clock stamps commitments the bot declares and verifications without a time
     */
    public InMemoryCommitmentLedger(Clock clock) {
        this(clock, new CommitmentDetector(), List.of(), ChangeLog.NONE);
    }

    /**
     * @param clock    stamps commitments the bot declares with {@link #record}
     * @param detector finds promises in AI turns
     * @param history  entries to start from (a journal being recovered), applied in order without logging
     * @param log      sees every new change before it is applied
     * @throws IllegalArgumentException when the history is inconsistent (a verification of an unknown commitment)
     */
    public InMemoryCommitmentLedger(Clock clock, CommitmentDetector detector, List<LedgerEntry> history, ChangeLog log) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.log = Objects.requireNonNull(log, "log");
        for (LedgerEntry e : history) {
            Book book = books.computeIfAbsent(e.session(), s -> new Book());
            if (e.action() == LedgerEntry.Action.RECORDED) {
                book.apply(e);
            } else if (book.indexOf(e.commitment().id()) < 0) {
                throw new IllegalArgumentException("history verifies unknown commitment " + e.commitment().id() + " of session " + e.session());
            } else {
                book.apply(e);
            }
        }
    }

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        List<Commitment> detected = detector.detect(turn);
        if (detected.isEmpty()) {
            return List.of();
        }
        List<Commitment> stored = new ArrayList<>(detected.size());
        Book book = books.computeIfAbsent(session, s -> new Book());
        synchronized (book) {
            for (Commitment c : detected) {
                stored.add(add(session, book, c, turn.timestamp()));
            }
        }
        return stored;
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(commitment, "commitment");
        Book book = books.computeIfAbsent(session, s -> new Book());
        synchronized (book) {
            return add(session, book, commitment, clock.instant());
        }
    }

    private Commitment add(SessionId session, Book book, Commitment c, java.time.Instant at) {
        Commitment numbered = new Commitment("c-" + (book.current.size() + 1), c.kind(), c.strength(), c.text(), c.value(),
                c.turnIndex(), c.status(), c.correctedValue(), c.verifiedBy(), c.verifiedAt());
        LedgerEntry entry = new LedgerEntry(session, LedgerEntry.Action.RECORDED, numbered, at);
        log.append(entry);
        book.apply(entry);
        return numbered;
    }

    @Override
    public List<Commitment> commitments(SessionId session) {
        Book book = books.get(session);
        if (book == null) {
            return List.of();
        }
        synchronized (book) {
            return List.copyOf(book.current);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws NonRetriableHandoffException when the commitment does not exist or was already revoked
     */
    @Override
    public Commitment verify(SessionId session, String commitmentId, Verification verification) {
        Objects.requireNonNull(verification, "verification");
        Book book = books.get(session);
        if (book == null) {
            throw new NonRetriableHandoffException("no commitment \"" + commitmentId + "\" in session " + session);
        }
        synchronized (book) {
            int i = book.indexOf(commitmentId);
            if (i < 0) {
                throw new NonRetriableHandoffException("no commitment \"" + commitmentId + "\" in session " + session);
            }
            Commitment before = book.current.get(i);
            if (before.status() == Commitment.Status.REVOKED) {
                throw new NonRetriableHandoffException("commitment " + commitmentId + " of session " + session + " was already revoked by "
                        + before.verifiedBy() + " at " + before.verifiedAt());
            }
            Commitment after = before.verified(verification.status(),
                    verification.status() == Commitment.Status.CORRECTED ? verification.correctedValue() : null,
                    verification.by(), verification.at());
            LedgerEntry entry = new LedgerEntry(session, LedgerEntry.Action.VERIFIED, after, verification.at());
            log.append(entry);
            book.apply(entry);
            return after;
        }
    }

    /**
     * The audit trail of a session: every recording and verification, oldest first.
     *
     * @param session the conversation
     * @return every entry of the session, oldest first; empty when none
     */
    public List<LedgerEntry> history(SessionId session) {
        Book book = books.get(session);
        if (book == null) {
            return List.of();
        }
        synchronized (book) {
            return List.copyOf(book.trail);
        }
    }

    /**
     * Sessions that have at least one commitment.
     *
     * @return the sessions, in no particular order
     */
    public List<SessionId> sessions() {
        return List.copyOf(books.keySet());
    }

    private static final class Book {
        final List<Commitment> current = new ArrayList<>();
        final List<LedgerEntry> trail = new ArrayList<>();

        int indexOf(String id) {
            for (int i = 0; i < current.size(); i++) {
                if (current.get(i).id().equals(id)) {
                    return i;
                }
            }
            return -1;
        }

        void apply(LedgerEntry e) {
            trail.add(e);
            int i = indexOf(e.commitment().id());
            if (i < 0) {
                current.add(e.commitment());
            } else {
                current.set(i, e.commitment());
            }
        }
    }
}
