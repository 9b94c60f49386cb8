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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A durable {@link CommitmentLedger}: the same detection and lifecycle as {@link InMemoryCommitmentLedger}, with
 * every change (a commitment recorded, a human's verification) appended to a journal as a JSON
 * {@link LedgerEntry} and forced to disk before {@link #observe}, {@link #record} or {@link #verify} returns. A
 * change whose write fails is not applied and the caller gets the exception. Reopening the file restores every
 * acknowledged commitment and the full audit trail; the file follows the {@linkplain Recovery one recovery rule}
 * and is {@code 0600} in a {@code 0700} directory.
 *
 * <p>Thread-safe. Close it to release the file.
 */
public final class FileCommitmentLedger implements CommitmentLedger, AutoCloseable {

    private static final ObjectMapper MAPPER = ContextJson.newMapper();

    private final FileJournal journal;
    private final InMemoryCommitmentLedger ledger;

    /** The purpose sealed records of this file are bound to. */
    static final String PURPOSE = "handoff.commitments";

    private FileCommitmentLedger(Path file, Clock clock, CommitmentDetector detector, AtRestKeys keys) {
        List<LedgerEntry> history = new ArrayList<>();
        // an entry that does not parse is set aside by the journal (the one recovery rule); it never stops the open
        this.journal = FileJournal.open(file, new FileJournal.Options(PURPOSE, keys, clock), bytes -> {
            try {
                history.add(MAPPER.readValue(bytes, LedgerEntry.class));
            } catch (IOException e) {
                throw new UncheckedIOException("not a ledger entry", e);
            }
        });
        this.ledger = new InMemoryCommitmentLedger(clock, detector, history, entry -> journal.append(bytes(entry)));
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
                Objects.requireNonNull(detector, "detector"), keys);
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
        return ledger.observe(session, turn);
    }

    @Override
    public Commitment record(SessionId session, Commitment commitment) {
        return ledger.record(session, commitment);
    }

    @Override
    public List<Commitment> commitments(SessionId session) {
        return ledger.commitments(session);
    }

    @Override
    public Commitment verify(SessionId session, String commitmentId, Verification verification) {
        return ledger.verify(session, commitmentId, verification);
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
