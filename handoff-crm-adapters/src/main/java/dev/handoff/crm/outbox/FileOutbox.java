package dev.handoff.crm.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.internal.journal.SecureFiles;
import dev.handoff.core.json.ContextJson;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.DeadLetter;
import dev.handoff.core.store.OutboxEntry;
import dev.handoff.core.store.OutboxStore;
import dev.handoff.core.store.Recovery;
import dev.handoff.core.store.SessionDataStore;
import dev.handoff.api.SessionId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable outbox in a directory, on the same crash-safe journal as the context store (handoff-core): each push is
 * validated and forced to disk before {@link #append} returns, so a handoff written here survives a CRM outage, a
 * crash, a full disk and a restart.
 *
 * <p>Files in the directory ({@code 0700}; each file {@code 0600}): {@code outbox.journal} (ENQUEUE, ACK and DEAD
 * records), {@code dead-letters.journal} (each push the CRM refused for good, with its full context and the reason,
 * so nothing is silently dropped; read it with {@link #deadLetters()}), {@code outbox.lock} (held while open, so two
 * processes cannot share a directory) and, after damage was found, {@code <journal>.set-aside-<millis>} kept for an
 * operator. With {@link AtRestKeys} every record is encrypted (AES-256-GCM).
 *
 * <p>Opening follows the {@linkplain Recovery one recovery rule}: a torn last write is cut; damaged bytes and
 * records that do not hold a valid context are set aside and reading continues at the next valid record; a write
 * that fails (disk full) is rolled back, so the pushes acknowledged after space is freed are all replayed.
 * Acknowledged and dead entries are compacted away on open and every {@link #DEFAULT_COMPACT_AFTER} finished
 * entries (an atomic rewrite).
 *
 * <p>As a {@link dev.handoff.core.store.SessionDataStore}, it erases a customer's pending pushes and dead letters
 * for {@link dev.handoff.core.store.FileDataRetention}; opened with a dead-letter retention, {@link #purgeExpired()}
 * removes dead letters older than that.
 *
 * <p>The {@link OutboxStore} for one process: claims, their leases and the failure counts live in memory (only
 * this process can open the directory), so after a restart every pending push is due at once and its failures
 * count from zero. An append whose adapter and idempotency key are already pending returns the pending entry.
 *
 * <p>Thread-safe: every method is synchronized. Not for use by two processes at once.
 */
public final class FileOutbox implements OutboxStore, SessionDataStore {

    /** Finished (acknowledged or dead) entries after which the journal is rewritten: 1000. */
    public static final int DEFAULT_COMPACT_AFTER = 1000;
    /** The journal's file name. */
    public static final String JOURNAL = "outbox.journal";
    /** The dead-letter journal's file name. */
    public static final String DEAD_LETTERS = "dead-letters.journal";

    private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);

    private final Path dir;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final PendingEntries pending = new PendingEntries();
    private final FileJournal journal;
    private final DeadLetterFile deadLetters;
    private final @Nullable Duration deadLetterRetention;
    private int finishedInFile;
    private boolean closed;

    private FileOutbox(Path dir, Clock clock, AtRestKeys keys, @Nullable Duration deadLetterRetention) throws IOException {
        this.dir = dir;
        this.clock = clock;
        this.deadLetterRetention = deadLetterRetention;
        SecureFiles.privateDirectory(dir);
        this.lockChannel = SecureFiles.open(dir.resolve("outbox.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock acquired;
        try {
            acquired = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            acquired = null;
        }
        if (acquired == null) {
            lockChannel.close();
            throw new ConfigurationException("Outbox directory " + dir + " is already open (by this or another process);"
                    + " give each process its own directory");
        }
        this.lock = acquired;
        FileJournal opened = null;
        try {
            opened = FileJournal.open(dir.resolve(JOURNAL), new FileJournal.Options("handoff.outbox", keys, clock), this::apply);
            this.journal = opened;
            this.deadLetters = new DeadLetterFile(dir.resolve(DEAD_LETTERS), keys, clock);
            if (finishedInFile > 0) {
                compact();
            }
            if (pending.size() > 0) {
                LOG.info("Outbox {} reopened with {} pending push(es)", dir, pending.size());
            }
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            lock.release();
            lockChannel.close();
            throw e;
        }
    }

    /** Opens (creating if needed) the outbox in {@code dir} with the system clock, unencrypted. */
    public static FileOutbox open(Path dir) {
        return open(dir, Clock.systemUTC());
    }

    /** Opens (creating if needed) the outbox in {@code dir}, unencrypted. */
    public static FileOutbox open(Path dir, Clock clock) {
        return open(dir, clock, null);
    }

    /**
     * Opens (creating if needed) the outbox in {@code dir}.
     *
     * @param keys nullable; encrypt every record at rest (records under an older key are re-sealed on open)
     * @throws ConfigurationException when the directory is already open, can be read by group or others, or a record
     *                                is sealed with a key id {@code keys} does not have
     * @throws UncheckedIOException   when the directory cannot be created or read
     */
    public static FileOutbox open(Path dir, Clock clock, AtRestKeys keys) {
        return open(dir, clock, keys, null);
    }

    /**
     * Opens (creating if needed) the outbox in {@code dir}, keeping each dead letter (a push given up, with its
     * context) for {@code deadLetterRetention} after it was given up; {@link #purgeExpired()} removes older ones.
     *
     * @param deadLetterRetention nullable: keep dead letters until erased; otherwise positive
     * @throws IllegalArgumentException when the retention is zero or negative
     * @throws ConfigurationException   as {@link #open(Path, Clock, AtRestKeys)}
     */
    public static FileOutbox open(Path dir, Clock clock, AtRestKeys keys, @Nullable Duration deadLetterRetention) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        if (deadLetterRetention != null) {
            dev.handoff.core.internal.Checks.positive("deadLetterRetention", deadLetterRetention);
        }
        try {
            return new FileOutbox(dir, clock, keys, deadLetterRetention);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open outbox in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The directory. */
    public Path directory() {
        return dir;
    }

    /** What opening the outbox journal found. */
    public Recovery recovery() {
        return journal.recovery();
    }

    /**
     * Validates the context and writes a push for one adapter, forced to disk before returning.
     *
     * @throws dev.handoff.api.ValidationException when the context is not valid (nothing is written)
     * @throws RetriableHandoffException           when the disk write fails (the push was not accepted; nothing partial
     *                                             stays in the file)
     */
    public synchronized OutboxEntry append(String adapter, String idempotencyKey, HandoffContext context) {
        return append(adapter, idempotencyKey, context, Map.of());
    }

    /**
     * As {@link #append(String, String, HandoffContext)}, keeping the W3C trace context with the entry (the record's
     * {@code traceparent} and {@code tracestate} fields; records written before them hold none).
     *
     * @throws dev.handoff.api.ValidationException when the context is not valid (nothing is written)
     * @throws RetriableHandoffException           when the disk write fails
     */
    @Override
    public synchronized OutboxEntry append(String adapter, String idempotencyKey, HandoffContext context, Map<String, String> traceContext) {
        ensureOpen();
        Objects.requireNonNull(adapter, "adapter");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        ContextJson.get().requireValid(Objects.requireNonNull(context, "context"));
        OutboxEntry existing = pending.withKey(adapter, idempotencyKey);
        if (existing != null) {
            return existing;
        }
        String contextJson = new String(ContextJson.get().write(context), StandardCharsets.UTF_8);
        OutboxEntry entry = new OutboxEntry(UUID.randomUUID().toString(), adapter, idempotencyKey, context.contextId(), clock.instant(),
                contextJson, traceContext);
        journal.append(OutboxRecords.enqueue(entry));
        pending.put(entry, clock.instant());
        return entry;
    }

    @Override
    public synchronized List<Claim> claimDue(Set<String> adapters, int max, Duration lease) {
        ensureOpen();
        Objects.requireNonNull(adapters, "adapters");
        Objects.requireNonNull(lease, "lease");
        return pending.claim(adapters, max, lease, clock.instant());
    }

    @Override
    public synchronized boolean acknowledge(Claim claim, CrmReceipt receipt) {
        if (!holds(claim)) {
            return false;
        }
        acknowledge(claim.entry().id(), receipt);
        return true;
    }

    @Override
    public synchronized boolean retryLater(Claim claim, Duration delay) {
        if (!holds(claim)) {
            return false;
        }
        pending.retry(claim, clock.instant().plus(delay));
        return true;
    }

    @Override
    public synchronized boolean deadLetter(Claim claim, String reason) {
        if (!holds(claim)) {
            return false;
        }
        deadLetter(claim.entry().id(), reason);
        return true;
    }

    @Override
    public synchronized boolean release(Claim claim) {
        if (!holds(claim)) {
            return false;
        }
        pending.release(claim);
        return true;
    }

    @Override
    public synchronized int pendingCount() {
        return pending.size();
    }

    private boolean holds(Claim claim) {
        ensureOpen();
        Objects.requireNonNull(claim, "claim");
        return pending.holds(claim);
    }

    /** Marks a push delivered; it will not be sent again, even after a restart. Unknown ids are ignored. */
    public synchronized void acknowledge(String entryId, CrmReceipt receipt) {
        ensureOpen();
        if (pending.get(entryId) == null) {
            return;
        }
        ObjectNode payload = OutboxRecords.JSON.createObjectNode().put("op", "ack").put("id", entryId).put("at", clock.instant().toString());
        if (receipt != null) {
            payload.put("system", receipt.system()).put("recordId", receipt.recordId()).put("url", receipt.url());
        }
        journal.append(OutboxRecords.bytes(payload));
        pending.remove(entryId);
        finished();
    }

    /**
     * Moves a push the CRM refused for good to the dead-letter journal (with its context and the reason) and stops
     * retrying it. Unknown ids are ignored.
     *
     * @param reason the system, the call and the status; never a CRM's error body
     */
    public synchronized void deadLetter(String entryId, String reason) {
        ensureOpen();
        OutboxEntry entry = pending.get(entryId);
        if (entry == null) {
            return;
        }
        DeadLetter letter = new DeadLetter(entry, clock.instant(), reason);
        deadLetters.add(letter);
        journal.append(OutboxRecords.bytes(OutboxRecords.JSON.createObjectNode().put("op", "dead").put("id", entryId)));
        pending.remove(entryId);
        finished();
    }

    @Override
    public synchronized Set<SessionId> sessionsNaming(String customerId) {
        Objects.requireNonNull(customerId, "customerId");
        return java.util.stream.Stream.concat(pending.entries().stream(), deadLetters.all().stream().map(DeadLetter::entry))
                .map(e -> ContextJson.get().read(e.contextJson())).filter(c -> customerId.equals(c.customer().customerId()))
                .map(HandoffContext::sessionId).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Drops the pending pushes and the dead letters of these sessions, or naming the customer, and rewrites both
     * journals without them. A push being delivered at that moment may still reach the CRM; its acknowledgement is
     * then ignored.
     *
     * @throws RetriableHandoffException when a journal cannot be rewritten; calling again finishes
     */
    @Override
    public synchronized long erase(Set<SessionId> sessions, String customerId) {
        ensureOpen();
        List<OutboxEntry> gone = pending.entries().stream().filter(e -> names(e, sessions, customerId)).toList();
        long removed = deadLetters.removeIf(d -> names(d.entry(), sessions, customerId));
        if (!gone.isEmpty()) {
            journal.rewrite(pending.entries().stream().filter(e -> !gone.contains(e)).map(OutboxRecords::enqueue).toList());
            gone.forEach(e -> pending.remove(e.id()));
            finishedInFile = 0;
        }
        return removed + gone.size();
    }

    /**
     * Removes the dead letters older than the dead-letter retention ({@link #open(Path, Clock, AtRestKeys, Duration)}).
     * Pending pushes are kept until they are delivered or given up, whatever their age.
     *
     * @return how many dead letters were removed; 0 without a retention
     * @throws RetriableHandoffException when the dead-letter journal cannot be rewritten; nothing was removed
     */
    @Override
    public synchronized long purgeExpired() {
        ensureOpen();
        if (deadLetterRetention == null) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(deadLetterRetention);
        return deadLetters.removeIf(d -> !d.deadAt().isAfter(cutoff));
    }

    private static boolean names(OutboxEntry e, Set<SessionId> sessions, String customerId) {
        HandoffContext c = ContextJson.get().read(e.contextJson());
        return sessions.contains(c.sessionId()) || customerId.equals(c.customer().customerId());
    }

    /** Every push given up so far, oldest first, with its context and the reason. */
    @Override
    public synchronized List<DeadLetter> deadLetters() {
        return deadLetters.all();
    }

    /** The pushes not yet acknowledged or dead-lettered, oldest first. */
    public synchronized List<OutboxEntry> pending() {
        return List.copyOf(pending.entries());
    }

    /** One pending push by id. */
    public synchronized Optional<OutboxEntry> pending(String entryId) {
        return Optional.ofNullable(pending.get(entryId));
    }

    /** Releases the directory. Pending pushes stay in the journal for the next open. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            journal.close();
            deadLetters.close();
            lock.release();
            lockChannel.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Closing outbox {} failed: {}", dir, e.toString());
        }
    }

    private void finished() {
        finishedInFile++;
        if (finishedInFile >= DEFAULT_COMPACT_AFTER) {
            try {
                compact();
            } catch (RetriableHandoffException e) {
                LOG.warn("Compacting outbox {} failed; the journal keeps growing until the next try: {}", dir, e.getMessage());
            }
        }
    }

    /** Rewrites the journal with only the pending entries, atomically. */
    private void compact() {
        List<byte[]> keep = new ArrayList<>(pending.size());
        for (OutboxEntry e : pending.entries()) {
            keep.add(OutboxRecords.enqueue(e));
        }
        journal.rewrite(keep);
        LOG.debug("Compacted outbox {}: dropped {} finished entries, kept {} pending", dir, finishedInFile, pending.size());
        finishedInFile = 0;
    }

    /** Replays one record; throws (and the journal sets the record aside) when it is not a valid outbox record. */
    private void apply(byte[] bytes) {
        JsonNode node = OutboxRecords.readTree(bytes);
        String id = node.path("id").asText();
        switch (node.path("op").asText()) {
            case "enqueue" -> pending.put(OutboxRecords.entry(node), clock.instant());
            case "ack", "dead" -> {
                pending.remove(id);
                finishedInFile++;
            }
            default -> throw new IllegalArgumentException("unknown outbox record op \"" + node.path("op").asText() + "\"");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("outbox " + dir + " is closed");
        }
    }
}
