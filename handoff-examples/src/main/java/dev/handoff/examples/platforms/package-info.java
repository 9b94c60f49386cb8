/**
 * The few lines an integrator writes to bridge Handoff to the platform a team already runs: one class per platform
 * (Bot Framework, Twilio ConversationRelay and Flex, Dialogflow CX, Amazon Connect, Genesys Cloud, Chatwoot), each
 * on the codecs of handoff-codecs. {@link dev.handoff.examples.platforms.PackagedContexts} turns the
 * {@code ContextPackaged} event into the verified context the codecs encode.
 */
package dev.handoff.examples.platforms;
