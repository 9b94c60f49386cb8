package dev.handoff.spring;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.HandoffException;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.DataRetention;
import dev.handoff.core.Handoff;
import dev.handoff.core.audit.Slf4jAuditSink;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.store.FileCommitmentLedger;
import dev.handoff.core.store.FileContextStore;
import dev.handoff.core.store.FileDataRetention;
import dev.handoff.core.store.Recovery;
import dev.handoff.postgres.PostgresHandoffStores;
import dev.handoff.postgres.PostgresSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * The stores behind the starter's {@link Handoff}: PostgreSQL ({@code handoff.store.type} auto or postgres, with
 * handoff-postgres and a {@code DataSource} bean), else journals in {@code handoff.store.file.directory} (auto or
 * file); {@code memory} sets up neither. Imported in this order by {@link HandoffAutoConfiguration}, so the file
 * stores see whether the PostgreSQL ones were created.
 */
final class HandoffStoreConfigurations {

    static final String POSTGRES_CLASS = "dev.handoff.postgres.PostgresHandoffStores";
    static final String PURGE_INTERVAL = "0s (off) or a duration from 1s to 24h, such as 10m";

    private HandoffStoreConfigurations() {
    }

    static boolean postgresPresent() {
        return ClassUtils.isPresent(POSTGRES_CLASS, HandoffStoreConfigurations.class.getClassLoader());
    }

    /** PostgreSQL through the application's DataSource. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = POSTGRES_CLASS)
    @ConditionalOnBean(DataSource.class)
    @ConditionalOnMissingBean(Handoff.class)
    @Conditional(AutoOrPostgres.class)
    static class Postgres {

        @Bean
        @ConditionalOnMissingBean
        PostgresHandoffStores handoffPostgresStores(DataSource dataSource, HandoffProperties properties, Environment environment) {
            HandoffStoreProperties.PostgresStore p = properties.getStore().getPostgres();
            PropertyMapping mapping = new PropertyMapping(properties, environment);
            PostgresHandoffStores.Builder b = PostgresHandoffStores.builder(dataSource);
            set(mapping, "handoff.store.postgres.tenant", p.getTenant(), b::tenant, "a tenant id such as acme");
            set(mapping, "handoff.store.postgres.schema", p.getSchema(), b::schema, "a PostgreSQL schema name such as handoff");
            set(mapping, "handoff.store.postgres.retention", p.getRetention(), b::retention, PropertyMapping.POSITIVE);
            set(mapping, "handoff.store.postgres.retention-purge-interval", p.getRetentionPurgeInterval(), b::retentionPurgeInterval,
                    PURGE_INTERVAL);
            set(mapping, "handoff.store.postgres.deadline-poll-interval", p.getDeadlinePollInterval(), b::deadlinePollInterval,
                    "a duration from 50ms to 1m, such as 1s");
            set(mapping, "handoff.store.postgres.answer-timeout", p.getAnswerTimeout(), b::answerTimeout,
                    "a duration from 1s to 10m, such as 10s");
            if (p.getInstanceId() != null) {
                set(mapping, "handoff.store.postgres.instance-id", p.getInstanceId(), b::instanceId,
                        "an instance name of letters, digits and . _ : - such as bot-2.internal:8080");
            }
            b.schemaMode(p.getSchemaMode() == HandoffStoreProperties.SchemaMode.VALIDATE ? PostgresSchema.Mode.VALIDATE : PostgresSchema.Mode.MIGRATE);
            return b.build();
        }

        @Bean
        HandoffStores.Source handoffPostgresSource(PostgresHandoffStores stores, DataSource dataSource) {
            return new HandoffStores.Source() {
                @Override
                public HandoffStoreProperties.StoreType type() {
                    return HandoffStoreProperties.StoreType.POSTGRES;
                }

                @Override
                public void applyTo(Handoff.Builder builder) {
                    stores.applyTo(builder);
                }

                @Override
                public Map<String, Object> check() {
                    PostgresSchema.Report report = PostgresSchema.validate(dataSource, stores.schema());
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("type", "postgres");
                    details.put("tenant", stores.tenant());
                    details.put("schema", report.schema());
                    details.put("schemaVersion", report.toVersion());
                    return details;
                }
            };
        }
    }

    /**
     * Journals in one private directory: {@code contexts.journal}, {@code commitments.journal} and
     * {@code customer-links.journal}, all kept for {@code handoff.store.file.retention}, with a
     * {@link FileDataRetention} that erases a customer from every one of them.
     */
    @Configuration(proxyBeanMethods = false)
    @Conditional(AutoOrFile.class)
    @ConditionalOnMissingBean(value = Handoff.class, type = POSTGRES_CLASS)
    static class FileStores {

