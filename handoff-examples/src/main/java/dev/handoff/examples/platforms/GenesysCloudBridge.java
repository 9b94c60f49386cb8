package dev.handoff.examples.platforms;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.genesys.GenesysCloudCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;
import java.util.function.BiConsumer;

/**
 * A bot in front of Genesys Cloud: on a handoff it sets participant data on the customer participant
 * ({@code PATCH /api/v2/conversations/{id}/participants/{participantId}/attributes}) before the transfer to an ACD
 * queue; the notification topics come back as updates.
 */
public final class GenesysCloudBridge {

    private final Handoff handoff;
    private final GenesysCloudCodec genesys;
    private final PackagedContexts contexts;
    private final BiConsumer<String, String> patchParticipant;

    /** @param patchParticipant sends a PATCH body to a conversation's customer participant (your Genesys client); must not block */
    public GenesysCloudBridge(Handoff handoff, BiConsumer<String, String> patchParticipant) {
        this.handoff = handoff;
        this.patchParticipant = patchParticipant;
        this.contexts = new PackagedContexts(handoff, GenesysCloudCodec.PLATFORM);
        this.genesys = GenesysCloudCodec.builder(new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.DEFAULT)).build();
    }

    /** A customer turn of Genesys conversation {@code conversationId}. */
    public HandoffDecision onCustomerTurn(String conversationId, String text) {
        SessionId id = SessionId.of(conversationId);
        HandoffSession session = handoff.session(id).orElseGet(() -> handoff.open(id, Channel.VOICE, CustomerData.UNKNOWN));
        HandoffDecision decision = session.customer(text);
        if (decision.isHandoff()) {
            contexts.next(id).thenAccept(context -> {
                patchParticipant.accept(conversationId, genesys.participantAttributes(context).body());
                contexts.done(id);
            });
            session.handOff(decision);
        }
        return decision;
    }

    /** A {@code v2.detail.events.conversation.{id}.*} notification. */
    public PlatformUpdate onConversationEvent(String notificationJson) {
        return genesys.parseConversationEvent(notificationJson);
    }
}
