package dev.handoff.examples.platforms;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.codecs.PlatformUpdate;
import dev.handoff.codecs.connect.AmazonConnectCodec;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.ComplianceProfile;
import dev.handoff.core.context.DestinationPackager;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An Amazon Connect flow's Lambda (or Lex fulfillment) calling Handoff: each invocation is a customer turn; on a
 * handoff it returns the contact attributes the flow sets before Transfer to queue. Contact events from EventBridge
 * come back as updates.
 */
public final class AmazonConnectBridge {

    /** How long the Lambda waits for the context (Connect waits up to 8 s for a Lambda). */
    public static final Duration PACKAGING_WAIT = Duration.ofSeconds(3);

    private final Handoff handoff;
    private final AmazonConnectCodec connect;
    private final PackagedContexts contexts;

    public AmazonConnectBridge(Handoff handoff) {
        this.handoff = handoff;
        this.contexts = new PackagedContexts(handoff, AmazonConnectCodec.PLATFORM);
        this.connect = AmazonConnectCodec.builder(new DestinationPackager(handoff.signer(), handoff.tickets(), ComplianceProfile.PCI))
                .maxTotalBytes(24_000)                       // leave room for the attributes the flow already sets
                .build();
    }

    /** The Lambda: the flow's contact id and the customer's words in; the attributes to set out (empty: carry on). */
    public Map<String, String> handleRequest(String contactId, String customerText) throws Exception {
        SessionId id = SessionId.of(contactId);
        HandoffSession contact = handoff.session(id).orElseGet(() -> handoff.open(id, Channel.VOICE, CustomerData.UNKNOWN));
        HandoffDecision decision = contact.customer(customerText);
        if (!decision.isHandoff()) {
            return Map.of();
        }
        var packaged = contexts.next(id);
        contact.handOff(decision);
        HandoffContext context = packaged.get(PACKAGING_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        contexts.done(id);
        return connect.contactAttributes(context).attributes();
    }

    /** An EventBridge "Amazon Connect Contact Event". */
    public PlatformUpdate onContactEvent(String eventJson) {
        return connect.parseContactEvent(eventJson);
    }
}
