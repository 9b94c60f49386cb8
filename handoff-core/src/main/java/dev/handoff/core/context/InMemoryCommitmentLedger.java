package dev.handoff.core.context;

import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link CommitmentLedger}: detects the AI's promises with a {@link CommitmentDetector}, numbers them
 * {@code c-1, c-2, ...} per session, and keeps the verification lifecycle (pending, then confirmed, corrected or
 * revoked by a named human) with a full audit trail ({@link #history}).
 *
 * <p>State lives in memory. A {@link ChangeLog} sees every change before it becomes visible, which is how the
 * durable {@code dev.handoff.core.store.FileCommitmentLedger} journals it; a change whose log write fails is not
 * applied. Thread-safe: calls for one session are serialised, sessions do not block each other.
 *
 * <p>With a retention ({@link #InMemoryCommitmentLedger(Clock, Duration)}; the {@code Handoff} builder's default
 * ledger keeps a session's book for the context TTL plus one hour), a session's commitments and trail are forgotten
 * once that long has passed since its last change, so memory follows the sessions of the last retention period
 * rather than every session the process ever saw; later changes to the ledger release them, oldest first, with no
 * timer thread. Without one, every book is kept.
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
    /** With a retention: books by the time they were last seen changed, roughly oldest first. */
    private final ConcurrentLinkedQueue<Queued> byAge = new ConcurrentLinkedQueue<>();
    private final @Nullable Duration retention;
    /** Entries in the trails of the books held. */
    private final AtomicLong held = new AtomicLong();

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
     * Detects with a {@link CommitmentDetector} in UTC; keeps nothing outside memory, and forgets a session's
     * commitments {@code retention} after the session's last change.
     *
     * @param clock     stamps commitments the bot declares and verifications without a time; measures the retention
     * @param retention how long a session's book is kept after its last change; positive
     * @throws IllegalArgumentException when {@code retention} is zero or negative
     */
    public InMemoryCommitmentLedger(Clock clock, Duration retention) {
        this(clock, new CommitmentDetector(), List.of(), ChangeLog.NONE, Objects.requireNonNull(retention, "retention"));
    }

    /**
     * @param clock    stamps commitments the bot declares with {@link #record}
     * @param detector finds promises in AI turns
     * @param history  entries to start from (a journal being recovered), applied in order without logging
     * @param log      sees every new change before it is applied
     * @throws IllegalArgumentException when the history is inconsistent (a verification of an unknown commitment)
     */
    public InMemoryCommitmentLedger(Clock clock, CommitmentDetector detector, List<LedgerEntry> history, ChangeLog log) {
        this(clock, detector, history, log, null);
    }

    /**
     * A ledger that starts from a recovered history and forgets a session's book {@code retention} after its last
     * change. A recovered book's last change is its newest entry's time; books already past the retention are
     * forgotten before this returns.
     *
     * @param clock     stamps commitments the bot declares with {@link #record}; measures the retention
     * @param detector  finds promises in AI turns
     * @param history   entries to start from (a journal being recovered), applied in order without logging
     * @param log       sees every new change before it is applied
     * @param retention nullable: keep every book; otherwise how long a book is kept after its last change, positive
     * @throws IllegalArgumentException when the history is inconsistent or {@code retention} is zero or negative
     */
    public InMemoryCommitmentLedger(Clock clock, CommitmentDetector detector, List<LedgerEntry> history, ChangeLog log,
                                    @Nullable Duration retention) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.log = Objects.requireNonNull(log, "log");
        this.retention = retention == null ? null : dev.handoff.core.internal.Checks.positive("retention", retention);
        for (LedgerEntry e : history) {
            Book book = books.computeIfAbsent(e.session(), s -> new Book());
            if (e.action() == LedgerEntry.Action.VERIFIED && book.indexOf(e.commitment().id()) < 0) {
                throw new IllegalArgumentException("history verifies unknown commitment " + e.commitment().id() + " of session " + e.session());
            }
            apply(book, e);
            if (e.at().isAfter(book.lastChange)) {
                book.lastChange = e.at();
            }
        }
        if (retention != null) {
            books.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparing((Book b) -> b.lastChange)))
                    .forEach(e -> byAge.add(new Queued(e.getKey(), e.getValue(), e.getValue().lastChange)));
            forgetExpired(clock.instant());
        }
    }

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        List<Commitment> detected = detector.detect(turn);
        if (detected.isEmpty()) {
            return List.of();
        }
        return changing(session, book -> {
            List<Commitment> stored = new ArrayList<>(detected.size());
            for (Commitment c : detected) {
                stored.add(add(session, book, c, turn.timestamp()));
            }
            return stored;
        });
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(commitment, "commitment");
        return changing(session, book -> add(session, book, commitment, clock.instant()));
    }

    /** Runs a change on the session's book (opened when missing) under its lock, and stamps the book's last change. */
    private <T> T changing(SessionId session, java.util.function.Function<Book, T> change) {
        while (true) {
            Book book = open(session);
            synchronized (book) {
                if (!book.forgotten) {   // else its retention ended between the look-up and the lock: take a new one
                    T result = change.apply(book);
                    book.lastChange = clock.instant();
                    return result;
                }
            }
        }
    }

    private Book open(SessionId session) {
        if (retention == null) {
            return books.computeIfAbsent(session, s -> new Book());
        }
        Instant now = clock.instant();
        forgetExpired(now);
        return books.computeIfAbsent(session, s -> {
            Book b = new Book();
            b.lastChange = now;
            byAge.add(new Queued(s, b, now));
            return b;
        });
    }

    /**
     * Forgets the books unchanged for the retention. The queue is roughly in order of last change: a book found
     * changed since it was queued goes to the back with its newer time, so a book may wait behind a younger one, but
     * never longer than one retention more, and none is forgotten early.
     */
    private int forgetExpired(Instant now) {
        int forgotten = 0;
        for (Queued head = byAge.peek(); head != null && !now.isBefore(head.seen().plus(retention)); head = byAge.peek()) {
            if (!byAge.remove(head)) {
                continue;   // another caller took it
            }
            Book b = head.book();
            Instant last;
            synchronized (b) {
                if (b.forgotten) {
                    continue;   // erased
                }
                last = b.lastChange;
                if (!now.isBefore(last.plus(retention))) {
                    drop(head.session(), b);
                    forgotten++;
                    continue;
                }
            }
            byAge.add(new Queued(head.session(), b, last));
        }
        return forgotten;
    }

    /** Takes a book out of the ledger; called holding its lock. */
    private void drop(SessionId session, Book b) {
        b.forgotten = true;
        books.remove(session, b);
        held.addAndGet(-b.trail.size());
    }

    /**
     * Forgets the books whose retention has passed now, rather than at the next change. Does nothing without a
     * retention.
     *
     * @return how many sessions' books were forgotten
     */
    public int purgeExpired() {
        return retention == null ? 0 : forgetExpired(clock.instant());
    }

    /**
     * Forgets these sessions' books at once, whatever their age (a customer's data being erased). A later change
     * for one of them starts a new book.
     *
     * @param sessions the sessions
     * @return how many entries (recordings and verifications) were forgotten
     */
    public long erase(java.util.Collection<SessionId> sessions) {
        long removed = 0;
        for (SessionId s : sessions) {
            Book b = books.get(s);
            if (b != null) {
                synchronized (b) {
                    if (!b.forgotten) {
                        removed += b.trail.size();
                        drop(s, b);
                    }
                }
            }
        }
        return removed;
    }

    /**
     * Every entry of every book held, each session's oldest first; a consistent copy per session.
     *
     * @return the entries
     */
    public List<LedgerEntry> entries() {
        List<LedgerEntry> all = new ArrayList<>();
        for (Book b : books.values()) {
            synchronized (b) {
                if (!b.forgotten) {
                    all.addAll(b.trail);
                }
            }
        }
        return all;
    }

    /**
     * How many entries the books held have in all.
     *
     * @return the entries held
     */
    public long entryCount() {
        return held.get();
    }

    private Commitment add(SessionId session, Book book, Commitment c, java.time.Instant at) {
        Commitment numbered = new Commitment("c-" + (book.current.size() + 1), c.kind(), c.strength(), c.text(), c.value(),
                c.turnIndex(), c.status(), c.correctedValue(), c.verifiedBy(), c.verifiedAt());
        LedgerEntry entry = new LedgerEntry(session, LedgerEntry.Action.RECORDED, numbered, at);
        log.append(entry);
        apply(book, entry);
        return numbered;
    }

    private void apply(Book book, LedgerEntry entry) {
        book.apply(entry);
        held.incrementAndGet();
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
            int i = book.forgotten ? -1 : book.indexOf(commitmentId);   // a forgotten book takes no more changes
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
            apply(book, entry);
            book.lastChange = clock.instant();
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

    /** A book as queued for the retention, with the last change known when it was queued. */
    private record Queued(SessionId session, Book book, Instant seen) {
    }

    private static final class Book {
        final List<Commitment> current = new ArrayList<>();
        final List<LedgerEntry> trail = new ArrayList<>();
        /** When the book last changed (guarded by the book); set only with a retention. */
        Instant lastChange = Instant.EPOCH;
        /** Its retention ended and it left the ledger (guarded by the book). */
        boolean forgotten;

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
