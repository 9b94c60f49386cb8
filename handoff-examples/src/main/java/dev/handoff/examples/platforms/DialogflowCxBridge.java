package dev.handoff.examples.platforms;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.dialogflow.DialogflowCxCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Dialogflow CX webhook: every fulfillment is a customer turn; on a handoff the response carries
 * {@code liveAgentHandoff.metadata} and a {@code telephonyTransferCall} to the contact centre's SIP address with the
 * ticket in {@code x-handoff}.
 */
public final class DialogflowCxBridge {

    /** How long the webhook waits for the context (Dialogflow's webhook timeout is longer). */
    public static final Duration PACKAGING_WAIT = Duration.ofSeconds(3);

    private final Handoff handoff;
    private final DialogflowCxCodec dialogflow;
    private final PackagedContexts contexts;
    private final String agentsSipUri;

    public DialogflowCxBridge(Handoff handoff, String agentsSipUri) {
        this.handoff = handoff;
        this.agentsSipUri = agentsSipUri;
        this.contexts = new PackagedContexts(handoff, DialogflowCxCodec.PLATFORM);
        this.dialogflow = DialogflowCxCodec.builder(new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.DEFAULT)).build();
    }

    /** The webhook: a {@code WebhookRequest} in, a {@code WebhookResponse} out ({@code {}} when the bot carries on). */
    public String onWebhook(String webhookRequestJson) throws Exception {
        DialogflowCxCodec.WebhookCall call = dialogflow.parseWebhookRequest(webhookRequestJson);
        SessionId id = SessionId.of(call.sessionId());
        HandoffSession session = handoff.session(id).orElseGet(() -> handoff.open(id, Channel.VOICE, CustomerData.UNKNOWN));
        HandoffDecision decision = session.customer(call.text() == null ? "" : call.text());
        if (!decision.isHandoff() && !"handoff".equals(call.tag())) {
            return "{}";
        }
        var packaged = contexts.next(id);
        session.handOff(decision.isHandoff() ? decision : HandoffDecision.handoff(Priority.NORMAL,
                List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "dialogflow.escalation", "The Dialogflow flow escalated to a human")), null));
        HandoffContext context = packaged.get(PACKAGING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        contexts.done(id);
        return dialogflow.handoffResponse(context, "Connecting you to a specialist now.", agentsSipUri).body();
    }
}
