package dev.handoff.examples.platforms;

import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context of each session's handoff, as soon as Handoff has packaged, signed and stored it: a listener on
 * {@code ContextPackaged} redeems the event's ticket ({@code Handoff.redeem}, which verifies the signature and
 * writes an audit record) and completes the session's future. A platform bridge encodes that context.
 *
 * <p>The future completes on a Handoff worker thread; do not block in what you chain to it.
 */
public final class PackagedContexts {

    private final Map<SessionId, CompletableFuture<HandoffContext>> pending = new ConcurrentHashMap<>();

    /** @param actor who redeems, in the audit record ({@code "botframework"}) */
    public PackagedContexts(Handoff handoff, String actor) {
        handoff.addListener(event -> {
            if (event instanceof HandoffEvent.ContextPackaged packaged) {
                CompletableFuture<HandoffContext> f = future(packaged.sessionId());
                try {
                    f.complete(handoff.redeem(packaged.ticket(), actor));
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }
        });
    }

    /** The context of the session's next (or just finished) packaging; take it before or after calling handOff. */
    public CompletableFuture<HandoffContext> next(SessionId session) {
        return future(session);
    }

    /** Forgets a session's context once it has been sent. */
    public void done(SessionId session) {
        pending.remove(session);
    }

    private CompletableFuture<HandoffContext> future(SessionId session) {
        return pending.computeIfAbsent(session, s -> new CompletableFuture<>());
    }
}
