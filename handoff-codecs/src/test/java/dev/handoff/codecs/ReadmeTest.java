package dev.handoff.codecs;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.codecs.botframework.BotFrameworkCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;

/**
 * The module README's "Use" block (a region checked by handoff-examples' ReadmeSnippetsTest). Compiled, not run here:
 * it needs a live handoff and a Bot Framework channel; handoff-examples' {@code BotFrameworkBridge} makes the same
 * calls and {@code PlatformBridgesTest} runs it against a real {@code Handoff}.
 */
final class ReadmeTest {

    private ReadmeTest() {
    }

    static void botFramework(Handoff handoff, HandoffEvent.ContextPackaged packaged, String incomingActivityJson,
                             String statusActivityJson) {
        // tag::use[]
        DestinationPackager destinations = new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.DEFAULT);
        BotFrameworkCodec botFramework = BotFrameworkCodec.builder(destinations).build();

        // when Handoff has packaged the context (listen for HandoffEvent.ContextPackaged; redeem its ticket)
        HandoffContext context = handoff.redeem(packaged.ticket(), "botframework");
        PlatformPayload activity = botFramework.initiate(context, incomingActivityJson);
        send(activity.body());                                   // activity.form(): FULL, SUMMARY or TICKET_ONLY; activity.note()

        // the channel answers
        PlatformUpdate update = botFramework.parseStatus(statusActivityJson);
        handoff.agentActions(context.contextId()).ifPresent(update::applyTo);   // "completed" hands the conversation back
        // end::use[]
    }

    private static void send(String activityJson) {
        throw new AssertionError("compiled, not run");
    }
}
