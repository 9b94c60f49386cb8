package dev.handoff.core.store;

import org.jspecify.annotations.Nullable;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.Commitment;
import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.Turn;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.core.context.CommitmentDetector;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.context.LedgerEntry;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.json.ContextJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A durable {@link CommitmentLedger}: the same detection and lifecycle as {@link InMemoryCommitmentLedger}, with
 * every change (a commitment recorded, a human's verification) appended to a journal as a JSON
 * {@link LedgerEntry} and forced to disk before {@link #observe}, {@link #record} or {@link #verify} returns. A
 * change whose write fails is not applied and the caller gets the exception. Reopening the file restores every
 * acknowledged commitment and the full audit trail; the file follows the {@linkplain Recovery one recovery rule}
 * and is {@code 0600} in a {@code 0700} directory.
 *
 * <p>Opened with a retention ({@link #open(Path, Clock, CommitmentDetector, AtRestKeys, Duration)}), a session's
 * book is forgotten that long after its last change (a recovered book's last change is its newest entry's time), and
 * the journal is rewritten without forgotten books' entries on open, on {@link #purgeExpired()}, on {@link #erase},
 * and by itself when stale entries outnumber the live ones, so memory and file follow the retention window.
 * Opened without one, it keeps every entry until the file is replaced.
 *
 * <p>Thread-safe. Close it to release the file.
 */
public final class FileCommitmentLedger implements CommitmentLedger, SessionDataStore, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileCommitmentLedger.class);
    private static final ObjectMapper MAPPER = ContextJson.newMapper();
    /** As in {@link FileContextStore}: how often stale entries are counted, and how many at least start a rewrite. */
    private static final int MIN_STALE_FOR_REWRITE = 64;

    private final FileJournal journal;
    private final InMemoryCommitmentLedger ledger;
    private final boolean retains;
    /** Entries in the journal file, live or not (guarded by this). */
    private long records;
    /** Appends since stale entries were last counted (guarded by this). */
    private int appendsSinceCheck;
    /** While a rewrite copies the books: the entries appended meanwhile (guarded by this). */
    private @Nullable List<LedgerEntry> appendedDuringCopy;
    /** An append found it is time to count stale entries (guarded by this). */
    private boolean checkDue;
    /** Held by the one rewrite running. */
    private final Object rewriting = new Object();

    /** The purpose sealed records of this file are bound to. */
    static final String PURPOSE = "handoff.commitments";

    private FileCommitmentLedger(Path file, Clock clock, CommitmentDetector detector, @Nullable AtRestKeys keys, @Nullable Duration retention) {
        List<LedgerEntry> history = new ArrayList<>();
        // an entry that does not parse is set aside by the journal (the one recovery rule); it never stops the open
        this.journal = FileJournal.open(file, new FileJournal.Options(PURPOSE, keys, clock), bytes -> {
            try {
                history.add(MAPPER.readValue(bytes, LedgerEntry.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not a ledger entry", e);
            }
        });
        this.records = history.size();
        this.retains = retention != null;
        this.ledger = new InMemoryCommitmentLedger(clock, detector, history, this::append, retention);
        if (retains && records > ledger.entryCount()) {
            try {
                rewrite(Set.of());
            } catch (RuntimeException e) {
                journal.close();
                throw e;
            }
        }
    }

    /** Writes one change; called under the session's lock, before the change is applied. */
    private void append(LedgerEntry entry) {
        byte[] bytes = bytes(entry);
        synchronized (this) {
            journal.append(bytes);
            records++;
            if (appendedDuringCopy != null) {
                appendedDuringCopy.add(entry);
            }
            if (retains && ++appendsSinceCheck >= MIN_STALE_FOR_REWRITE) {
                appendsSinceCheck = 0;
                checkDue = true;
            }
        }
    }

    /**
     * After a change is applied (no session lock held, which a rewrite's copy takes): every
     * {@value #MIN_STALE_FOR_REWRITE} appends, forgets expired books and rewrites the file when stale entries are at
     * least as many as the live ones. A failing rewrite is logged and does not fail the change, which is durable.
     */
    private void afterChange() {
        synchronized (this) {
            if (!checkDue) {
                return;
            }
            checkDue = false;
        }
        ledger.purgeExpired();
        long live = ledger.entryCount();
        long stale;
        synchronized (this) {
            stale = records - live;
        }
        if (stale >= Math.max(MIN_STALE_FOR_REWRITE, live)) {
            try {
                rewrite(Set.of());
            } catch (RuntimeException e) {
                LOG.warn("Removing forgotten commitments from {} failed; the file keeps them until the next try: {}", journal.file(),
                        e.getMessage());
            }
        }
    }

    /**
     * Rewrites the journal with the entries of the books held (atomically: a new file, forced, renamed over the old
     * one). Entries appended while the books are copied are written after the copy, each session's in order; those
     * of {@code erased} sessions are left out. One rewrite at a time.
     */
    private void rewrite(Set<SessionId> erased) {
        synchronized (rewriting) {
            synchronized (this) {
                appendedDuringCopy = new ArrayList<>();
            }
            try {
                List<LedgerEntry> copy = ledger.entries();   // takes each book's lock in turn
                synchronized (this) {
                    Set<LedgerEntry> copied = Collections.newSetFromMap(new IdentityHashMap<>());
                    copied.addAll(copy);
                    List<byte[]> keep = new ArrayList<>(copy.size() + appendedDuringCopy.size());
                    for (LedgerEntry e : copy) {
                        keep.add(bytes(e));
                    }
                    for (LedgerEntry e : appendedDuringCopy) {
                        if (!copied.contains(e) && !erased.contains(e.session())) {
                            keep.add(bytes(e));
                        }
                    }
                    journal.rewrite(keep);
                    records = keep.size();
                }
            } finally {
                synchronized (this) {
                    appendedDuringCopy = null;
                }
            }
        }
    }

    /**
     * Opens (or creates) the ledger's journal and restores its commitments.
     *
     * @param clock    stamps commitments the bot declares
     * @param detector finds promises in AI turns
     * @param file     the journal file
     * @return the open ledger; close it to release the file
     * @throws NonRetriableHandoffException when the file is not a journal or is locked
     */
    public static FileCommitmentLedger open(Path file, Clock clock, CommitmentDetector detector) {
        return open(file, clock, detector, null);
    }

    /**
     * Opens (or creates) the ledger's journal with entries encrypted at rest.
     *
     * @param file     the journal file
     * @param clock    stamps commitments the bot declares
     * @param detector finds promises in AI turns
     * @param keys     nullable; no encryption when null
     * @return the open ledger; close it to release the file
     * @throws NonRetriableHandoffException when the file is not a journal or is locked
     */
    public static FileCommitmentLedger open(Path file, Clock clock, CommitmentDetector detector, @Nullable AtRestKeys keys) {
        return new FileCommitmentLedger(Objects.requireNonNull(file, "file"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(detector, "detector"), keys, null);
    }

    /**
     * Opens (or creates) the ledger's journal keeping each session's book for {@code retention} after its last
     * change; books already past it are left out and removed from the file before this returns.
     *
     * @param file      the journal file
     * @param clock     stamps commitments the bot declares; measures the retention
     * @param detector  finds promises in AI turns
     * @param keys      nullable; no encryption when null
     * @param retention how long a session's book is kept after its last change; positive
     * @return the open ledger; close it to release the file
     * @throws IllegalArgumentException     when {@code retention} is zero or negative
     * @throws NonRetriableHandoffException when the file is not a journal or is locked
     * @throws dev.handoff.api.RetriableHandoffException when removing forgotten books from the file fails (the file
     *                                                   is unchanged)
     */
    public static FileCommitmentLedger open(Path file, Clock clock, CommitmentDetector detector, @Nullable AtRestKeys keys,
                                            Duration retention) {
        dev.handoff.core.internal.Checks.positive("retention", retention);
        return new FileCommitmentLedger(Objects.requireNonNull(file, "file"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(detector, "detector"), keys, retention);
    }

    /**
     * With the default detector (UTC).
     *
     * @param file  the journal file
     * @param clock stamps commitments the bot declares
     * @return the open ledger; close it to release the file
     * @throws NonRetriableHandoffException when the file is not a journal or is locked
     */
    public static FileCommitmentLedger open(Path file, Clock clock) {
        return open(file, clock, new CommitmentDetector());
    }

    private static byte[] bytes(LedgerEntry entry) {
        try {
            return MAPPER.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise ledger entry for " + entry.commitment().id(), e);
        }
    }

    @Override
    public List<Commitment> observe(SessionId session, Turn turn) {
        try {
            return ledger.observe(session, turn);
        } finally {
            afterChange();
        }
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        try {
            return ledger.record(session, commitment);
        } finally {
            afterChange();
        }
    }

    @Override
    public List<Commitment> commitments(SessionId session) {
        return ledger.commitments(session);
    }

    @Override
    public Commitment verify(SessionId session, String commitmentId, Verification verification) {
        try {
            return ledger.verify(session, commitmentId, verification);
        } finally {
            afterChange();
        }
    }

    /**
     * Forgets the books past the retention and rewrites the journal without their entries. Does nothing on a ledger
     * opened without a retention.
     *
     * @return how many entries the file no longer holds
     * @throws dev.handoff.api.RetriableHandoffException when the rewrite fails; the file keeps the entries, the
     *                                                   books stay forgotten in memory
     */
    @Override
    public long purgeExpired() {
        if (!retains) {
            return 0;
        }
        ledger.purgeExpired();
        long before;
        synchronized (this) {
            before = records;
        }
        if (before == ledger.entryCount()) {
            return 0;
        }
        rewrite(Set.of());
        synchronized (this) {
            return Math.max(0, before - records);
        }
    }

    /**
     * Commitments carry no customer id: the ledger finds a customer's sessions only through the links of a
     * {@link FileDataRetention}.
     *
     * @param customerId the customer
     * @return an empty set
     */
    @Override
    public Set<SessionId> sessionsNaming(String customerId) {
        return Set.of();
    }

    /**
     * Forgets the sessions' books and rewrites the journal without any of their entries.
     *
     * @param sessions   the customer's sessions
     * @param customerId unused (commitments carry no customer id)
     * @return how many entries were removed
     * @throws dev.handoff.api.RetriableHandoffException when the rewrite fails; the books are already forgotten in
     *                                                   memory, and a repeated call removes them from the file
     */
    @Override
    public long erase(Set<SessionId> sessions, String customerId) {
        long removed = ledger.erase(sessions);
        boolean inFile = removed > 0;
        synchronized (this) {
            inFile |= records > ledger.entryCount();
        }
        if (inFile) {
            rewrite(sessions);
        }
        return removed;
    }

    /**
     * The audit trail of a session: every recording and verification, oldest first.
     *
     * @param session the conversation
     * @return every entry of the session, oldest first; empty when none
     */
    public List<LedgerEntry> history(SessionId session) {
        return ledger.history(session);
    }

    /**
     * Every entry of every book held, each session's oldest first.
     *
     * @return the entries
     */
    public List<LedgerEntry> entries() {
        return ledger.entries();
    }

    /**
     * What opening the journal found.
     *
     * @return what was read, damaged, rejected and cut off
     */
    public Recovery recovery() {
        return journal.recovery();
    }

    @Override
    public void close() {
        journal.close();
    }
}
