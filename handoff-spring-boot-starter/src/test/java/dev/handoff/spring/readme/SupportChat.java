package dev.handoff.spring.readme;

// tag::support-chat[]
import dev.handoff.api.Channel;
import dev.handoff.api.HandoffDecision;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.springframework.stereotype.Service;

@Service
public class SupportChat {

    private final Handoff handoff;   // the starter's bean, configured from handoff.*

    public SupportChat(Handoff handoff) {
        this.handoff = handoff;
    }

    /** A new chat conversation; the bot records each turn through it. */
    public HandoffSession open() {
        return handoff.open(Channel.CHAT);
    }

    /** Records the customer's turn; when a human should take over, starts the handoff (it never blocks). */
    public Optional<CompletionStage<HandoffOutcome>> onCustomerMessage(HandoffSession session, String text) {
        HandoffDecision decision = session.customer(text);
        return decision.isHandoff() ? Optional.of(session.handOff(decision)) : Optional.empty();
    }
}
// end::support-chat[]
