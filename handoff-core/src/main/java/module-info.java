/**
 * Handoff core: the default implementations of every SPI, the {@link dev.handoff.core.Handoff} entry point and
 * the context codec. Only the packages users configure are exported; {@code dev.handoff.core.internal} is not.
 */
module dev.handoff.core {
    requires transitive dev.handoff.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.hibernate.validator;
    requires org.slf4j;

    exports dev.handoff.core;
    exports dev.handoff.core.chat;
    exports dev.handoff.core.context;
    exports dev.handoff.core.json;
    exports dev.handoff.core.routing;
    exports dev.handoff.core.store;
    exports dev.handoff.core.trigger;

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
}
