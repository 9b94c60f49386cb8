package dev.handoff.examples.sales;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.WhisperSummary;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.InMemoryCommitmentLedger;
import dev.handoff.core.routing.ReadinessRouter;
import dev.handoff.core.store.InMemoryContextStore;
import dev.handoff.core.trigger.RuleTriggerEvaluator;
import dev.handoff.core.trigger.TriggerPolicy;
import dev.handoff.desktop.Agent;
import dev.handoff.desktop.AgentDesktop;
import dev.handoff.examples.phone.AgentPhone;
import dev.handoff.examples.phone.DemoSettings;
import dev.handoff.examples.phone.ScriptedDeskAgent;
import dev.handoff.examples.phone.ScriptedPhone;
import dev.handoff.examples.phone.SipPhone;
import dev.handoff.examples.phone.VoiceTimeline;
import dev.handoff.sip.CallLeg;
import dev.handoff.sip.SipTransferExecutor;
import dev.handoff.sip.SipUserAgent;
import dev.handoff.sip.WhisperWindow;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The B2B sales handshake (seed 002), on loopback with real SIP: the AI sales agent qualifies a buyer, hints that
 * it <em>might</em> offer 15% off if she signs this quarter (a SOFT commitment in the ledger), then the buyer raises
 * a technical objection about API latency. Contextual-readiness routing ({@link ReadinessRouter.Builder#salesDefaults()})
 * sends the handoff to a solutions engineer, not the account executive. The solutions engineer gets the whisper
 * first (Goal / Obstacle / Sentiment, on the agent desktop) with the discount flagged for verification, presses
 * "I've read it", hears the whisper on a consult call, and the buyer's phone is bridged in with a warm transfer
 * (hold, consult INVITE, REFER with Replaces). In the first minute the engineer confirms the 15% on the desktop
 * (with {@code -Dhandoff.demo.keepOpen=true} that is left for you to do on the page).
 *
 * <p>Three kinds of JAIN-SIP stacks on 127.0.0.1, each on a free port: the AI ({@link SipUserAgent} with
 * {@link SipTransferExecutor}), the buyer ({@link ScriptedPhone}), the solutions engineer and the account executive
 * ({@link AgentPhone}); plus the agent desktop on {@code handoff.demo.desktopPort} (8080 by default). The spoken words
 * are simulated: the script records them on the {@link HandoffSession} while the SIP call is up.
 *
 * <p>Run: {@code ./mvnw -q -pl handoff-examples -am package exec:java -DskipTests
 * -Dexec.mainClass=dev.handoff.examples.sales.SalesHandshakeDemo}. Exits 0 when the buyer reached the solutions
 * engineer.
 */
public final class SalesHandshakeDemo {

    /** The solutions engineer's desktop token when {@code HANDOFF_DESK_TOKEN} is not set. A demo value only. */
    public static final String DEFAULT_DEMO_TOKEN = "demo-token-solutions-sam-01";

    /** The solutions engineer at the desktop. */
    public static final String SOLUTIONS_ENGINEER = "sam";

    /** How long the AI whispers to the engineer on the consult call before bridging the buyer in. */
    static final Duration WHISPER_WINDOW = Duration.ofMillis(300);

    private SalesHandshakeDemo() {
    }

    /**
     * What the demo produced, for tests.
     *
     * @param outcome             how the handoff ended
     * @param context             the context the solutions engineer's phone redeemed
     * @param engineerCalls       the INVITEs that reached the solutions engineer's phone (consult, then the buyer's)
     * @param executiveCalls      the INVITEs that reached the account executive's phone
     * @param commitmentsAfter    the session's commitments at the end, after the engineer's verdict
     * @param buyerHungUpOnByBot  whether the AI released the buyer's original call (BYE) after the bridge
     * @param finalPhase          the handoff's phase at the end
     * @param timeline            everything that happened
     */
    public record Result(HandoffOutcome outcome, HandoffContext context, List<AgentPhone.Call> engineerCalls,
                         List<AgentPhone.Call> executiveCalls, List<Commitment> commitmentsAfter, boolean buyerHungUpOnByBot,
                         HandoffPhase finalPhase, VoiceTimeline timeline) {

        /** The mode of the connected attempt. */
        public Optional<TransferMode> connectedMode() {
            return outcome.connected().map(TransferResult::mode);
        }
    }

    /** Exits 0 when the buyer reached the solutions engineer, 1 when not, 2 when the demo could not run. */
    public static void main(String[] args) {
        DemoSettings.quietLogsUnlessAsked();
        int status = 2;
        try {
            Result r = run(DemoSettings.fromSystem(DEFAULT_DEMO_TOKEN), System.out);
            status = r.outcome().status() == HandoffOutcome.Status.CONNECTED ? 0 : 1;
        } catch (dev.handoff.api.ConfigurationException e) {
            System.err.println("Cannot start the sales demo: " + e.getMessage());
            System.err.println("(Is the port taken? Choose another with -Dhandoff.demo.desktopPort=9090, or 0 for any free port.)");
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start the sales demo: " + e.getMessage());
        } catch (Exception e) {
            System.err.println("The sales demo failed: " + e);
            e.printStackTrace();
        } finally {
            // JAIN-SIP can leave a non-daemon thread behind after stop(): end the JVM explicitly
            System.exit(status);
        }
    }

    /** Plays the call and prints the timeline to {@code out}. */
    public static Result run(DemoSettings settings, PrintStream out) throws Exception {
        Objects.requireNonNull(settings, "settings");
        Clock clock = Clock.systemUTC();
        VoiceTimeline timeline = new VoiceTimeline(clock, "buyer");
        InMemoryContextStore store = new InMemoryContextStore();
        int engineerPort = SipPhone.freePort();
        int executivePort = SipPhone.freePort();
        Target engineer = Target.sip("solutions-engineer", "sip:se@127.0.0.1:" + engineerPort).withSkills("solutions-engineering");
        Target executive = Target.sip("account-executive", "sip:ae@127.0.0.1:" + executivePort).withSkills("account-executive");
        AtomicReference<Handoff> built = new AtomicReference<>();

        List<AutoCloseable> stacks = new ArrayList<>();
        SipUserAgent bot = SipUserAgent.builder().port(SipPhone.freePort()).userName("sales-ai").start();
        stacks.add(bot);
        // sam is the solutions engineer: he sees handoffs routed to that target (and to its skill)
        AgentDesktop desktop = settings.desktop(new Agent(SOLUTIONS_ENGINEER, "Sam (solutions engineer)", Agent.Role.AGENT,
                Agent.DEFAULT_TENANT, java.util.Set.of("solutions-engineer"), java.util.Set.of("solutions-engineering")));
        try (desktop;
             Handoff handoff = Handoff.builder()
                     .clock(clock)
                     .triggerEvaluator(new RuleTriggerEvaluator(TriggerPolicy.preset(TriggerPolicy.Preset.B2B_SALES)))
                     .router(ReadinessRouter.builder(executive).target(engineer).target(executive).salesDefaults().build())
                     .transferExecutor(SipTransferExecutor.builder(bot)
                             .holdDuringConsult(true)
                             .whisperWindow(spokenWhisper(built, timeline))
                             .build())
                     .voiceMode(TransferMode.WARM)
                     .transferTimeout(Duration.ofSeconds(10))
                     .contextStore(store)
                     .commitmentLedger(new InMemoryCommitmentLedger(clock))
                     .agentNotifier(desktop)
                     .listener(timeline)
                     .build()) {
            built.set(handoff);
            desktop.start(handoff);
            ScriptedDeskAgent sam = new ScriptedDeskAgent(desktop.baseUri(), SOLUTIONS_ENGINEER, settings.deskToken(), timeline);
            readOnNotification(handoff, sam);

            out.println("Relay, B2B sales: AI sales agent on " + bot.localUri() + ", solutions engineer on " + engineer.address()
                    + ", account executive on " + executive.address());
            out.println("Agent desktop (solutions engineer, agent \"" + SOLUTIONS_ENGINEER + "\"): " + desktop.signInUri()
                    + " (sign in with " + settings.signInHint(DEFAULT_DEMO_TOKEN) + ")");
            out.println();

            AgentPhone engineerPhone = AgentPhone.builder("se", engineerPort).agentId(SOLUTIONS_ENGINEER)
                    .redeemer(handoff::redeem).log(timeline).clock(clock).start();
            stacks.add(engineerPhone);
            AgentPhone executivePhone = AgentPhone.builder("ae", executivePort).agentId("alex")
                    .redeemer(handoff::redeem).log(timeline).clock(clock).start();
            stacks.add(executivePhone);
            ScriptedPhone buyer = ScriptedPhone.start("buyer", SipPhone.freePort(), timeline);
            stacks.add(buyer);

            CompletableFuture<CallLeg> answered = new CompletableFuture<>();
            bot.onIncomingCall(answered::complete);
            Instant origin = clock.instant();
            buyer.dial(bot.localUri(), Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            CallLeg leg = answered.get(10, TimeUnit.SECONDS);

            HandoffSession call = handoff.open(leg.sessionId(), Channel.VOICE,
                    CustomerData.of("acct-7731", Map.of("crm", "0015g00000XyZ1")).withField("company", "Northwind Logistics")
                            .withField("contact", "Priya Raman, VP Support"));
            call.ai("Hi Priya, thanks for making time. You're evaluating Relay for your 40-person support team, right?",
                    NluSignals.confidence(0.96));
            call.customer("Yes, we need to cut our first-response time before peak season. We have about $40k budgeted "
                            + "for this quarter and I make the call on it.",
                    NluSignals.intent("qualification", 0.92));
            call.ai("That fits the annual plan well. If you sign this quarter, I might be able to offer 15% off.",
                    NluSignals.confidence(0.9));
            HandoffDecision decision = call.customer("That helps. My real worry is API latency on your events API.",
                    NluSignals.intent("technical_question", 0.9));
            if (!decision.isHandoff()) {
                throw new IllegalStateException("the sales triggers did not fire on the latency objection: " + decision);
            }

            HandoffOutcome outcome = call.handOff(decision).toCompletableFuture().get(30, TimeUnit.SECONDS);
            HandoffPhase finalPhase = handoff.phase(call.id()).orElseThrow();
            List<Commitment> after = handoff.commitments().commitments(call.id());
            if (outcome.status() == HandoffOutcome.Status.CONNECTED) {
                buyer.botHungUp().toCompletableFuture().get(5, TimeUnit.SECONDS);
                // the first minute: the engineer verifies what the AI hinted, on the desktop (or, with keepOpen, you do)
                for (Commitment c : handoff.commitments().commitments(call.id())) {
                    if (c.status() == Commitment.Status.PENDING_VERIFICATION && !settings.keepOpen()) {
                        sam.verify(outcome.contextId(), c.id(), "CONFIRM", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
                    }
                }
                finalPhase = handoff.phase(call.id()).orElseThrow();
                after = handoff.commitments().commitments(call.id());
            }
            boolean hungUpOn = buyer.wasHungUpOnByBot();
            List<AgentPhone.Call> seCalls = engineerPhone.calls();
            HandoffContext seen = seCalls.stream().map(AgentPhone.Call::context).filter(Objects::nonNull).findFirst()
                    .or(() -> Optional.ofNullable(outcome.contextId()).flatMap(id -> handoff.contexts().get(id)))
                    .orElse(null);

            out.println();
            timeline.print(out, origin);
            out.println();
            timeline.printPhaseLatencies(out);
            out.println();
            printOutcome(out, outcome, seen, seCalls, after, hungUpOn, finalPhase);
            out.println();
            out.println("Agent desktop: " + desktop.signInUri()
                    + (settings.keepOpen() ? "" : "  (add -Dhandoff.demo.keepOpen=true to keep it open)"));
            if (settings.keepOpen()) {
                out.println("The 15% is still PENDING_VERIFICATION: open the page, then Confirm, Correct or Revoke it there.");
            }
            settings.holdOpen(out);
            if (buyer.botCallUp()) {
                buyer.hangUp();
            }
            return new Result(outcome, seen, seCalls, executivePhone.calls(), after, hungUpOn, finalPhase, timeline);
        } finally {
            SipPhone.closeAll(stacks);
        }
    }

    /** The AI "speaks" the whisper to the engineer on the consult call, then bridges the buyer in. */
    private static WhisperWindow spokenWhisper(AtomicReference<Handoff> handoff, VoiceTimeline timeline) {
        WhisperWindow pause = WhisperWindow.fixed(WHISPER_WINDOW);
        return (request, agentLeg) -> {
            Handoff h = handoff.get();
            Optional<HandoffContext> context = h == null ? Optional.empty() : h.contexts().get(request.contextId());
            context.ifPresent(c -> {
                WhisperSummary w = c.whisper();
                timeline.note("sip:sales-ai", "whispers to " + request.target().id() + " on the consult call: goal \"" + w.goal()
                        + "\"; obstacle \"" + w.obstacle() + "\"; sentiment \"" + w.sentiment() + "\"; "
                        + c.commitments().size() + " commitment(s) to verify; open with: \"" + w.suggestedOpening() + "\"");
            });
            return pause.open(request, agentLeg);
        };
    }

    /** The engineer opens the handoff on the desktop as soon as it is pushed and presses "I've read it". */
    private static void readOnNotification(Handoff handoff, ScriptedDeskAgent agent) {
        AtomicBoolean reading = new AtomicBoolean();
        handoff.addListener(event -> {
            if (event instanceof HandoffEvent.AgentNotified n && reading.compareAndSet(false, true)) {
                agent.open(n.contextId()).thenCompose((JsonNode view) -> agent.confirmRead(n.contextId()));
            }
        });
    }

    private static void printOutcome(PrintStream out, HandoffOutcome outcome, HandoffContext seen, List<AgentPhone.Call> seCalls,
                                     List<Commitment> after, boolean hungUpOn, HandoffPhase finalPhase) {
        out.println("Outcome: " + outcome.status() + outcome.connected().map(r -> " to " + r.target().id() + " by " + r.mode()
                + " transfer").orElse("") + " in " + outcome.elapsed().toMillis() + " ms; phase now " + finalPhase);
        for (TransferResult attempt : outcome.attempts()) {
            out.println("  attempt " + attempt.target().id() + ": " + attempt.outcome()
                    + (attempt.protocolCode() == null ? "" : " (SIP " + attempt.protocolCode() + ")")
                    + (attempt.connected() ? "" : " - " + attempt.detail()));
        }
        out.println("Buyer's phone: " + (hungUpOn ? "bridged to the solutions engineer; the AI released its leg (BYE)"
                : "still with the AI (no BYE): never dropped"));
        for (AgentPhone.Call c : seCalls) {
            out.println("Solutions engineer's phone: INVITE from " + c.from() + (c.replaces() != null ? " with Replaces" : " (consult)")
                    + ", ticket from " + c.ticketSource() + ", answered " + c.answer()
                    + (c.context() != null ? ", context redeemed before answering" : ""));
        }
        if (seen != null) {
            out.println("What the solutions engineer knew before saying hello (context " + seen.contextId() + "):");
            out.println("  whisper: goal \"" + seen.whisper().goal() + "\" / obstacle \"" + seen.whisper().obstacle()
                    + "\" / sentiment \"" + seen.whisper().sentiment() + "\"");
            out.println("  opening line: \"" + seen.whisper().suggestedOpening() + "\"");
            var bant = seen.semanticLedger().bant();
            out.println("  BANT: budget " + (bant.budget() == null ? "?" : bant.budget().text()) + "; authority "
                    + Objects.requireNonNullElse(bant.authority(), "?") + "; need " + Objects.requireNonNullElse(bant.need(), "?")
                    + "; timeline " + Objects.requireNonNullElse(bant.timeline(), "?"));
            out.println("  sentiment: " + seen.sentiment().label());
            for (Commitment c : seen.commitments()) {
                out.println("  AI commitment to verify: " + c.id() + " " + c.strength() + " " + c.kind() + " " + c.value() + " - "
                        + c.status() + " (\"" + c.text() + "\")");
            }
        }
        for (Commitment c : after) {
            out.println("Commitment " + c.id() + " after the first minute: " + c.status()
                    + (c.verifiedBy() == null ? "" : " by " + c.verifiedBy()));
        }
    }
}
