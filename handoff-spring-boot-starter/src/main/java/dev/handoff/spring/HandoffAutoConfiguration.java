package dev.handoff.spring;

import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.api.spi.Router;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.BridgeScript;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffExecutors;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.TicketScope;
import dev.handoff.core.metrics.MicrometerMetricsSink;
import dev.handoff.core.store.AtRestKeys;
import dev.handoff.core.trigger.PolicySelection;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Creates a {@link Handoff} from the {@code handoff.*} properties ({@link HandoffProperties}) and the application's
 * beans. Each SPI is taken from the application's bean of that type when there is one ({@code @Primary} settles two),
 * else from the properties, else from core's resolution ({@code ServiceLoader}, then the default); every
 * {@link TransferExecutor} and {@link HandoffListener} bean is added, and {@link HandoffBuilderCustomizer}s run last.
 *
 * <p>Stores: PostgreSQL when handoff-postgres and a {@code DataSource} bean are present, else journals under
 * {@code handoff.store.file.directory} ({@link HandoffStoreConfigurations}). Metrics go to the application's
 * Micrometer {@code MeterRegistry} when there is one. The Handoff closes when the context stops, before the web
 * server: running handoffs return to the bot with their {@code SHUT_DOWN} line ({@link HandoffLifecycle}).
 * Switched off by {@code handoff.enabled=false} or by a {@code Handoff} bean of the application's own.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(Handoff.class)
@ConditionalOnProperty(prefix = "handoff", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(HandoffProperties.class)
@Import({HandoffStoreConfigurations.Postgres.class, HandoffStoreConfigurations.FileStores.class, HandoffAutoConfiguration.Metrics.class})
public class HandoffAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffAutoConfiguration.class);

    /**
     * The Handoff. Built on the thread that starts the context; closed by {@link HandoffLifecycle} (and again,
     * harmlessly, when the bean is destroyed).
     *
     * @throws HandoffPropertyException when a {@code handoff.*} property cannot be used
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Handoff handoff(HandoffProperties properties, Environment environment, HandoffStores stores,
            ObjectProvider<SigningKeys> signingKeys, ObjectProvider<TriggerEvaluator> triggerEvaluator,
            ObjectProvider<PolicySelection> policySelection, ObjectProvider<ContextPackager> packager,
            ObjectProvider<CommitmentLedger> ledger, ObjectProvider<TransferExecutor> transferExecutors,
            ObjectProvider<CrmAdapter> crm, ObjectProvider<AgentNotifier> notifier, ObjectProvider<Summarizer> summarizer,
            ObjectProvider<SentimentAnalyzer> sentiment, ObjectProvider<Router> router, ObjectProvider<ContextStore> store,
            ObjectProvider<AuditSink> audit, ObjectProvider<MetricsSink> metrics, ObjectProvider<HandoffListener> listeners,
            ObjectProvider<HandoffExecutors> executors, ObjectProvider<BridgeScript> bridgeScript,
            ObjectProvider<ComplianceProfile> complianceProfile, ObjectProvider<TicketScope> ticketScope,
            ObjectProvider<HandoffPropagator> propagator, ObjectProvider<HandoffBuilderCustomizer> customizers,
            ObjectProvider<AtRestKeys> atRestKeys) {
        PropertyMapping mapping = new PropertyMapping(properties, environment);
        Handoff.Builder b = Handoff.builder().settings(mapping.settings());
        mapping.applyBuilderValues(b);
        b.signingKeys(signingKeys.getIfAvailable(mapping::signingKeys));

        // stores first, so an application's own ContextStore/CommitmentLedger/AuditSink bean below replaces one of them
        stores.applyTo(b, properties.getStore().getType());

        TriggerEvaluator evaluator = triggerEvaluator.getIfAvailable();
        PolicySelection selection = policySelection.getIfAvailable();
        TriggerPolicy policy = mapping.policy();
        if (policy != null && (evaluator != null || selection != null)) {
            String which = properties.getPolicy().getFile() != null ? "handoff.policy.file" : "handoff.policy.preset";
            throw new HandoffPropertyException(which, mapping.raw(which, policy.name()), "unset: the application's "
                    + (evaluator != null ? "TriggerEvaluator" : "PolicySelection") + " bean decides when to hand off");
        }
        SentimentAnalyzer analyzer = sentiment.getIfAvailable();
        if (evaluator != null) {
            b.triggerEvaluator(evaluator);
        } else if (selection != null || policy != null) {
            PolicySelection s = selection != null ? selection : PolicySelection.of(policy);
            b.triggerEvaluator(analyzer != null ? new RuleTriggerEvaluator(s, analyzer) : new RuleTriggerEvaluator(s));
        }
        if (analyzer != null) {
            b.sentimentAnalyzer(analyzer);
        }
        ifPresent(packager, b::contextPackager);
        ifPresent(ledger, b::commitmentLedger);
        transferExecutors.orderedStream().forEach(b::transferExecutor);
        ifPresent(crm, b::crmAdapter);
        ifPresent(notifier, b::agentNotifier);
        ifPresent(summarizer, b::summarizer);
        ifPresent(router, b::router);
        ifPresent(store, b::contextStore);
        ifPresent(audit, b::auditSink);
        if (properties.getAuditSpool() != null) {
            AtRestKeys sealing = atRestKeys.getIfAvailable(mapping::atRestKeys);
            if (sealing == null) {
                b.auditSpool(properties.getAuditSpool());
            } else {
                b.auditSpool(properties.getAuditSpool(), sealing);
            }
        }
        ifPresent(metrics, b::metricsSink);
        listeners.orderedStream().forEach(b::listener);
        ifPresent(executors, b::executors);
        ifPresent(bridgeScript, b::bridgeScript);
        ifPresent(complianceProfile, b::complianceProfile);
        ifPresent(ticketScope, b::ticketScope);
        ifPresent(propagator, b::propagator);   // handoff-opentelemetry's, say: trace context onto SIP and CRM calls
        customizers.orderedStream().forEach(c -> c.customize(b));

        Handoff handoff = b.build();
        LOG.info("Handoff started: {}", handoff.wiring());
        return handoff;
    }

    /** Closes the Handoff when the context stops, before the web server does. */
    @Bean
    public HandoffLifecycle handoffLifecycle(Handoff handoff) {
        return new HandoffLifecycle(handoff);
    }

    /** What backs the Handoff's state: the store beans of {@link HandoffStoreConfigurations}, if any. */
    @Bean
    @ConditionalOnMissingBean
    public HandoffStores handoffStores(ObjectProvider<HandoffStores.Source> sources) {
        return new HandoffStores(sources.orderedStream().toList());
    }

    private static <T> void ifPresent(ObjectProvider<T> provider, Consumer<T> setter) {
        T bean = provider.getIfAvailable();
        if (bean != null) {
            setter.accept(bean);
        }
    }

    /** Handoff's metrics into the application's Micrometer registry (Actuator creates one). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, MicrometerMetricsSink.class})
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean(MetricsSink.class)
        MicrometerMetricsSink handoffMetricsSink(MeterRegistry registry) {
            return new MicrometerMetricsSink(registry);
        }
    }
}
