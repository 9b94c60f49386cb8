package dev.handoff.core;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.PackagingRequest;
import dev.handoff.api.spi.Summary;
import dev.handoff.core.context.ConversationSnapshot;
import dev.handoff.core.context.DefaultContextPackager;
import dev.handoff.core.json.ContextJson;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the built-in steps of a handoff once on a made-up conversation while {@link Handoff} is built, so the first
 * customer's handoff does not pay for class loading, regex compilation and the JSON and validator caches. Touches
 * only Handoff's own components (never a user's store, notifier, CRM or observer) and keeps nothing.
 */
final class Warmup {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    private Warmup() {
    }

    static void run(Components c) {
        ContextJson.get().warmUp();
        try {
            Instant t = Instant.EPOCH;
            ConversationSnapshot view = ConversationSnapshot.of(SessionId.of("warmup"), Channel.CHAT, t, List.of(
                    new Turn(0, Speaker.CUSTOMER, "My order 1234 arrived broken and I need a replacement by Friday.", t, null, false),
                    new Turn(1, Speaker.AI, "I'm sorry. I can offer a 10% discount or a replacement by Thursday.", t, null, false),
                    new Turn(2, Speaker.CUSTOMER, "I want to talk to a person please.", t, null, false)), null, CustomerData.UNKNOWN);
            HandoffDecision decision = HandoffDecision.handoff(Priority.NORMAL,
                    List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "warmup", "warm-up")), null);
            Summary summary = c.fallbackSummarizer().summarize(view, decision);
            if (c.packager() instanceof DefaultContextPackager packager) {
                HandoffContext signed = c.signer().sign(packager.pack(new PackagingRequest(view, decision, null, List.of(), summary, t)));
                c.signer().verify(signed);
                c.tickets().redeem(c.tickets().issue(signed.contextId()));
                c.bridgeScript().message(new BridgeScript.Moment(BridgeScript.Stage.STARTED, decision, signed, null, 0,
                        java.time.Duration.ofMinutes(1), 0));
            }
            Stages.within(new java.util.concurrent.CompletableFuture<String>(), java.time.Duration.ofDays(1), (d, task) -> () -> { },
                    () -> "").complete("warm");
        } catch (RuntimeException e) {
            LOG.debug("Warm-up skipped: {}", e.toString());   // only speed is at stake
        }
    }
}
