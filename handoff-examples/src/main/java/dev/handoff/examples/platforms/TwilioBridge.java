package dev.handoff.examples.platforms;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformPayload;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.twilio.TwilioCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A ConversationRelay voice bot: each {@code prompt} message is a customer turn; on a handoff the bot sends the
 * {@code end} message, Twilio calls the {@code <Connect action>} URL with {@code HandoffData}, and the answer enqueues
 * the call to Flex with the task attributes. TaskRouter's event callbacks come back as updates.
 */
public final class TwilioBridge {

    private final Handoff handoff;
    private final TwilioCodec twilio;
    private final PackagedContexts contexts;
    private final String workflowSid;

    public TwilioBridge(Handoff handoff, String workflowSid) {
        this.handoff = handoff;
        this.workflowSid = workflowSid;
        this.contexts = new PackagedContexts(handoff, TwilioCodec.RELAY);
        this.twilio = TwilioCodec.builder(new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.PCI)).build();
    }

    /** A {@code prompt} message on the relay WebSocket; {@code socket} sends a message back on it (must not block). */
    public HandoffDecision onPrompt(String callSid, String voicePrompt, Consumer<String> socket) {
        SessionId id = SessionId.of(callSid);
        HandoffSession call = handoff.session(id).orElseGet(() -> handoff.open(id, Channel.VOICE, CustomerData.UNKNOWN));
        HandoffDecision decision = call.customer(voicePrompt);
        if (decision.isHandoff()) {
            contexts.next(id).thenAccept(context -> {
                socket.accept(twilio.endMessage(context, decision.reasons().get(0).detail()).body());
                contexts.done(id);
            });
            call.handOff(decision);
        }
        return decision;
    }

    /** The {@code <Connect action>} callback: TwiML that enqueues the call to Flex with the task attributes. */
    public String onRelayAction(Map<String, String> form) {
        TwilioCodec.RelayHandoff relay = twilio.parseRelayAction(form);
        HandoffContext context = handoff.redeem(relay.ticket(), TwilioCodec.FLEX);
        PlatformPayload attributes = twilio.taskAttributes(context);
        return TwilioCodec.enqueueTwiml(attributes, workflowSid);
    }

    /** The workspace's {@code EventCallbackUrl}. */
    public PlatformUpdate onTaskEvent(Map<String, String> form) {
        return twilio.parseTaskEvent(form);
    }
}
