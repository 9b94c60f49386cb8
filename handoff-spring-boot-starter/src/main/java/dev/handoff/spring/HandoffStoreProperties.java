package dev.handoff.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code handoff.store.*}: where contexts and commitments are kept (part of {@link HandoffProperties}; its own class
 * to keep each small). {@link HandoffStoreConfigurations} creates the stores from it.
 */
public class HandoffStoreProperties {

    /**
     * auto: PostgreSQL when handoff-postgres and a DataSource bean are present, else files; file; postgres; or
     * memory (nothing survives a restart).
     */
    private StoreType type = StoreType.AUTO;

    /** The file stores (contexts.journal, commitments.journal). */
    private final FileStore file = new FileStore();

    /** The PostgreSQL stores (handoff-postgres). */
    private final PostgresStore postgres = new PostgresStore();

    public StoreType getType() {
        return type;
    }

    public void setType(StoreType type) {
        this.type = type;
    }

    public FileStore getFile() {
        return file;
    }

    public PostgresStore getPostgres() {
        return postgres;
    }

    /** Which stores back the Handoff. */
    public enum StoreType {
        /** PostgreSQL when handoff-postgres and a DataSource bean are present, else files. */
        AUTO,
        /** Journals under handoff.store.file.directory. */
        FILE,
        /** PostgreSQL through the application's DataSource (handoff-postgres). */
        POSTGRES,
        /** In memory: nothing survives a restart. */
        MEMORY
    }

    /** The file stores. */
    public static class FileStore {

        /**
         * The directory of the journals, created 0700 when missing (a directory group or others can open is refused).
         */
        private Path directory = Path.of("handoff-data");

        /**
         * The at-rest key that seals new records (AES-256-GCM); must be one of encryption-keys. Optional when there is
         * exactly one key.
         */
        private String encryptionCurrent;

        /** Key id to base64 AES-256 key (32 bytes); empty: records are not encrypted. An AtRestKeys bean replaces this. */
        private Map<String, String> encryptionKeys = new LinkedHashMap<>();

        /**
         * How long contexts.journal keeps a context (with its transcript) after it was created; older ones are no
         * longer read and are removed from the file (the same default as handoff.store.postgres.retention).
         */
        private Duration retention = Duration.ofDays(30);

        /**
         * How often the file stores drop what retention no longer covers, even while no handoff writes to them (0s
         * turns it off; the same default as handoff.store.postgres.retention-purge-interval).
         */
        private Duration retentionPurgeInterval = Duration.ofMinutes(10);

        public Duration getRetentionPurgeInterval() {
            return retentionPurgeInterval;
        }

        public void setRetentionPurgeInterval(Duration retentionPurgeInterval) {
            this.retentionPurgeInterval = retentionPurgeInterval;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public String getEncryptionCurrent() {
            return encryptionCurrent;
        }

        public void setEncryptionCurrent(String encryptionCurrent) {
            this.encryptionCurrent = encryptionCurrent;
        }

        public Map<String, String> getEncryptionKeys() {
            return encryptionKeys;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public void setEncryptionKeys(Map<String, String> encryptionKeys) {
            this.encryptionKeys = encryptionKeys;
        }

        @Override
        public String toString() {
            return "FileStore[directory=" + directory + ", encryptionIds=" + encryptionKeys.keySet() + ", retention=" + retention
                    + ", retentionPurgeInterval=" + retentionPurgeInterval + "]";
        }
    }

    /** What the PostgreSQL stores do with the schema at startup (PostgresSchema.Mode, without needing handoff-postgres). */
    public enum SchemaMode {
        /** Create or upgrade the schema. */
        MIGRATE,
        /** Only check that it is at the version this build needs. */
        VALIDATE
    }

    /** The PostgreSQL stores. */
    public static class PostgresStore {

        /** Every row is written for this tenant and every read is limited to it (PostgresHandoffStores.DEFAULT_TENANT). */
        private String tenant = "default";

        /** The schema the tables live in (PostgresSchema.DEFAULT_SCHEMA). */
        private String schema = "handoff";

        /** migrate creates or upgrades the schema at startup; validate only checks it (for roles without DDL rights). */
        private SchemaMode schemaMode = SchemaMode.MIGRATE;

        /** How long contexts, commitments and tickets live after they were last written (PostgresHandoffStores.DEFAULT_RETENTION). */
        private Duration retention = Duration.ofDays(30);

        /** How often each instance purges expired rows; 0 turns the purge off (PostgresHandoffStores.DEFAULT_RETENTION_PURGE_INTERVAL). */
        private Duration retentionPurgeInterval = Duration.ofMinutes(10);

        /**
         * How often each instance polls for due commitment verification deadlines (an overdue event comes at most this
         * late); 50ms to 1m (PostgresCommitmentDeadlines.DEFAULT_POLL_INTERVAL).
         */
        private Duration deadlinePollInterval = Duration.ofSeconds(1);

        /**
         * How long a store call waits for any one answer of the database before it fails and the handoff returns to
         * the bot (cause UNAVAILABLE) instead of waiting on a server that stopped answering; 1s to 10m
         * (PostgresHandoffStores.DEFAULT_ANSWER_TIMEOUT).
         */
        private Duration answerTimeout = Duration.ofSeconds(10);

        /**
         * This instance's name in the handoffs, offers and agents it owns: name it after its address (such as
         * bot-2.internal:8080) so a reconnecting customer can be sent to it (PostgresHandoffOwnership.placement).
         * Default: the process id and a random suffix.
         */
        private String instanceId;

        public String getTenant() {
            return tenant;
        }

        public void setTenant(String tenant) {
            this.tenant = tenant;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public SchemaMode getSchemaMode() {
            return schemaMode;
        }

        public void setSchemaMode(SchemaMode schemaMode) {
            this.schemaMode = schemaMode;
        }

        public Duration getRetention() {
            return retention;
        }

        public Duration getRetentionPurgeInterval() {
            return retentionPurgeInterval;
        }

        public void setRetentionPurgeInterval(Duration retentionPurgeInterval) {
            this.retentionPurgeInterval = retentionPurgeInterval;
        }

        public Duration getDeadlinePollInterval() {
            return deadlinePollInterval;
        }

        public void setDeadlinePollInterval(Duration deadlinePollInterval) {
            this.deadlinePollInterval = deadlinePollInterval;
        }

        public Duration getAnswerTimeout() {
            return answerTimeout;
        }

        public void setAnswerTimeout(Duration answerTimeout) {
            this.answerTimeout = answerTimeout;
        }

        public String getInstanceId() {
            return instanceId;
        }

        public void setInstanceId(String instanceId) {
            this.instanceId = instanceId;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }
    }
}
