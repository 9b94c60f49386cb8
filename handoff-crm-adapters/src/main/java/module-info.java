/**
 * Handoff CRM adapters: signed webhook, HubSpot, Salesforce and Zendesk over OkHttp, with OAuth2, retries,
 * a circuit breaker, field mapping and a durable outbox.
 */
module dev.handoff.crm {
    requires transitive dev.handoff.api;
    // the context codec and the crash-safe journal (qualified export dev.handoff.core.internal.journal)
    requires transitive dev.handoff.core;
    requires transitive okhttp3;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires org.slf4j;

    exports dev.handoff.crm.auth;
    exports dev.handoff.crm.mapping;
    exports dev.handoff.crm.outbox;
    exports dev.handoff.crm.transport;
    exports dev.handoff.crm.webhook;
    exports dev.handoff.crm.hubspot;
    exports dev.handoff.crm.salesforce;
    exports dev.handoff.crm.zendesk;
}
