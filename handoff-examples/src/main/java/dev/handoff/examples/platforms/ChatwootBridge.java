package dev.handoff.examples.platforms;

import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.chatwoot.ChatwootAdapter;
import dev.handoff.codecs.chatwoot.ChatwootCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.ContextSigner;
import dev.handoff.core.context.DestinationPackager;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.core.context.Tickets;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.transport.CrmHttpClient;
import java.time.Clock;

/**
 * A Chatwoot Agent Bot: Handoff pushes each handoff to Chatwoot through {@link ChatwootAdapter} (attributes, private
 * note, team, open), and the account webhook's {@code conversation_status_changed} comes back: {@code pending} hands
 * the conversation back to the bot.
 */
public final class ChatwootBridge {

    private final Handoff handoff;
    private final ChatwootCodec chatwoot;

    /**
     * @param keys       the signing keys, shared with Handoff so the adapter's tickets redeem there
     * @param http       {@code CrmHttpClient.builder("chatwoot").auth(CrmAuth.apiKey("api_access_token", token)).build()}
     * @param chatwootUrl your installation, {@code https://app.chatwoot.com}
     */
    public ChatwootBridge(SigningKeys keys, CrmHttpClient http, String chatwootUrl, long accountId) {
        Clock clock = Clock.systemUTC();
        this.chatwoot = ChatwootCodec.builder(new DestinationPackager(new ContextSigner(keys, clock),
                new Tickets(keys, clock, Tickets.DEFAULT_TTL), ComplianceProfile.DEFAULT)).build();
        ChatwootAdapter adapter = ChatwootAdapter.builder(http, chatwootUrl, accountId, chatwoot)
                .teamForRoute("billing", 4)
                .defaultTeam(1)
                .build();                                    // sessions are opened as "chatwoot-<conversation id>"
        this.handoff = Handoff.builder().signingKeys(keys).crmAdapter(adapter).build();
    }

    /** The Handoff the Agent Bot records its turns on. */
    public Handoff handoff() {
        return handoff;
    }

    /** The account webhook. */
    public PlatformUpdate onWebhook(String json) {
        PlatformUpdate update = chatwoot.parseWebhook(json);
        if (update.contextId() != null) {
            handoff.agentActions(update.contextId()).ifPresent(update::applyTo);
        }
        return update;
    }

    /** The transport most deployments use: an API access token of an agent or the Agent Bot. */
    public static CrmHttpClient http(String apiAccessToken) {
        return CrmHttpClient.builder("chatwoot").auth(CrmAuth.apiKey("api_access_token", apiAccessToken)).build();
    }
}