        static final String CONTEXTS = "contexts.journal";
        static final String COMMITMENTS = "commitments.journal";
        static final String LINKS = "customer-links.journal";

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(ContextStore.class)
        FileContextStore handoffContextStore(HandoffProperties properties, Environment environment, ObjectProvider<AtRestKeys> keys) {
            PropertyMapping mapping = new PropertyMapping(properties, environment);
            Path dir = directory(properties);
            AtRestKeys atRest = keys.getIfAvailable(mapping::atRestKeys);
            java.time.Duration retention = retention(properties, mapping);
            return open(mapping, dir, () -> FileContextStore.open(dir.resolve(CONTEXTS), atRest, Clock.systemUTC(), retention));
        }

        private static java.time.Duration retention(HandoffProperties properties, PropertyMapping mapping) {
            java.time.Duration retention = properties.getStore().getFile().getRetention();
            if (retention == null || retention.isNegative() || retention.isZero()) {
                throw new HandoffPropertyException("handoff.store.file.retention",
                        retention == null ? "" : mapping.raw("handoff.store.file.retention", retention), PropertyMapping.POSITIVE);
            }
            return retention;
        }

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(CommitmentLedger.class)
        FileCommitmentLedger handoffCommitmentLedger(HandoffProperties properties, Environment environment,
                ObjectProvider<AtRestKeys> keys) {
            PropertyMapping mapping = new PropertyMapping(properties, environment);
            Path dir = directory(properties);
            AtRestKeys atRest = keys.getIfAvailable(mapping::atRestKeys);
            java.time.Duration retention = retention(properties, mapping);
            return open(mapping, dir, () -> FileCommitmentLedger.open(dir.resolve(COMMITMENTS), Clock.systemUTC(),
                    new dev.handoff.core.context.CommitmentDetector(), atRest, retention));
        }

        /** Erases a customer from the journals above that are in use (an application's own store is its own to erase). */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(DataRetention.class)
        FileDataRetention handoffDataRetention(HandoffProperties properties, Environment environment, ObjectProvider<AtRestKeys> keys,
                ObjectProvider<AuditSink> audit, ObjectProvider<FileContextStore> contexts, ObjectProvider<FileCommitmentLedger> ledger) {
            PropertyMapping mapping = new PropertyMapping(properties, environment);
            Path dir = directory(properties);
            AtRestKeys atRest = keys.getIfAvailable(mapping::atRestKeys);
            FileDataRetention.Builder b = FileDataRetention.builder(dir.resolve(LINKS), audit.getIfAvailable(Slf4jAuditSink::new))
                    .retention(retention(properties, mapping));
            if (atRest != null) {
                b.keys(atRest);
            }
            contexts.ifAvailable(c -> b.store("contexts", c));
            ledger.ifAvailable(l -> b.store("commitments", l));
            return open(mapping, dir, b::open);
        }

