package dev.handoff.postgres;

import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.CommitmentDetector;
import dev.handoff.core.internal.Checks;
import dev.handoff.postgres.internal.Background;
import dev.handoff.postgres.internal.Jdbc;
import dev.handoff.postgres.internal.Migrations;
import dev.handoff.postgres.internal.Tenancy;
import dev.handoff.postgres.internal.Texts;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Handoff store on one PostgreSQL database, for one tenant: the entry point of this module.
 *
 * <pre>{@code
 * PostgresHandoffStores stores = PostgresHandoffStores.builder(dataSource).tenant("acme").build();
 * Handoff handoff = stores.applyTo(Handoff.builder()).signingKeys(keys).build();
 * }</pre>
 *
 * <p>{@link Builder#build} checks the database once (reachable, writable, the schema at
 * {@link PostgresSchema#LATEST_VERSION}, creating or upgrading it with {@link PostgresSchema.Mode#MIGRATE}, the
 * default) and fails fast with a {@link dev.handoff.api.ConfigurationException} or a
 * {@link dev.handoff.api.RetriableHandoffException} naming what was expected. The stores share the user's
 * {@link DataSource} (a pool such as HikariCP; its connection timeout bounds how long a store call waits while the
 * database is unreachable) and hold nothing else, so any number of instances may run against one database.
 * Immutable and thread-safe.
 */
public final class PostgresHandoffStores {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresHandoffStores.class);

    /** The tenant when none is set. */
    public static final String DEFAULT_TENANT = "default";
    /** How long contexts (with their transcripts), commitments and tickets are kept after they were last written. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);
    /** How often each instance deletes the rows past their retention, once attached to a Handoff. */
    public static final Duration DEFAULT_RETENTION_PURGE_INTERVAL = Duration.ofMinutes(10);
    /** How long a store call waits for any one answer of the database (see {@link Builder#answerTimeout}). */
    public static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** The Handoff's worker threads that {@link #applyTo} sets: steps wait for database round trips. */
    public static final int WORKER_THREADS = 16;
    /** Database threads of the shared runtime pieces (queues, takeover, deadline polls, retention purge, notifications). */
    static final int DB_THREADS = 2;

    private final String tenant;
    private final String schema;
    private final Duration answerTimeout;
    private final PostgresSchema.Report schemaReport;
    private final PostgresContextStore contexts;
    private final PostgresCommitmentLedger ledger;
    private final PostgresCommitmentDeadlines deadlines;
    private final PostgresAuditSink audit;
    private final PostgresRedeemedTickets redeemedTickets;
    private final PostgresDataRetention retention;
    private final PostgresChatQueues chatQueues;
    private final PostgresHandoffOwnership ownership;
    private final PostgresOutbox outbox;
    private final PostgresAgentRelay agentRelay;
    private final boolean shareRunningHandoffs;
    private final Duration purgeInterval;

    private PostgresHandoffStores(Builder b, PostgresSchema.Report report) {
        Tenancy t = new Tenancy(new Jdbc(b.dataSource, b.answerTimeout), b.tenant, b.schema, b.clock, b.retention);
        this.tenant = b.tenant;
        this.schema = b.schema;
        this.answerTimeout = b.answerTimeout;
        this.schemaReport = report;
        this.audit = new PostgresAuditSink(t);
        this.contexts = new PostgresContextStore(t, audit);
        this.ledger = new PostgresCommitmentLedger(t, b.detector);
        Background background = new Background(t.jdbc(), b.instanceId, DB_THREADS, b.listen);
        this.deadlines = new PostgresCommitmentDeadlines(t, ledger, b.instanceId, b.claimLease, b.batchSize, background,
                b.deadlinePollInterval);
        this.redeemedTickets = new PostgresRedeemedTickets(t);
        this.retention = new PostgresDataRetention(t, audit);
        this.purgeInterval = b.purgeInterval;
        this.chatQueues = new PostgresChatQueues(t, b.instanceId, background, b.acceptTimeout, PostgresChatQueues.DEFAULT_AGENT_LEASE);
        this.ownership = new PostgresHandoffOwnership(t, b.instanceId, b.lease, background, chatQueues, contexts, b.pollInterval);
        this.outbox = new PostgresOutbox(t, b.instanceId);
        this.agentRelay = new PostgresAgentRelay(t, b.instanceId, background, ledger, b.pollInterval, b.actionTimeout);
        ownership.watches(agentRelay.takeoverWatches());   // a watch outlives its handoff's owner
        this.shareRunningHandoffs = b.shareRunningHandoffs;
    }

    /** Starts a builder on the database behind {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Sets this module's stores on a Handoff builder: the context store, the commitment ledger, the verification
     * deadlines (polled by every instance, so each fires once across them), the audit sink, the record of redeemed
     * single-use tickets (so a ticket redeemed on one instance is refused on every other) and the retention (so a
     * session opened for a known customer is linked to them for erasure); and, unless
     * {@link Builder#shareRunningHandoffs(boolean)} turned it off, the chat queues (the
     * {@link dev.handoff.api.TransferMode#QUEUE} executor) and the handoff ownership, so agents on every instance
     * serve every instance's handoffs and a dead instance's handoffs are taken over. It also sets
     * {@link Handoff.Builder#workerThreads} to {@link #WORKER_THREADS}: packaging stores the context and writes audit
     * records on a worker thread, which now waits for a database round trip each time (with one worker per core, 64
     * handoffs at once queued behind those waits; see benchmarks/README.md); call {@code workerThreads} after this
     * to choose another number. The rest of the builder is untouched. Apply one {@code PostgresHandoffStores} to one
     * Handoff. Once that Handoff is built, its scheduler also times the deadline polls; the retention purge runs on
     * the Handoff's own purge timer, which this sets to {@link Builder#retentionPurgeInterval}
     * ({@link Handoff.Builder#retentionPurgeInterval}; zero turns it off).
     *
     * @return {@code builder}, for chaining
     */
    public Handoff.Builder applyTo(Handoff.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        builder.contextStore(contexts).commitmentLedger(ledger).auditSink(audit).redeemedTickets(redeemedTickets)
                .verificationDeadlines(deadlines).dataRetention(retention)
                // on every instance: deletes are idempotent, and each instance keeps purging when another dies
                .retentionPurgeInterval(purgeInterval)
                .workerThreads(WORKER_THREADS);
        if (shareRunningHandoffs) {
            builder.transferExecutor(chatQueues).ownership(ownership).agentRelay(agentRelay);
        }
        return builder;
    }

    /** The chat queues every instance shares ({@link dev.handoff.core.Handoff#chatQueues()} once applied). */
    public PostgresChatQueues chatQueues() {
        return chatQueues;
    }

    /** Who owns each running handoff (set on the Handoff by {@link #applyTo}). */
    public PostgresHandoffOwnership ownership() {
        return ownership;
    }

    /**
     * Lets an agent on this instance act on a handoff another instance owns, and relays that handoff's events back
     * (set on the Handoff by {@link #applyTo} with the shared queues; the agent desktop uses it through
     * {@code Handoff.agentActions} and {@code Handoff.agentRelay()}).
     */
    public PostgresAgentRelay agentRelay() {
        return agentRelay;
    }

    /**
     * The CRM outbox every instance shares: give it to handoff-crm-adapters' dispatcher on each instance,
     * {@code OutboxDispatcher.builder(stores.outbox()).adapter(crm).build()}, and each push is delivered by one of them.
     */
    public PostgresOutbox outbox() {
        return outbox;
    }

    /** The context store, signed documents shared by every instance (set on the Handoff by {@link #applyTo}). */
    public PostgresContextStore contextStore() {
        return contexts;
    }

    /** The commitment ledger every instance shares (set on the Handoff by {@link #applyTo}). */
    public PostgresCommitmentLedger commitmentLedger() {
        return ledger;
    }

    /** The verification deadlines; the runtime polls them ({@link PostgresCommitmentDeadlines#pollDue}). */
    public PostgresCommitmentDeadlines commitmentDeadlines() {
        return deadlines;
    }

    /** The append-only audit table of this tenant (set on the Handoff by {@link #applyTo}). */
    public PostgresAuditSink auditSink() {
        return audit;
    }

    /** Which single-use tickets were redeemed, on any instance (set on the Handoff by {@link #applyTo}). */
    public PostgresRedeemedTickets redeemedTickets() {
        return redeemedTickets;
    }

    /** Retention purge and customer erasure over every table of this tenant. */
    public PostgresDataRetention dataRetention() {
        return retention;
    }

    /** The tenant every row is written for and every read is limited to. */
    public String tenant() {
        return tenant;
    }

    /** The schema the tables live in. */
    public String schema() {
        return schema;
    }

    /** How long a store call waits for any one answer of the database ({@link Builder#answerTimeout}). */
    public Duration answerTimeout() {
        return answerTimeout;
    }

    /** What the start-up check found and applied. */
    public PostgresSchema.Report schemaReport() {
        return schemaReport;
    }

    /** Configuration; every setting has a stated default. Not thread-safe; {@link #build} may be called again. */
    public static final class Builder {
        private final DataSource dataSource;
        private String tenant = DEFAULT_TENANT;
        private String schema = PostgresSchema.DEFAULT_SCHEMA;
        private PostgresSchema.Mode mode = PostgresSchema.Mode.MIGRATE;
        private Clock clock = Clock.systemUTC();
        private Duration retention = DEFAULT_RETENTION;
        private CommitmentDetector detector;
        private String instanceId = defaultInstanceId();
        private Duration claimLease = PostgresCommitmentDeadlines.DEFAULT_CLAIM_LEASE;
        private int batchSize = PostgresCommitmentDeadlines.DEFAULT_BATCH_SIZE;
        private Duration deadlinePollInterval = PostgresCommitmentDeadlines.DEFAULT_POLL_INTERVAL;
        private Duration purgeInterval = DEFAULT_RETENTION_PURGE_INTERVAL;
        private Duration lease = PostgresHandoffOwnership.DEFAULT_LEASE;
        private Duration pollInterval = PostgresChatQueues.DEFAULT_POLL_INTERVAL;
        private Duration acceptTimeout = PostgresChatQueues.DEFAULT_ACCEPT_TIMEOUT;
        private boolean shareRunningHandoffs = true;
        private boolean listen = true;
        private Duration actionTimeout = PostgresAgentRelay.DEFAULT_ACTION_TIMEOUT;
        private Duration answerTimeout = DEFAULT_ANSWER_TIMEOUT;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /** The tenant every row is written for and every read is limited to. Default {@link #DEFAULT_TENANT}. */
        public Builder tenant(String tenant) {
            this.tenant = Texts.requireCode("tenant", tenant);
            return this;
        }

        /** The schema the tables live in. Default {@link PostgresSchema#DEFAULT_SCHEMA}. */
        public Builder schema(String schema) {
            this.schema = Migrations.requireSchemaName(schema);
            return this;
        }

        /** Migrate (default, {@link PostgresSchema.Mode#MIGRATE}) or only validate the schema at {@link #build}. */
        public Builder schemaMode(PostgresSchema.Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Every time the stores write or compare. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long contexts, commitments, deadlines and ticket redemption records (from their ticket's expiry) live
         * after they were last written; {@link PostgresDataRetention#purgeExpired} removes them afterwards. Default {@link #DEFAULT_RETENTION}.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder retention(Duration retention) {
            this.retention = dev.handoff.core.internal.Checks.positive("retention", retention);
            return this;
        }

        /** Finds promises in AI turns. Default: a {@link CommitmentDetector} in UTC. */
        public Builder commitmentDetector(CommitmentDetector detector) {
            this.detector = Objects.requireNonNull(detector, "detector");
            return this;
        }

        /** Names this instance on the deadlines it claims. Default: {@code pid-<pid>-<random>}. */
        public Builder instanceId(String instanceId) {
            this.instanceId = Texts.requireCode("instanceId", instanceId);
            return this;
        }

        /**
         * How long a claimed deadline stays with its instance before another may take it over.
         * Default {@link PostgresCommitmentDeadlines#DEFAULT_CLAIM_LEASE}.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder deadlineClaimLease(Duration lease) {
            Objects.requireNonNull(lease, "lease");
            if (lease.isNegative() || lease.isZero()) {
                throw new IllegalArgumentException("deadline claim lease must be positive, was " + lease);
            }
            this.claimLease = lease;
            return this;
        }

        /**
         * The most deadlines one poll claims. Default {@link PostgresCommitmentDeadlines#DEFAULT_BATCH_SIZE}.
         *
         * @throws IllegalArgumentException when not 1 to 10,000
         */
        public Builder deadlineBatchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("deadline batch size must be 1 to 10000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How often each instance polls for due verification deadlines once the stores serve a Handoff (an overdue
         * event comes at most this late). Default {@link PostgresCommitmentDeadlines#DEFAULT_POLL_INTERVAL}.
         *
         * @throws IllegalArgumentException when under 50 ms or over 1 minute
         */
        public Builder deadlinePollInterval(Duration interval) {
            this.deadlinePollInterval = Checks.within("deadline poll interval", interval, Duration.ofMillis(50), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How often each instance runs {@link PostgresDataRetention#purgeExpired} by itself once the stores serve a
         * Handoff (the first run one interval after it is built); {@link Duration#ZERO} turns it off (purge from
         * your own job then). {@link #applyTo} hands it to the Handoff's purge timer
         * ({@link Handoff.Builder#retentionPurgeInterval}), which runs it on an io thread. Each run deletes in short
         * batches and logs the counts per table at INFO when it removed anything (table names and numbers only). Default
         * {@link #DEFAULT_RETENTION_PURGE_INTERVAL}.
         *
         * @throws IllegalArgumentException when not zero and under 1 second or over 1 day
         */
        public Builder retentionPurgeInterval(Duration interval) {
            Objects.requireNonNull(interval, "retentionPurgeInterval");
            if (!interval.isZero() && (interval.compareTo(Duration.ofSeconds(1)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0)) {
                throw new IllegalArgumentException("retention purge interval must be PT0S (off) or PT1S to PT24H, was " + interval);
            }
            this.purgeInterval = interval;
            return this;
        }

        /**
         * How long a running handoff stays with its instance without a heartbeat before another instance takes it
         * over (renewed every third of it). Default {@link PostgresHandoffOwnership#DEFAULT_LEASE}.
         *
         * @throws IllegalArgumentException when under 1 second or over 10 minutes
         */
        public Builder handoffLease(Duration lease) {
            this.lease = Checks.within("handoff lease", lease, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * How often each instance polls the shared queues and takeovers whatever notifications say.
         * Default {@link PostgresChatQueues#DEFAULT_POLL_INTERVAL}.
         *
         * @throws IllegalArgumentException when under 50 ms or over 1 minute
         */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Checks.within("poll interval", interval, Duration.ofMillis(50), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long an agent who took an offer has to accept it before it goes back to the queue.
         * Default {@link PostgresChatQueues#DEFAULT_ACCEPT_TIMEOUT}.
         *
         * @throws IllegalArgumentException when under 1 second or over 10 minutes
         */
        public Builder acceptTimeout(Duration timeout) {
            this.acceptTimeout = Checks.within("accept timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * How long an agent's action on a handoff another instance owns waits for that instance (or the one that took
         * it over) before the agent is told that nothing was done. Default {@link PostgresAgentRelay#DEFAULT_ACTION_TIMEOUT}.
         *
         * @throws IllegalArgumentException when under 1 second or over 5 minutes
         */
        public Builder agentActionTimeout(Duration timeout) {
            this.actionTimeout = Checks.within("agent action timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
            return this;
        }

        /**
         * How long a store call waits for any one answer of the database before it fails with a
         * {@link dev.handoff.api.RetriableHandoffException} ("PostgreSQL did not answer within ..."), set on each
         * connection as it is taken from the pool ({@link java.sql.Connection#setNetworkTimeout}). A server that stops
         * answering (stopped, cut off by the network, stuck on its disk) then returns a handoff to the bot with the
         * reason instead of holding the customer and a worker thread for as long as the operating system keeps the
         * connection open. Default {@link #DEFAULT_ANSWER_TIMEOUT}; schema migrations at {@link #build} are not bounded
         * by it.
         *
         * @throws IllegalArgumentException when under 1 second or over 10 minutes
         */
        public Builder answerTimeout(Duration timeout) {
            this.answerTimeout = Checks.within("answer timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
            return this;
        }

        /**
         * Whether {@link #applyTo} also sets the shared chat queues and handoff ownership (default true). Turn it off
         * to keep running handoffs and queues in each process (one instance, or your own QUEUE executor).
         */
        public Builder shareRunningHandoffs(boolean share) {
            this.shareRunningHandoffs = share;
            return this;
        }

        /**
         * Whether each instance holds a {@code LISTEN} connection to hear other instances' offers, takeovers and
         * claims at once (default true). Turn it off when connections go through a pooler in transaction mode (such
         * as PgBouncer), which cannot keep a session's {@code LISTEN}: instances then find each other's work by
         * polling alone, every {@link #pollInterval}, and a handoff goes through the same way, only later.
         */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /**
         * Checks the database and the schema (migrating it in {@link PostgresSchema.Mode#MIGRATE}) and returns the stores.
         * A schema already at the version this build needs is checked within the {@linkplain #answerTimeout answer
         * timeout}; a migration, and a check that waits for another instance's migration, are not bounded by it.
         *
         * @throws dev.handoff.api.ConfigurationException when the database is missing, read-only or refuses the
         *         login, or the schema is missing (validate), older (validate), newer or changed by hand
         * @throws dev.handoff.api.RetriableHandoffException when the database cannot be reached, or does not answer the
         *         check of a current schema within the answer timeout
         */
        public PostgresHandoffStores build() {
            if (detector == null) {
                detector = new CommitmentDetector();
            }
            PostgresSchema.Report report = PostgresSchema.atStart(dataSource, schema, mode, answerTimeout);
            if (!report.applied().isEmpty()) {
                LOG.info("Migrated schema {} of database {} from version {} to {}", schema, report.database(), report.fromVersion(),
                        report.toVersion());
            }
            return new PostgresHandoffStores(this, report);
        }

        private static String defaultInstanceId() {
            return "pid-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
