/**
 * Handoff core: the default implementations of every SPI, the {@link dev.handoff.core.Handoff} entry point and
 * the context codec. Only the packages users configure are exported; {@code dev.handoff.core.internal} is not.
 */
module dev.handoff.core {
    requires transitive dev.handoff.api;
    // JSpecify @NullMarked / @Nullable: for compilers and null checkers only (see dev.handoff.api's module-info)
    requires static org.jspecify;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.hibernate.validator;
    requires org.jboss.logging;
    // Hibernate Validator is an automatic module: it cannot require what it loads at run time, so on the module path
    // nothing would resolve these two explicit modules (EL for messages, classmate for type resolution). We do.
    requires com.fasterxml.classmate;
    requires jakarta.el;
    requires org.slf4j;
    requires static micrometer.core;
    // optional: only dev.handoff.core.context.llm uses OkHttp; add com.squareup.okhttp3:okhttp to use it
    requires static okhttp3;

    exports dev.handoff.core;
    exports dev.handoff.core.chat;
    exports dev.handoff.core.context;
    exports dev.handoff.core.context.llm;
    exports dev.handoff.core.json;
    exports dev.handoff.core.audit;
    exports dev.handoff.core.metrics;
    exports dev.handoff.core.routing;
    exports dev.handoff.core.store;
    exports dev.handoff.core.trigger;
    // the one crash-safe journal: the CRM outbox (handoff-crm-adapters) uses it too, and its owner-only files
    // (SecureFiles) hold handoff-eval's feedback export; not API
    exports dev.handoff.core.internal.journal to dev.handoff.crm, dev.handoff.eval;
    // Checks: the builders' shared range checks; not API
    exports dev.handoff.core.internal to dev.handoff.crm, dev.handoff.postgres;

    // the durable ledger journals LedgerEntry records as JSON
    opens dev.handoff.core.context to com.fasterxml.jackson.databind;
    // the LLM observer reads the model's answer into package-private records and validates them
    opens dev.handoff.core.context.llm to com.fasterxml.jackson.databind, org.hibernate.validator;

    // Hibernate Validator's jboss-logging lines go to SLF4J, not java.util.logging
    provides org.jboss.logging.LoggerProvider with dev.handoff.core.internal.logging.JbossToSlf4jProvider;

    uses dev.handoff.api.spi.TriggerEvaluator;
    uses dev.handoff.api.spi.ContextPackager;
    uses dev.handoff.api.spi.CommitmentLedger;
    uses dev.handoff.api.spi.TransferExecutor;
    uses dev.handoff.api.spi.CrmAdapter;
    uses dev.handoff.api.spi.AgentNotifier;
    uses dev.handoff.api.spi.Summarizer;
    uses dev.handoff.api.spi.SentimentAnalyzer;
    uses dev.handoff.api.spi.Router;
    uses dev.handoff.api.spi.ContextStore;
    uses dev.handoff.api.spi.AuditSink;
    uses dev.handoff.api.spi.MetricsSink;
}
