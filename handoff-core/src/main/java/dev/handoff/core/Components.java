package dev.handoff.core;

import dev.handoff.api.ConfigurationException;
import dev.handoff.api.TransferMode;
import dev.handoff.api.spi.AgentNotifier;
import dev.handoff.api.spi.AuditSink;
import dev.handoff.api.spi.CommitmentLedger;
import dev.handoff.api.spi.ContextPackager;
import dev.handoff.api.spi.ContextStore;
import dev.handoff.api.spi.CrmAdapter;
import dev.handoff.api.spi.MetricsSink;
import dev.handoff.api.spi.Router;
import dev.handoff.api.spi.SentimentAnalyzer;
import dev.handoff.api.spi.Summarizer;
import dev.handoff.api.spi.TransferExecutor;
import dev.handoff.api.spi.TriggerEvaluator;
import dev.handoff.core.audit.Slf4jAuditSink;
import dev.handoff.core.chat.ChatQueues;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.DeterministicSummarizer;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.context.LexiconSentimentAnalyzer;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.Tickets;
import dev.handoff.core.internal.LoggingAgentNotifier;
import dev.handoff.core.internal.Providers;
import dev.handoff.core.metrics.InMemoryMetricsSink;
import dev.handoff.core.routing.DefaultRouter;
import dev.handoff.core.store.InMemoryContextStore;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SPI implementations of one {@link Handoff}, resolved once when it is built: the instance set on the builder;
 * else the single provider {@link java.util.ServiceLoader} finds (two or more fail, naming both); else the core
 * default.
 *
 * @param crm        nullable: no CRM lookup or push without one
 * @param chatQueues nullable: the {@link TransferMode#QUEUE} executor when it is a {@link ChatQueues} (the in-memory
 *                   default, or a shared implementation set on the builder)
 * @param retention  nullable: links sessions to customers for erasure when the store keeps such links
 * @param propagator the builder's, never discovered ({@link dev.handoff.api.spi.HandoffPropagator#NONE} by default)
 */
