package dev.handoff.examples.chat;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.SessionId;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.chat.AgentQueue;
import dev.handoff.core.chat.Offer;
import dev.handoff.core.json.ContextJson;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The quick-start demo: a scripted chat with a billing bot, the customer asks for a person, and an agent who
 * takes work from the in-process "support" queue gets it with the full context. Prints the timeline and the
 * context JSON. No outside services.
 *
 * <p>Run: {@code ./mvnw -q -pl handoff-examples -am package exec:java -DskipTests}
 */
public final class ChatDemo {

    /** The scripted conversation: speaker, text, intent (customer turns), confidence. */
    private static final String[][] SCRIPT = {
        {"customer", "Hi, can you help me with my March invoice?", "billing_question", "0.91"},
        {"ai", "Of course! What looks wrong on it?", "", "0.93"},
        {"customer", "There's a $49 charge on INV-2231 that I wasn't expecting.", "billing_question", "0.88"},
        {"ai", "That's the Pro plan renewal. I could offer a 10% credit on next month's bill if that helps.", "", "0.71"},
        {"customer", "No thanks. Honestly, let me talk to a person.", "agent_request", "0.97"},
    };

    private ChatDemo() {
    }

    public static void main(String[] args) throws Exception {
        Result r = run(System.out);
        System.exit(r.outcome().status() == HandoffOutcome.Status.CONNECTED ? 0 : 1);
    }

    /** What the demo produced, for tests. */
    public record Result(HandoffOutcome outcome, HandoffContext context, List<HandoffEvent> events) {
    }

    public static Result run(PrintStream out) throws Exception {
        List<HandoffEvent> events = new CopyOnWriteArrayList<>();
        ExecutorService agentDesk = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "agent-alice");
            t.setDaemon(true);
            return t;
        });
        try (Handoff handoff = Handoff.builder().listener(events::add).build()) {
            AgentQueue support = handoff.chatQueues().orElseThrow().queue("support");
            support.signIn("alice");
            Future<Optional<HandoffContext>> alice = agentDesk.submit(() -> {
                Optional<Offer> offer = support.take("alice", Duration.ofSeconds(30));
                if (offer.isEmpty()) {
                    return Optional.empty();
                }
                HandoffContext seen = handoff.redeem(offer.get().ticket(), "alice");
                offer.get().accept();
                return Optional.of(seen);
            });

            HandoffSession chat = handoff.open(SessionId.of("chat-demo-1"), Channel.CHAT,
                    CustomerData.of("cus-5521", Map.of("billing", "AC-20931")).withField("email", "dana@example.com"));
            Instant start = handoff.clock().instant();
            HandoffDecision decision = HandoffDecision.proceed();
            for (String[] line : SCRIPT) {
                out.println(line[0] + ": " + line[1]);
                decision = line[0].equals("customer")
                        ? chat.customer(line[1], NluSignals.intent(line[2], Double.parseDouble(line[3])))
                        : chat.ai(line[1], NluSignals.confidence(Double.parseDouble(line[3])));
                say(out, decision);
                if (decision.isHandoff()) {
                    break;
                }
            }
            out.println();
            out.println("Handing off: " + decision.reasons().get(0).detail());
            HandoffOutcome outcome = chat.handOff(decision).toCompletableFuture().get(30, TimeUnit.SECONDS);
            HandoffContext context = alice.get(30, TimeUnit.SECONDS).orElseThrow();

            out.println();
            out.println("Timeline (ms since the first turn):");
            for (HandoffEvent e : events) {
                out.printf("  +%4d ms  %s%n", Duration.between(start, e.at()).toMillis(), describe(e));
            }
            out.println();
            out.println("Per phase (ms):");
            HandoffEvent.PhaseChanged previous = null;
            for (HandoffEvent e : events) {
                if (e instanceof HandoffEvent.PhaseChanged p) {
                    if (previous != null) {
                        out.printf("  %-15s -> %-15s %5d ms%n", previous.phase(), p.phase(),
                                Duration.between(previous.at(), p.at()).toMillis());
                    }
                    previous = p;
                }
            }
            out.println();
            out.println("Outcome: " + outcome.status() + " to " + outcome.connected().map(c -> c.agentId()).orElse("nobody")
                    + " in " + outcome.elapsed().toMillis() + " ms");
            out.println();
            // what the agent reads first, before the whole document
            out.println("The agent reads first (whisper):");
            out.println("  goal:     " + context.whisper().goal());
            out.println("  obstacle: " + context.whisper().obstacle());
            out.println("  mood:     " + context.whisper().sentiment());
            out.println("  opening:  " + context.whisper().suggestedOpening());
            out.println();
            out.println("Context handed to the agent (" + HandoffContext.SCHEMA + "):");
            out.print(ContextJson.get().writePretty(context));
            return new Result(outcome, context, List.copyOf(events));
        } finally {
            agentDesk.shutdownNow();
        }
    }

    private static void say(PrintStream out, HandoffDecision d) {
        out.println("  -> trigger decision: " + d.action() + (d.reasons().isEmpty() ? "" : " " + d.reasons().get(0).ruleId()));
    }

    private static String describe(HandoffEvent e) {
        if (e instanceof HandoffEvent.TurnRecorded t) {
            return t.turn().speaker() + ": " + t.turn().text();
        }
        if (e instanceof HandoffEvent.HandoffRequested h) {
            return "handoff requested (" + h.decision().action() + ", " + h.decision().priority() + ")";
        }
        if (e instanceof HandoffEvent.ContextPackaged p) {
            return "context packaged and signed: " + p.contextId() + " (" + p.bytes() + " bytes)";
        }
        if (e instanceof HandoffEvent.RouteSelected r) {
            return "route: " + r.route().targets().stream().map(t -> t.id()).toList() + " - " + r.route().reason();
        }
        if (e instanceof HandoffEvent.PreflightChecked p) {
            return "preflight " + (p.result().ok() ? "ok" : "FAILED") + ": " + p.result().detail();
        }
        if (e instanceof HandoffEvent.AgentNotified a) {
            return "agent side notified for " + a.target().id();
        }
        if (e instanceof HandoffEvent.TransferStarted t) {
            return "transfer started: " + t.mode() + " to " + t.target().id();
        }
        if (e instanceof HandoffEvent.TransferProgress p) {
            return "progress: " + p.detail();
        }
        if (e instanceof HandoffEvent.TransferFailed f) {
            return "attempt failed: " + f.result().outcome() + " " + f.result().detail();
        }
        if (e instanceof HandoffEvent.HandoffCompleted c) {
            return "connected to " + c.result().agentId() + "; the bot stops speaking";
        }
        if (e instanceof HandoffEvent.ReturnedToBot r) {
            return "returned to bot: " + r.reason();
        }
        if (e instanceof HandoffEvent.CommitmentUpdated c) {
            return "commitment " + c.commitment().id() + " " + c.commitment().status();
        }
        if (e instanceof HandoffEvent.SessionEnded s) {
            return "session ended: " + s.reason();
        }
        if (e instanceof HandoffEvent.PhaseChanged p) {
            return "phase " + p.phase();
        }
        if (e instanceof HandoffEvent.BridgeMessage b) {
            return "bot keeps the customer engaged: \"" + b.text() + "\"";
        }
        if (e instanceof HandoffEvent.ContextRead r) {
            return "agent " + r.agentId() + " confirmed reading the context";
        }
        if (e instanceof HandoffEvent.CommitmentOverdue o) {
            return o.pending().size() + " commitment(s) not verified by " + o.deadline();
        }
        return e.toString();
    }
}