        @Bean
        HandoffStores.Source handoffFileSource(HandoffProperties properties, Environment environment, ObjectProvider<FileContextStore> contexts,
                ObjectProvider<FileCommitmentLedger> ledger, ObjectProvider<DataRetention> retention) {
            Path dir = directory(properties);
            java.time.Duration purgeEvery = properties.getStore().getFile().getRetentionPurgeInterval();
            set(new PropertyMapping(properties, environment), "handoff.store.file.retention-purge-interval", purgeEvery,
                    d -> dev.handoff.core.HandoffSettings.builder().retentionPurgeInterval(d), PURGE_INTERVAL);
            return new HandoffStores.Source() {
                @Override
                public HandoffStoreProperties.StoreType type() {
                    return HandoffStoreProperties.StoreType.FILE;
                }

                @Override
                public void applyTo(Handoff.Builder builder) {
                    // the journals are ContextStore and CommitmentLedger beans: the Handoff bean picks them up as such
                    retention.ifAvailable(builder::dataRetention);   // sessions of known customers are linked for erasure
                    builder.retentionPurgeInterval(purgeEvery);          // expired records leave the disk while idle too
                }

                @Override
                public Map<String, Object> check() {
                    if (!java.nio.file.Files.isDirectory(dir) || !java.nio.file.Files.isWritable(dir)) {
                        throw new IllegalStateException("the store directory " + dir.toAbsolutePath() + " is missing or not writable");
                    }
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("type", "file");
                    details.put("directory", dir.toAbsolutePath().toString());
                    FileContextStore c = contexts.getIfAvailable();
                    if (c != null) {
                        details.put("contexts", c.size());
                        recovery(details, "contextsRecovery", c.recovery());
                    }
                    FileCommitmentLedger l = ledger.getIfAvailable();
                    if (l != null) {
                        recovery(details, "commitmentsRecovery", l.recovery());
                    }
                    return details;
                }
            };
        }

        private static void recovery(Map<String, Object> details, String key, Recovery r) {
            details.put(key, r.clean() ? "clean" : "set aside for an operator: " + r.damaged() + " damaged, " + r.rejected()
                    + " rejected, " + r.tornBytes() + " torn bytes" + r.setAsideFile().map(f -> " in " + f).orElse(""));
        }

        private static Path directory(HandoffProperties properties) {
            Path dir = properties.getStore().getFile().getDirectory();
            if (dir == null) {
                throw new HandoffPropertyException("handoff.store.file.directory", "", "a directory for the journals, such as /var/lib/handoff");
            }
            return dir;
        }

        private static <T> T open(PropertyMapping mapping, Path dir, java.util.function.Supplier<T> opener) {
            try {
                return opener.get();
            } catch (ConfigurationException e) {
                throw new HandoffPropertyException("handoff.store.file.directory", mapping.raw("handoff.store.file.directory", dir),
                        "a directory only its owner can open (chmod 700), or one that can be created; " + e.getMessage(), e);
            } catch (HandoffException | java.io.UncheckedIOException e) {
                throw new HandoffPropertyException("handoff.store.file.directory", mapping.raw("handoff.store.file.directory", dir),
                        "a writable directory whose journals no other process has open; " + e.getMessage(), e);
            }
        }
    }

    /** {@code handoff.store.type} is one of a set (auto when unset). */
    abstract static class StoreTypeIn extends SpringBootCondition {

        private final Set<HandoffStoreProperties.StoreType> accepted;

        StoreTypeIn(HandoffStoreProperties.StoreType first, HandoffStoreProperties.StoreType... rest) {
            this.accepted = EnumSet.of(first, rest);
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            HandoffStoreProperties.StoreType type = Binder.get(context.getEnvironment())
                    .bind("handoff.store.type", HandoffStoreProperties.StoreType.class).orElse(HandoffStoreProperties.StoreType.AUTO);
            return accepted.contains(type)
                    ? ConditionOutcome.match("handoff.store.type is " + type)
                    : ConditionOutcome.noMatch("handoff.store.type is " + type + ", not one of " + accepted);
        }
    }

    static final class AutoOrPostgres extends StoreTypeIn {
        AutoOrPostgres() {
            super(HandoffStoreProperties.StoreType.AUTO, HandoffStoreProperties.StoreType.POSTGRES);
        }
    }

    static final class AutoOrFile extends StoreTypeIn {
        AutoOrFile() {
            super(HandoffStoreProperties.StoreType.AUTO, HandoffStoreProperties.StoreType.FILE);
        }
    }
    /** Gives {@code value} to {@code setter}; a refusal becomes an error naming the property, its text and what was expected. */
    static <T> void set(PropertyMapping mapping, String property, T value, Consumer<T> setter, String expected) {
        try {
            setter.accept(value);
        } catch (ConfigurationException | IllegalArgumentException | NullPointerException e) {
            throw new HandoffPropertyException(property, mapping.raw(property, value), expected, e);
        }
    }
}