record Components(
        TriggerEvaluator triggerEvaluator,
        ContextPackager packager,
        CommitmentLedger ledger,
        Map<TransferMode, TransferExecutor> executors,
        CrmAdapter crm,
        AgentNotifier notifier,
        Summarizer summarizer,
        Summarizer fallbackSummarizer,
        SentimentAnalyzer sentimentAnalyzer,
        Router router,
        ContextStore store,
        AuditSink auditSink,
        MetricsSink metricsSink,
        ContextSigner signer,
        Tickets tickets,
        DestinationPackager destinations,
        BridgeScript bridgeScript,
        ChatQueues chatQueues,
        dev.handoff.api.spi.DataRetention retention,
        dev.handoff.api.spi.HandoffPropagator propagator) {

    Components {
        executors = Collections.unmodifiableMap(new EnumMap<>(executors));
    }

    static Components resolve(Handoff.Builder b, Clock clock, Scheduler scheduler) {
        ClassLoader loader = b.classLoader != null ? b.classLoader : Handoff.class.getClassLoader();
        boolean sl = b.serviceLoader;
        SentimentAnalyzer sentiment = pick(b.sentimentAnalyzer, SentimentAnalyzer.class, loader, sl, LexiconSentimentAnalyzer::new);
        Summarizer fallback = new DeterministicSummarizer(sentiment);
        Map<TransferMode, TransferExecutor> executors = executors(b.transferExecutors, loader, sl);
        if (!executors.containsKey(TransferMode.QUEUE)) {
            executors.put(TransferMode.QUEUE, ChatQueues.inMemory(clock, scheduler));
        }
        ChatQueues queues = executors.get(TransferMode.QUEUE) instanceof ChatQueues q ? q : null;
        SigningKeys keys = b.signingKeys != null ? b.signingKeys : SigningKeys.ephemeral();
        ContextSigner signer = new ContextSigner(keys, clock, b.contextTtl);
        Tickets tickets = new Tickets(keys, clock, b.ticketTtl, b.ticketScope);
        return new Components(
                pick(b.triggerEvaluator, TriggerEvaluator.class, loader, sl, RuleTriggerEvaluator::new),
                pick(b.packager, ContextPackager.class, loader, sl, () -> new DefaultContextPackager(sentiment)),
                pick(b.commitmentLedger, CommitmentLedger.class, loader, sl,
                        () -> new InMemoryCommitmentLedger(clock, b.contextTtl.plus(InMemoryContextStore.AFTER_EXPIRY))),
                executors,
                b.crmAdapter != null ? b.crmAdapter : sl ? Providers.single(CrmAdapter.class, loader).orElse(null) : null,
                pick(b.notifier, AgentNotifier.class, loader, sl, LoggingAgentNotifier::new),
                pick(b.summarizer, Summarizer.class, loader, sl, () -> fallback),
                fallback,
                sentiment,
                pick(b.router, Router.class, loader, sl, DefaultRouter::new),
                pick(b.contextStore, ContextStore.class, loader, sl,
                        () -> new InMemoryContextStore(b.contextTtl.plus(InMemoryContextStore.AFTER_EXPIRY), clock)),
                pick(b.auditSink, AuditSink.class, loader, sl, Slf4jAuditSink::new),
                pick(b.metricsSink, MetricsSink.class, loader, sl, InMemoryMetricsSink::new),
                signer,
                tickets,
                new DestinationPackager(signer, tickets, b.complianceProfile),
                b.bridgeScript,
                queues,
                b.dataRetention,
                b.propagator);
    }

    Optional<TransferExecutor> executor(TransferMode mode) {
        return Optional.ofNullable(executors.get(mode));
    }

    /** Names of the implementations in use, for logs and diagnostics. */
    Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("TriggerEvaluator", triggerEvaluator.getClass().getName());
        m.put("ContextPackager", packager.getClass().getName());
        m.put("CommitmentLedger", ledger.getClass().getName());
        executors.forEach((mode, e) -> m.put("TransferExecutor[" + mode + "]", e.getClass().getName()));
        m.put("CrmAdapter", crm == null ? "none" : crm.getClass().getName());
        m.put("AgentNotifier", notifier.getClass().getName());
        m.put("Summarizer", summarizer.getClass().getName());
        m.put("SentimentAnalyzer", sentimentAnalyzer.getClass().getName());
        m.put("Router", router.getClass().getName());
        m.put("ContextStore", store.getClass().getName());
        m.put("AuditSink", auditSink.getClass().getName());
        m.put("MetricsSink", metricsSink.getClass().getName());
        m.put("HandoffPropagator", propagator == dev.handoff.api.spi.HandoffPropagator.NONE ? "none" : propagator.getClass().getName());
        return m;
    }

    private static Map<TransferMode, TransferExecutor> executors(List<TransferExecutor> set, ClassLoader loader, boolean sl) {
        Map<TransferMode, TransferExecutor> ex = new EnumMap<>(TransferMode.class);
        List<TransferExecutor> configured = new ArrayList<>(set);
        if (configured.isEmpty() && sl) {
            Providers.single(TransferExecutor.class, loader).ifPresent(configured::add);
        }
        for (TransferExecutor e : configured) {
            for (TransferMode m : e.modes()) {
                TransferExecutor previous = ex.putIfAbsent(m, e);
                if (previous != null && previous != e) {
                    throw new ConfigurationException("Two transfer executors handle " + m + ": " + previous.getClass().getName()
                            + " and " + e.getClass().getName() + "; configure one per mode");
                }
            }
        }
        return ex;
    }

    private static <T> T pick(T explicit, Class<T> spi, ClassLoader loader, boolean useServiceLoader, Supplier<? extends T> fallback) {
        if (explicit != null) {
            return explicit;
        }
        if (useServiceLoader) {
            Optional<T> found = Providers.single(spi, loader);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return fallback.get();
    }
}
