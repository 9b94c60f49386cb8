package dev.handoff.examples.desktop;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.SessionEndedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Customers chatting with the AI through a real {@link Handoff}: scripted conversations, some the AI finishes alone,
 * some that ask for a person (billing or support), one with a kill-switch word (a silent alarm). It is also the bot
 * host: an agent's message ({@link HandoffEvent.AgentMessage}) reaches the scripted customer, who answers on the
 * session a moment later; when the agent hands back, the AI says the script's line and the chat ends.
 */
final class SampleTraffic implements HandoffListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SampleTraffic.class);

    /** A scripted customer. */
    record Script(String name, String customerId, String queue, List<String[]> turns, List<String> replies) {
    }

    static final List<Script> SCRIPTS = List.of(
            new Script("Dana Whitfield", "cust-7781", "support", List.of(
                    new String[] {"CUSTOMER", "We need the compliance module for about 40 seats before our Q3 audit."},
                    new String[] {"AI", "The compliance module is $1,150 per seat per year, so about $46,000 for 40 seats."},
                    new String[] {"CUSTOMER", "That's well over what we budgeted. We have about $35,000."},
                    new String[] {"AI", "I might be able to get you 15% off the compliance module if you sign this quarter."},
                    new String[] {"AI", "I'll have an account executive call you back today before 5pm to confirm."},
                    new String[] {"CUSTOMER", "Look, can I just talk to a person about the price? This is going in circles."}),
                    List.of("Thanks. Can you really do 15%?", "OK, send me the order form then.")),
            new Script("Marco Rossi", "cust-2210", "billing", List.of(
                    new String[] {"CUSTOMER", "I was charged twice for my March invoice INV-2231."},
                    new String[] {"AI", "I'm sorry about that. I can see two payments of $89 on March 3rd."},
                    new String[] {"AI", "I've applied a $20 credit to your account for the trouble."},
                    new String[] {"CUSTOMER", "I want to talk to a human about the refund, please."}),
                    List.of("Yes, the card ending 4242.", "Great, thank you!")),
            new Script("Priya Natarajan", null, "support", List.of(
                    new String[] {"CUSTOMER", "What are your opening hours on Saturday?"},
                    new String[] {"AI", "We're open from 9 to 1 on Saturdays."},
                    new String[] {"CUSTOMER", "Perfect, thanks!"}),
                    List.of()),
            new Script("Tom Becker", "cust-4410", "support", List.of(
                    new String[] {"CUSTOMER", "Your update broke our integration and nobody answers."},
                    new String[] {"AI", "I'm sorry. Can you tell me which integration stopped working?"},
                    new String[] {"CUSTOMER", "The webhook one. This is unacceptable. My lawyer will hear about it."}),
                    List.of("It started after yesterday's release.", "Fine, I'll wait for the fix.")));

    private final Handoff handoff;
    private final ScheduledExecutorService timer;
    private final Duration replyDelay;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<SessionId, Script> scripts = new ConcurrentHashMap<>();
    private final Map<SessionId, AtomicInteger> replies = new ConcurrentHashMap<>();

    SampleTraffic(Handoff handoff, ScheduledExecutorService timer, Duration replyDelay) {
        this.handoff = handoff;
        this.timer = timer;
        this.replyDelay = replyDelay;
        handoff.addListener(this);
    }

    /** Starts one conversation every {@code every}, the first at once. */
    void every(Duration every) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                startNext();
            } catch (RuntimeException e) {
                LOG.warn("Sample conversation failed", e);
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Plays the next script up to its last customer turn; hands off when the triggers say so. */
    HandoffSession startNext() {
        int n = next.getAndIncrement();
        Script script = SCRIPTS.get(n % SCRIPTS.size());
        SessionId id = SessionId.of("chat-" + (1001 + n));
        HandoffSession chat = handoff.open(id, Channel.CHAT, new CustomerData(script.customerId(), Map.of(),
                Map.of("name", script.name(), "queue", script.queue()), List.of()));
        scripts.put(id, script);
        HandoffDecision last = HandoffDecision.proceed();
        for (String[] turn : script.turns()) {
            last = turn[0].equals("AI") ? chat.ai(turn[1], NluSignals.confidence(0.9)) : chat.customer(turn[1]);
        }
        if (last.isHandoff()) {
            chat.handOff(last);
        } else {
            schedule(() -> chat.end("resolved by the AI"), replyDelay);
        }
        return chat;
    }

    @Override
    public void onEvent(HandoffEvent event) {
        if (event instanceof HandoffEvent.AgentMessage m) {
            // the bot host delivers the agent's words to the customer, who answers a moment later
            Script script = scripts.get(m.sessionId());
            int i = replies.computeIfAbsent(m.sessionId(), s -> new AtomicInteger()).getAndIncrement();
            if (script != null && i < script.replies().size()) {
                String answer = script.replies().get(i);
                schedule(() -> handoff.session(m.sessionId()).ifPresent(s -> s.customer(answer)), replyDelay);
            }
        } else if (event instanceof HandoffEvent.ReturnedToBot r) {
            schedule(() -> handoff.session(r.sessionId()).ifPresent(s -> {
                s.ai(r.summaryForBot());
                s.end("the customer said goodbye");
            }), replyDelay);
        } else if (event instanceof HandoffEvent.SessionEnded e) {
            scripts.remove(e.sessionId());
            replies.remove(e.sessionId());
        }
    }

    private void schedule(Runnable task, Duration after) {
        try {
            timer.schedule(() -> {
                try {
                    task.run();
                } catch (SessionEndedException ignored) {
                    // the customer left meanwhile
                } catch (RuntimeException e) {
                    LOG.warn("Sample customer failed", e);
                }
            }, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Sample traffic stopped");
        }
    }

    @Override
    public void close() {
        handoff.removeListener(this);
    }
}
