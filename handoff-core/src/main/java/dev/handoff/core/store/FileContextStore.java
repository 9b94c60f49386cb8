package dev.handoff.core.store;

import org.jspecify.annotations.Nullable;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.json.ContextJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
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
 * <p>Contexts are also kept in memory for reads. Opened with a retention ({@link #open(Path, AtRestKeys, Clock,
 * Duration)}), the store keeps a context for that long after its {@code createdAt}: reads stop returning it at once,
 * opening the file leaves it out, and the journal is rewritten without the expired contexts (their transcripts gone
 * from the disk, not only from memory) on open, on {@link #purgeExpired()}, and by itself whenever expired records
 * outnumber the live ones, so memory and file follow the retention window. Opened without one, it keeps every
 * context until the file is replaced. Thread-safe. Close it to release the file.
 */
public final class FileContextStore implements ContextStore, SessionDataStore, AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileContextStore.class);
    /** The purpose sealed records of this file are bound to. */
    static final String PURPOSE = "handoff.contexts";
    /**
     * Every this many puts, a store with a retention counts the stale records in its file, and rewrites it when they
     * are at least this many and at least as many as the live ones: the file stays under twice the live contexts plus
     * this, and each rewrite is paid for by as many appends as it copies records.
     */
    private static final int MIN_EXPIRED_FOR_REWRITE = 64;

    private final FileJournal journal;
    private final ConcurrentMap<String, HandoffContext> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<SessionId, HandoffContext> latest = new ConcurrentHashMap<>();
    private final @Nullable Duration retention;
    private final Clock clock;
    /** Records in the journal file, live or not (guarded by this). */
    private long records;
    /** Puts since the stale records were last counted (guarded by this). */
    private int putsSinceCheck;

    private FileContextStore(Path file, @Nullable AtRestKeys keys, Clock clock, @Nullable Duration retention) {
        this.retention = retention;
        this.clock = clock;
        ContextJson json = ContextJson.get();
        // a record that is not a valid context throws here and is set aside by the journal; it never stops the open
        this.journal = FileJournal.open(file, new FileJournal.Options(PURPOSE, keys, clock), bytes -> {
            remember(json.read(bytes));
            records++;
        });
        if (retention != null) {
            purgeExpired();
        }
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
        return new FileContextStore(Objects.requireNonNull(file, "file"), keys, Objects.requireNonNull(clock, "clock"), null);
    }

    /**
     * Opens (or creates) the store's journal keeping each context for {@code retention} after its {@code createdAt};
     * contexts already past it are left out and removed from the file before this returns.
     *
     * @param file      the journal file; its directory must not be readable by group or others
     * @param keys      nullable: no encryption; otherwise as in {@link #open(Path, AtRestKeys, Clock)}
     * @param clock     the clock the retention is measured by; it also names the set-aside file
     * @param retention how long a context is kept after it was created; positive
     * @return the open store; close it to release the file
     * @throws IllegalArgumentException when {@code retention} is zero or negative
     * @throws dev.handoff.api.RetriableHandoffException when removing expired contexts from the file fails (the file
     *                                                   is unchanged)
     */
    public static FileContextStore open(Path file, @Nullable AtRestKeys keys, Clock clock, Duration retention) {
        dev.handoff.core.internal.Checks.positive("retention", retention);
        return new FileContextStore(Objects.requireNonNull(file, "file"), keys, Objects.requireNonNull(clock, "clock"), retention);
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
        byte[] bytes = json.write(context);
        synchronized (this) {   // with the rewrite: a context appended to the old file is in the new one too
            journal.append(bytes);
            records++;
            remember(context);
            if (retention != null && ++putsSinceCheck >= MIN_EXPIRED_FOR_REWRITE) {
                putsSinceCheck = 0;
                long expired = byId.values().stream().filter(c -> !live(c)).count();
                long stale = expired + (records - byId.size());   // expired, or replaced by a later put of the same id
                if (stale >= Math.max(MIN_EXPIRED_FOR_REWRITE, records - stale)) {
                    try {
                        purgeExpired();
                    } catch (RuntimeException e) {   // this put is durable; the next check tries again
                        LOG.warn("Removing expired contexts from {} failed; the file keeps them until the next try: {}", file(),
                                e.getMessage());
                    }
                }
            }
        }
    }

    private void remember(HandoffContext context) {
        byId.put(context.contextId(), context);
        latest.merge(context.sessionId(), context, (old, neu) -> neu.createdAt().isBefore(old.createdAt()) ? old : neu);
    }

    @Override
    public Optional<HandoffContext> get(String contextId) {
        return Optional.ofNullable(byId.get(contextId)).filter(this::live);
    }

    @Override
    public Optional<HandoffContext> latest(SessionId session) {
        return Optional.ofNullable(latest.get(session)).filter(this::live);
    }

    /**
     * Removes the contexts past the retention from memory and rewrites the journal without them (atomically: a new
     * file, forced, renamed over the old one). Does nothing on a store opened without a retention.
     *
     * @return how many contexts were removed
     * @throws dev.handoff.api.RetriableHandoffException when the rewrite fails; the file and the store are unchanged
     */
    @Override
    public synchronized long purgeExpired() {
        if (retention == null) {
            return 0;
        }
        return rewriteWithout(c -> !live(c));
    }

    @Override
    public Set<SessionId> sessionsNaming(String customerId) {
        Objects.requireNonNull(customerId, "customerId");
        Set<SessionId> sessions = new HashSet<>();
        for (HandoffContext c : byId.values()) {
            if (customerId.equals(c.customer().customerId())) {
                sessions.add(c.sessionId());
            }
        }
        return sessions;
    }

    /**
     * Removes the contexts of these sessions and those naming the customer, from memory and from the file (a store
     * with a retention also drops expired contexts in the same rewrite).
     *
     * @throws dev.handoff.api.RetriableHandoffException when the rewrite fails; the file and the store are unchanged
     */
    @Override
    public synchronized long erase(Set<SessionId> sessions, String customerId) {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(customerId, "customerId");
        long erased = byId.values().stream().filter(c -> names(c, sessions, customerId)).count();
        rewriteWithout(c -> names(c, sessions, customerId) || !live(c));
        return erased;
    }

    private static boolean names(HandoffContext c, Set<SessionId> sessions, String customerId) {
        return sessions.contains(c.sessionId()) || customerId.equals(c.customer().customerId());
    }

    /** Rewrites the journal with the contexts held that {@code drop} does not match, then forgets the others. */
    private long rewriteWithout(Predicate<HandoffContext> drop) {
        List<HandoffContext> dropped = byId.values().stream().filter(drop).toList();
        if (dropped.isEmpty() && records == byId.size()) {
            return 0;
        }
        ContextJson json = ContextJson.get();
        List<HandoffContext> kept = byId.values().stream().filter(drop.negate())
                .sorted(java.util.Comparator.comparing(HandoffContext::createdAt)).toList();
        journal.rewrite(kept.stream().map(json::write).toList());
        records = kept.size();
        for (HandoffContext c : dropped) {
            byId.remove(c.contextId(), c);
            latest.remove(c.sessionId(), c);
        }
        return dropped.size();
    }

    private boolean live(HandoffContext context) {
        return retention == null || clock.instant().isBefore(context.createdAt().plus(retention));
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
