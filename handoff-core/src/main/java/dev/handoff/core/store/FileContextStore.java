package dev.handoff.core.store;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.json.ContextJson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A durable {@link ContextStore}: every context is validated, then appended to a journal (the exact signed bytes,
 * as compact JSON, sealed with AES-256-GCM when {@link AtRestKeys} are given) and forced to disk before
 * {@link #put} returns; reopening the file after a crash, even a {@code kill -9} in the middle of a write or a full
 * disk, restores every context whose {@code put} returned. The file is {@code 0600} in a {@code 0700} directory.
 *
 * <p>Opening follows the {@linkplain Recovery one recovery rule}: a torn last write is cut; damaged bytes and
 * records that are not valid contexts are set aside in a file kept for an operator and never stop the open;
 * {@link #recovery()} says what was found.
 *
 * <p>Contexts are also kept in memory for reads, so the journal suits the retention of a ticket's lifetime, not
 * an archive; start a new file (and delete the old one) when its contexts have expired. Thread-safe. Close it to
 * release the file.
 */
public final class FileContextStore implements ContextStore, AutoCloseable {

    /** The purpose sealed records of this file are bound to. */
    static final String PURPOSE = "handoff.contexts";

    private final FileJournal journal;
    private final ConcurrentMap<String, HandoffContext> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, HandoffContext> latest = new ConcurrentHashMap<>();

    private FileContextStore(Path file, AtRestKeys keys, Clock clock) {
        ContextJson json = ContextJson.get();
        // a record that is not a valid context throws here and is set aside by the journal; it never stops the open
        this.journal = FileJournal.open(file, new FileJournal.Options(PURPOSE, keys, clock), bytes -> remember(json.read(bytes)));
    }

    /**
     * Opens (or creates) the store's journal, unencrypted, and loads every valid context in it.
     *
     * @param file the journal file; its directory must not be readable by group or others
     * @return the open store; close it to release the file
     * @throws dev.handoff.api.NonRetriableHandoffException when the file is not a journal or is open elsewhere
     * @throws dev.handoff.api.ConfigurationException       when its directory can be read by group or others
     */
    public static FileContextStore open(Path file) {
        return open(file, null, Clock.systemUTC());
    }

    /**
     * Opens (or creates) the store's journal with records encrypted at rest.
     *
     * @param keys  nullable: no encryption; otherwise new records are sealed with the current key and records under
     *              an older key are re-sealed on open
     * @param clock names the set-aside file
     * @param file  the journal file; its directory must not be readable by group or others
     * @return the open store; close it to release the file
     * @throws dev.handoff.api.ConfigurationException also when a record is sealed with a key id not in {@code keys}
     */
    public static FileContextStore open(Path file, @Nullable AtRestKeys keys, Clock clock) {
        return new FileContextStore(Objects.requireNonNull(file, "file"), keys, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Validates the context, then writes it.
     *
     * @throws dev.handoff.api.ValidationException       when the context is not valid (nothing is written)
     * @throws dev.handoff.api.RetriableHandoffException when the disk write fails (nothing is kept)
     */
    @Override
    public void put(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        ContextJson json = ContextJson.get();
        json.requireValid(context);
        journal.append(json.write(context));
        remember(context);
    }

    private void remember(HandoffContext context) {
        byId.put(context.contextId(), context);
        latest.merge(context.sessionId(), context, (old, neu) -> neu.createdAt().isBefore(old.createdAt()) ? old : neu);
    }

    @Override
    public Optional<HandoffContext> get(String contextId) {
        return Optional.ofNullable(byId.get(contextId));
    }

    @Override
    public Optional<HandoffContext> latest(SessionId session) {
        return Optional.ofNullable(latest.get(session));
    }

    /**
     * How many contexts the store holds.
     *
     * @return the number of contexts held
     */
    public int size() {
        return byId.size();
    }

    /**
     * What opening the journal found.
     *
     * @return what was read, damaged, rejected and cut off
     */
    public Recovery recovery() {
        return journal.recovery();
    }

    /**
     * The journal file.
     *
     * @return the path given to {@code open}
     */
    public Path file() {
        return journal.file();
    }

    @Override
    public void close() {
        journal.close();
    }
}
