package dev.handoff.examples.platforms;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.botframework.BotFrameworkCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A Bot Framework bot's {@code onTurn} calling Handoff and sending the {@code handoff.initiate} activity; the
 * channel's {@code handoff.status} goes back through {@link PlatformUpdate#applyTo}.
 */
public final class BotFrameworkBridge {

    private final Handoff handoff;
    private final BotFrameworkCodec botFramework;
    private final PackagedContexts contexts;
    private final Consumer<String> channel;
    private final Map<String, String> contextIds = new ConcurrentHashMap<>();

    /** @param channel sends an activity to the conversation (your Bot Connector / Direct Line client); must not block */
    public BotFrameworkBridge(Handoff handoff, Consumer<String> channel) {
        this.handoff = handoff;
        this.channel = channel;
        this.contexts = new PackagedContexts(handoff, BotFrameworkCodec.PLATFORM);
        this.botFramework = BotFrameworkCodec.builder(new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.DEFAULT)).build();
    }

    /** {@code onTurn} for a message activity: record it; on a handoff, send {@code handoff.initiate} with the context. */
    public HandoffDecision onTurn(String conversationId, String text, String activityJson) {
        SessionId id = SessionId.of(conversationId);
        HandoffSession session = handoff.session(id).orElseGet(() -> handoff.open(id, Channel.CHAT, CustomerData.UNKNOWN));
        HandoffDecision decision = session.customer(text);
        if (decision.isHandoff()) {
            contexts.next(id).thenAccept(context -> {
                contextIds.put(conversationId, context.contextId());
                channel.accept(botFramework.initiate(context, activityJson).body());
                contexts.done(id);
            });
            session.handOff(decision);
        }
        return decision;
    }

    /** An event activity named {@code handoff.status}: {@code completed} hands the conversation back to the bot. */
    public PlatformUpdate onHandoffStatus(String activityJson) {
        PlatformUpdate update = botFramework.parseStatus(activityJson);
        String contextId = contextIds.get(update.conversationRef());
        if (contextId != null) {
            handoff.agentActions(contextId).ifPresent(update::applyTo);
        }
        return update;
    }
}
