package dev.handoff.core.store;

import dev.handoff.api.SessionId;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.internal.journal.FileJournal;
import dev.handoff.core.store.CustomerLinksLine.Link;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@link DataRetention} for the local file stores: the links between customers and sessions in a journal of their
 * own, and the {@link SessionDataStore}s given to the builder (a {@link FileContextStore}, a
 * {@link FileCommitmentLedger}, the CRM outbox).
 *
 * <p>{@link #eraseCustomer} finds the customer's sessions (linked by {@link #linkSession} or named by a stored
 * record), has every store remove them from memory and rewrite its file without them, removes the links, and then
 * records one {@link AuditRecord.Action#CUSTOMER_DATA_ERASED} record per session (one with a synthetic session id
 * when there was none; the customer id is never written to the audit). Each file is replaced atomically, but the
 * files are not one transaction: when a rewrite fails the call throws a retriable exception before anything is
 * audited, some files may already be clean, and calling again finishes the erasure. When the audit sink fails after
 * the data is gone, the call throws a retriable exception too and keeps the records, in memory and in the links file
 * (so a restart does not lose them), to write them at the next {@link #purgeExpired} (which the {@code Handoff} runs
 * every 10 minutes) or before those of the next call; the retry finds no data, and records that as well. A record
 * the sink took just before a crash may be written again. A record the sink refuses for good (any exception but a
 * retriable one) is logged and dropped, as core's audit path does, so it cannot hold up the others. Erase customers whose sessions have ended; a change a live
 * session makes during the erasure may survive it.
 *
 * <p>{@link #purgeExpired} has every store drop what its own retention no longer covers and removes links older
 * than this retention. The stores also do so by themselves as they are written, and the links journal is rewritten
 * whenever its stale links outnumber the live ones, so nothing here needs a timer; calling {@code purgeExpired} from
 * a scheduler of your own makes removal prompt rather than eventual.
 *
 * <p>The links file is {@code 0600} in a {@code 0700} directory, sealed when {@link AtRestKeys} are given, and
 * follows the {@linkplain Recovery one recovery rule}. Thread-safe. Close it to release the links file (the stores
 * are closed by whoever opened them).
 */
public final class FileDataRetention implements DataRetention, AutoCloseable {

    /** How long a link is kept after it was made, unless set: 30 days, like handoff-postgres' default. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileDataRetention.class);
    /** The purpose sealed records of the links file are bound to. */
    static final String PURPOSE = "handoff.customer-links";
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MIN_STALE_FOR_REWRITE = 64;

    private final FileJournal journal;
    private final Map<String, SessionDataStore> stores;
    private final AuditSink audit;
    private final Clock clock;
    private final Duration retention;
    /** Customer id, then session, then when it was (last) linked (guarded by this). */
    private final Map<String, Map<SessionId, Instant>> links = new HashMap<>();
    /** Records in the links file (guarded by this). */
    private long records;
    /** Erasure records the audit sink did not take, written before the next ones. */
    private final UnauditedErasures unaudited;
    /** Those of them held in the links file, oldest first (guarded by this; taken after {@link #unaudited}'s lock). */
    private final List<AuditRecord> keptInFile = new ArrayList<>();

    private FileDataRetention(Builder b) {
        this.stores = Map.copyOf(b.stores);
        this.audit = b.audit;
        this.clock = b.clock;
        this.retention = b.retention;
        this.journal = FileJournal.open(b.links, new FileJournal.Options(PURPOSE, b.keys, b.clock), bytes -> {
            CustomerLinksLine line = CustomerLinksLine.read(bytes);
            if (line instanceof Link link) {
                remember(link);
            } else {
                keptInFile.add(((CustomerLinksLine.Unaudited) line).record());
            }
            records++;
        });
        unaudited = new UnauditedErasures(audit, this::holdInFile, this::holdOnlyInFile, List.copyOf(keptInFile));
        if (!keptInFile.isEmpty()) {
            LOG.warn("{} holds {} CUSTOMER_DATA_ERASED audit record(s) the audit sink did not take; they are written by the next "
                    + "purgeExpired or eraseCustomer", journal.file(), keptInFile.size());
        }
        try {
            purgeLinks(clock.instant());
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    /**
     * Starts a builder.
     *
     * @param links the journal file for the links between customers and sessions; its directory must not be
     *              readable by group or others
     * @param audit receives one {@link AuditRecord.Action#CUSTOMER_DATA_ERASED} record per erased session
     * @return a builder: no stores, no encryption, the system clock (UTC), {@link #DEFAULT_RETENTION}
     */
    public static Builder builder(Path links, AuditSink audit) {
        return new Builder(links, audit);
    }

    private void remember(Link link) {
        links.computeIfAbsent(link.customerId(), k -> new HashMap<>()).merge(link.sessionId(), link.linkedAt(),
                (a, b) -> a.isAfter(b) ? a : b);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the customer id is blank or longer than 256 characters
     * @throws dev.handoff.api.RetriableHandoffException when the disk write fails (nothing is linked)
     */
    @Override
    public synchronized void linkSession(SessionId session, String customerId) {
        Objects.requireNonNull(session, "session");
        requireCustomer(customerId);
        Link link = new Link(customerId, session, clock.instant());
        journal.append(link.bytes());
        records++;
        remember(link);
        long live = liveLines();
        if (records - live >= Math.max(MIN_STALE_FOR_REWRITE, live)) {
            try {
                purgeLinks(link.linkedAt());
            } catch (RuntimeException e) {   // this link is durable; the next one tries again
                LOG.warn("Removing expired customer links from {} failed; the file keeps them until the next try: {}", journal.file(),
                        e.getMessage());
            }
        }
    }

    /** The lines the file needs: the links within the retention and the erasure records the sink has not taken. */
    private long liveLines() {
        return links.values().stream().mapToLong(Map::size).sum() + keptInFile.size();
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.handoff.api.RetriableHandoffException when a store's or the links' file cannot be rewritten; what
     *                                                   was removed stays removed, and calling again finishes
     */
    @Override
    public Purge purgeExpired() {
        Instant now = clock.instant();
        Map<String, Long> removed = new LinkedHashMap<>();
        stores.forEach((kind, store) -> removed.put(kind, store.purgeExpired()));
        synchronized (this) {
            removed.put("customer-links", purgeLinks(now));
        }
        Purge purge = new Purge(now, removed);
        if (purge.total() > 0) {
            LOG.info("Purged {} expired record(s) of the file stores: {}", purge.total(), removed);
        }
        writeUnaudited();
        return purge;
    }

    /** Drops the links made before {@code now} less the retention and rewrites the file when it holds stale ones. */
    private long purgeLinks(Instant now) {
        Instant cutoff = now.minus(retention);
        long expired = 0;
        for (Map<SessionId, Instant> sessions : links.values()) {
            long before = sessions.size();
            sessions.values().removeIf(at -> !at.isAfter(cutoff));
            expired += before - sessions.size();
        }
        links.values().removeIf(Map::isEmpty);
        rewriteLinksIfStale();
        return expired;
    }

    private void rewriteLinksIfStale() {
        if (records != liveLines()) {
            rewriteLinks();
        }
    }

    private void rewriteLinks() {
        List<byte[]> keep = new ArrayList<>();
        links.forEach((customer, sessions) -> sessions.forEach((session, at) -> keep.add(new Link(customer, session, at).bytes())));
        keptInFile.forEach(r -> keep.add(new CustomerLinksLine.Unaudited(r).bytes()));
        journal.rewrite(keep);
        records = keep.size();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the customer id is blank or the actor is not a code
     * @throws dev.handoff.api.RetriableHandoffException when a file cannot be rewritten (nothing is audited yet, and
     *                                                   calling again finishes the erasure), or when the data is erased
     *                                                   but the audit sink was unavailable (its records are kept, and
     *                                                   calling again writes them first)
     * @throws dev.handoff.api.NonRetriableHandoffException when the data is erased but the audit sink refused some of
     *                                                      its records for good (logged, not kept)
     */
    @Override
    public Erasure eraseCustomer(String customerId, String actor) {
        requireCustomer(customerId);
        if (actor == null || !CODE.matcher(actor).matches()) {
            throw new IllegalArgumentException("actor must be 1-64 characters of [A-Za-z0-9_.:-], was "
                    + (actor == null ? "null" : actor.length() + " characters"));
        }
        Set<SessionId> found = new TreeSet<>(java.util.Comparator.comparing(SessionId::value));
        synchronized (this) {
            found.addAll(links.getOrDefault(customerId, Map.of()).keySet());
        }
        stores.values().forEach(s -> found.addAll(s.sessionsNaming(customerId)));
        Set<SessionId> sessions = Set.copyOf(found);
        Map<String, Long> removed = new LinkedHashMap<>();
        stores.forEach((kind, store) -> removed.put(kind, store.erase(sessions, customerId)));
        synchronized (this) {
            Map<SessionId, Instant> gone = links.remove(customerId);
            removed.put("customer-links", gone == null ? 0L : (long) gone.size());
            rewriteLinksIfStale();
        }
        Instant now = clock.instant();
        List<AuditRecord> records = new ArrayList<>();
        if (found.isEmpty()) {
            records.add(new AuditRecord(now, actor, AuditRecord.Action.CUSTOMER_DATA_ERASED, SessionId.of("erasure-" + UUID.randomUUID()),
                    null, "no-data"));
        }
        for (SessionId s : found) {
            records.add(new AuditRecord(now, actor, AuditRecord.Action.CUSTOMER_DATA_ERASED, s, null, "erased"));
        }
        audit(records, found.size());
        Erasure erasure = new Erasure(now, List.copyOf(found), removed);
        LOG.info("Erased the data of a customer for {}: {} session(s), {} record(s)", actor, found.size(), erasure.total());
        return erasure;
    }

    /**
     * Writes the erasure's records behind any an earlier erasure could not write; the data is gone already, so a sink
     * that fails keeps them, here and in the links file, and the call says so.
     */
    private void audit(List<AuditRecord> records, int sessions) {
        UnauditedErasures.Result r = unaudited.write(records);
        if (r.waiting() > 0) {
            throw new dev.handoff.api.RetriableHandoffException("The customer's data was erased (" + sessions + " session(s)), but the"
                    + " audit sink did not take the " + records.size() + " CUSTOMER_DATA_ERASED record(s); they are kept "
                    + (r.held() ? "in " + journal.file().getFileName() : "in this process only (the links file could not be written)")
                    + " and written by the next purgeExpired or before those of the next eraseCustomer call: call again ("
                    + r.waiting() + " record(s) wait)", r.unavailable());
        }
        long refused = r.refused().stream().filter(records::contains).count();
        if (refused > 0) {
            throw new dev.handoff.api.NonRetriableHandoffException("The customer's data was erased (" + sessions + " session(s)), but the"
                    + " audit sink refused " + refused + " of its " + records.size() + " CUSTOMER_DATA_ERASED record(s) for good; they"
                    + " are logged, not kept");
        }
    }

    /** Offers the kept erasure records to the sink again (from {@link #purgeExpired}); a sink still failing keeps them. */
    private void writeUnaudited() {
        UnauditedErasures.Result r = unaudited.write(List.of());
        if (r.waiting() > 0) {
            LOG.warn("The audit sink still does not take {} kept CUSTOMER_DATA_ERASED record(s); they stay kept", r.waiting());
        } else if (r.written() + r.refused().size() > 0) {
            LOG.info("Wrote the {} kept CUSTOMER_DATA_ERASED audit record(s) ({} refused for good)", r.written(), r.refused().size());
        }
    }

    /** Appends records to the links file behind those held; false (and an error logged) when it cannot be written. */
    private synchronized boolean holdInFile(List<AuditRecord> kept) {
        try {
            for (AuditRecord r : kept) {
                journal.append(new CustomerLinksLine.Unaudited(r).bytes());
                records++;
                keptInFile.add(r);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.error("{} cannot be written ({}); CUSTOMER_DATA_ERASED records the audit sink did not take are kept in memory only",
                    journal.file(), e.getMessage());
            return false;
        }
    }

    /** Rewrites the links file holding exactly these records; false (and a warning logged) when it cannot. */
    private synchronized boolean holdOnlyInFile(List<AuditRecord> kept) {
        keptInFile.clear();
        keptInFile.addAll(kept);
        try {
            rewriteLinks();
            return true;
        } catch (RuntimeException e) {   // at least once: a restart before the next rewrite offers the old ones again
            LOG.warn("{} could not be rewritten with the {} CUSTOMER_DATA_ERASED record(s) still waiting for the audit sink; a"
                    + " restart before its next rewrite writes those it took again: {}", journal.file(), kept.size(), e.getMessage());
            return false;
        }
    }

    /**
     * The sessions linked to a customer (through {@link #linkSession}), whose links are within the retention.
     *
     * @param customerId the customer
     * @return the linked sessions; empty when none
     */
    public synchronized Set<SessionId> linkedSessions(String customerId) {
        return Set.copyOf(links.getOrDefault(customerId, Map.of()).keySet());
    }

    /**
     * What opening the links journal found.
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

    private static void requireCustomer(String customerId) {
        if (customerId == null || customerId.isBlank() || customerId.length() > 256) {
            throw new IllegalArgumentException("customerId must be 1-256 characters and not blank, was "
                    + (customerId == null ? "null" : customerId.length() + " characters"));
        }
    }

    /** Builds a {@link FileDataRetention}; not thread-safe. */
    public static final class Builder {
        private final Path links;
        private final AuditSink audit;
        private final Map<String, SessionDataStore> stores = new LinkedHashMap<>();
        private @Nullable AtRestKeys keys;
        private Clock clock = Clock.systemUTC();
        private Duration retention = DEFAULT_RETENTION;

        private Builder(Path links, AuditSink audit) {
            this.links = Objects.requireNonNull(links, "links");
            this.audit = Objects.requireNonNull(audit, "audit");
        }

        /**
         * A store whose records are erased with the customer and purged with its own retention.
         *
         * @param kind  the name its counts appear under in {@link Purge} and {@link Erasure} ({@code "contexts"},
         *              {@code "commitments"}, {@code "outbox"}); 1-64 characters of {@code [A-Za-z0-9_.:-]}, unique
         * @param store the store
         * @return this builder
         * @throws IllegalArgumentException when the kind is not a code or is already used
         */
        public Builder store(String kind, SessionDataStore store) {
            Objects.requireNonNull(store, "store");
            if (kind == null || !CODE.matcher(kind).matches() || "customer-links".equals(kind)) {
                throw new IllegalArgumentException("kind must be 1-64 characters of [A-Za-z0-9_.:-] other than customer-links, was "
                        + (kind == null ? "null" : "\"" + kind + "\""));
            }
            if (stores.putIfAbsent(kind, store) != null) {
                throw new IllegalArgumentException("kind \"" + kind + "\" is already used by another store");
            }
            return this;
        }

        /**
         * Seals the links file with these keys. Default: not sealed.
         *
         * @param keys the keys
         * @return this builder
         */
        public Builder keys(AtRestKeys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * The clock links and audit records are stamped with. Default: the system clock, UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a link between a customer and a session is kept. Default {@link #DEFAULT_RETENTION}; keep it at
         * least as long as the stores keep the session's records, or erasure may miss a session that no stored
         * record names.
         *
         * @param retention positive
         * @return this builder
         * @throws IllegalArgumentException when zero or negative
         */
        public Builder retention(Duration retention) {
            dev.handoff.core.internal.Checks.positive("retention", retention);
            this.retention = retention;
            return this;
        }

        /**
         * Opens (or creates) the links journal and drops expired links.
         *
         * @return the retention; close it to release the links file
         * @throws dev.handoff.api.NonRetriableHandoffException when the file is not a journal or is open elsewhere
         * @throws dev.handoff.api.ConfigurationException       when its directory can be read by group or others
         */
        public FileDataRetention open() {
            return new FileDataRetention(this);
        }
    }
}
