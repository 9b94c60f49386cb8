/**
 * Handoff platform codecs: turn a {@code handoff.context/v1} document into exactly what Bot Framework, Twilio
 * (ConversationRelay, Flex), Dialogflow CX, Amazon Connect, Genesys Cloud and Chatwoot accept, within each
 * platform's size limits, and turn what those platforms send back into something the bot host can act on.
 * {@code dev.handoff.codecs.internal} is not exported.
 */
module dev.handoff.codecs {
    requires transitive dev.handoff.api;
    requires transitive dev.handoff.core;
    requires transitive com.fasterxml.jackson.databind;
    // optional: only dev.handoff.codecs.chatwoot.ChatwootAdapter uses the CRM transport (add handoff-crm-adapters)
    requires static dev.handoff.crm;
    requires static okhttp3;

    exports dev.handoff.codecs;
    exports dev.handoff.codecs.botframework;
    exports dev.handoff.codecs.twilio;
    exports dev.handoff.codecs.dialogflow;
    exports dev.handoff.codecs.connect;
    exports dev.handoff.codecs.genesys;
    exports dev.handoff.codecs.chatwoot;
}
