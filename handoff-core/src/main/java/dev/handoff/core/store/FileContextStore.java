package dev.handoff.core.store;

import dev.handoff.api.NonRetriableHandoffException;
import dev.handoff.api.SessionId;
import dev.handoff.api.ValidationException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.json.ContextJson;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A durable {@link ContextStore}: every context is appended to a {@link FileJournal} (the exact signed bytes, as
 * compact JSON) and forced to disk before {@link #put} returns; reopening the file after a crash, even a
 * {@code kill -9} in the middle of a write, restores every context whose {@code put} returned.
 *
 * <p>Contexts are also kept in memory for reads, so the journal suits the retention of a ticket's lifetime, not
 * an archive; start a new file (and delete the old one) when its contexts have expired. Thread-safe. Close it to
 * release the file.
 */
public final class FileContextStore implements ContextStore, AutoCloseable {

    private final FileJournal journal;
    private final ConcurrentMap<String, HandoffContext> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, HandoffContext> latest = new ConcurrentHashMap<>();

    private FileContextStore(Path file) {
        ContextJson json = ContextJson.get();
        int[] n = {0};
        this.journal = FileJournal.open(file, bytes -> {
            HandoffContext c;
            try {
                c = json.read(bytes);
            } catch (ValidationException e) {
                throw new NonRetriableHandoffException("journal " + file + " record " + n[0] + " is not a valid context: " + e.getMessage(), e);
            }
            n[0]++;
            remember(c);
        });
    }

    /**
     * Opens (or creates) the store's journal and loads every complete context in it.
     *
     * @throws NonRetriableHandoffException when the file is not a journal, is locked, or holds an invalid context
     */
    public static FileContextStore open(Path file) {
        return new FileContextStore(Objects.requireNonNull(file, "file"));
    }

    @Override
    public void put(HandoffContext context) {
        Objects.requireNonNull(context, "context");
        journal.append(ContextJson.get().write(context));
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

    /** How many contexts the store holds. */
    public int size() {
        return byId.size();
    }

    /** What opening the journal found (records kept, bytes cut from a torn tail). */
    public FileJournal.Recovery recovery() {
        return journal.recovery();
    }

    @Override
    public void close() {
        journal.close();
    }
}
