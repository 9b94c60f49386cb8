package dev.handoff.examples.dental;

import dev.handoff.api.Channel;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.NluSignals;
import dev.handoff.api.Target;
import dev.handoff.api.TransferMode;
import dev.handoff.api.TransferResult;
import dev.handoff.api.context.HandoffContext;
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
 * The dental receptionist (voice), on loopback with real SIP: a caller phones the practice's AI receptionist,
 * wants a cleaning, gives her date of birth and says she is in a lot of pain. "Pain" is an urgent trigger of the
 * dental preset (seed 000, step 2), so the AI hands off at once: the context is packaged, routed to the front desk,
 * pushed to the agent desktop (whisper first), and the call is moved with a cold SIP transfer (REFER). The front
 * desk's phone redeems the ticket it finds on the INVITE and has the whole conversation before it answers.
 *
 * <p>Three JAIN-SIP stacks on 127.0.0.1, each on a free port: the bot ({@link SipUserAgent} with
 * {@link SipTransferExecutor}), the caller ({@link ScriptedPhone}) and the front desk ({@link AgentPhone}); plus the
 * agent desktop on {@code handoff.demo.desktopPort} (8080 by default). The spoken words are simulated: the script
 * records them on the {@link HandoffSession} while the SIP call is up.
 *
 * <p>Run: {@code ./mvnw -q -pl handoff-examples -am package exec:java -DskipTests
 * -Dexec.mainClass=dev.handoff.examples.dental.DentalReceptionistDemo}. Add
 * {@code -Dhandoff.demo.scenario=all-busy} to see the front desk busy and the on-call line unreachable: the caller
 * stays with the AI, which resumes. Exits 0 when the outcome is the expected one.
 */
public final class DentalReceptionistDemo {

    /** The desk agent's token when {@code HANDOFF_DESK_TOKEN} is not set. A demo value: never use it elsewhere. */
    public static final String DEFAULT_DEMO_TOKEN = "demo-token-frontdesk-maria-01";

    /** Who sits at the front desk. */
    public static final String FRONT_DESK_AGENT = "maria";

    private DentalReceptionistDemo() {
    }

    /** Which story to play. */
    public enum Scenario {
        /** The front desk answers. */
        NORMAL,
        /** The front desk is busy (486) and the on-call dentist's line is unreachable: the AI keeps the caller. */
        ALL_BUSY;

        /** Reads {@code handoff.demo.scenario} ({@code normal} or {@code all-busy}). */
        static Scenario fromSystem() {
            String value = System.getProperty("handoff.demo.scenario", "normal").trim();
            return switch (value) {
                case "normal" -> NORMAL;
                case "all-busy" -> ALL_BUSY;
                default -> throw new IllegalArgumentException("handoff.demo.scenario must be normal or all-busy, was \"" + value + "\"");
            };
        }
    }

    /**
     * What the demo produced, for tests.
     *
     * @param outcome          how the handoff ended
     * @param context          the context the front desk's phone redeemed (or, when nobody answered, the stored one)
     * @param frontDeskCalls   the INVITEs that reached the front desk's phone
     * @param callerHungUpOnByBot whether the bot sent BYE on the caller's original call
     * @param callerWithBot    whether the caller's call with the bot was still up at the end
     * @param resumedWith      what the AI said when it resumed (empty when connected)
     * @param timeline         everything that happened
     */
    public record Result(HandoffOutcome outcome, HandoffContext context, List<AgentPhone.Call> frontDeskCalls,
                         boolean callerHungUpOnByBot, boolean callerWithBot, String resumedWith, VoiceTimeline timeline) {

        /** The mode of the connected attempt. */
        public Optional<TransferMode> connectedMode() {
            return outcome.connected().map(TransferResult::mode);
        }
    }

    /** Exits 0 when the scenario ended as expected, 1 when not, 2 when the demo could not run. */
    public static void main(String[] args) {
        DemoSettings.quietLogsUnlessAsked();
        int status = 2;
        try {
            DemoSettings settings = DemoSettings.fromSystem(DEFAULT_DEMO_TOKEN);
            Scenario scenario = Scenario.fromSystem();
            Result r = run(settings, scenario, System.out);
            boolean expected = scenario == Scenario.NORMAL
                    ? r.outcome().status() == HandoffOutcome.Status.CONNECTED
                    : r.outcome().status() == HandoffOutcome.Status.RETURNED_TO_BOT && r.callerWithBot();
            status = expected ? 0 : 1;
        } catch (dev.handoff.api.ConfigurationException e) {
            System.err.println("Cannot start the dental demo: " + e.getMessage());
            System.err.println("(Is the port taken? Choose another with -Dhandoff.demo.desktopPort=9090, or 0 for any free port.)");
        } catch (IllegalArgumentException e) {
            System.err.println("Cannot start the dental demo: " + e.getMessage());
        } catch (Exception e) {
            System.err.println("The dental demo failed: " + e);
            e.printStackTrace();
        } finally {
            // JAIN-SIP can leave a non-daemon thread behind after stop(): end the JVM explicitly
            System.exit(status);
        }
    }

    /** Plays the scenario and prints the timeline to {@code out}. */
    public static Result run(DemoSettings settings, Scenario scenario, PrintStream out) throws Exception {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(scenario, "scenario");
        Clock clock = Clock.systemUTC();
        VoiceTimeline timeline = new VoiceTimeline(clock, "caller");
        InMemoryContextStore store = new InMemoryContextStore();
        int frontDeskPort = SipPhone.freePort();
        int onCallPort = SipPhone.freePort();
        Target frontDesk = Target.sip("front-desk", "sip:frontdesk@127.0.0.1:" + frontDeskPort).withSkills("clinical-staff");
        Target onCall = Target.sip("on-call-dentist", "sip:oncall@127.0.0.1:" + onCallPort);

        List<AutoCloseable> stacks = new ArrayList<>();
        // the availability probe (OPTIONS) gives up after 1.5 s instead of 2 s: an unreachable line costs the caller less
        SipUserAgent bot = SipUserAgent.builder().port(SipPhone.freePort()).userName("receptionist")
                .optionsTimeout(Duration.ofMillis(1500)).start();
        stacks.add(bot);
        // maria works the front desk's line: she sees handoffs routed to it (target id front-desk, skill clinical-staff)
        AgentDesktop desktop = settings.desktop(new Agent(FRONT_DESK_AGENT, "Maria (front desk)", Agent.Role.AGENT,
                Agent.DEFAULT_TENANT, java.util.Set.of("front-desk"), java.util.Set.of("clinical-staff")));
        try (desktop;
             Handoff handoff = Handoff.builder()
                     .clock(clock)
                     .triggerEvaluator(new RuleTriggerEvaluator(TriggerPolicy.preset(TriggerPolicy.Preset.DENTAL_PRACTICE)))
                     .router(ReadinessRouter.builder(frontDesk).target(frontDesk).skillForHint("clinical-staff", "clinical-staff")
                             .fallback(onCall).build())
                     .transferExecutor(SipTransferExecutor.builder(bot).build())
                     .voiceMode(TransferMode.COLD)
                     .transferTimeout(Duration.ofSeconds(10))
                     .contextStore(store)
                     .commitmentLedger(new InMemoryCommitmentLedger(clock))
                     .agentNotifier(desktop)
                     .listener(timeline)
                     .build()) {
            desktop.start(handoff);
            ScriptedDeskAgent maria = new ScriptedDeskAgent(desktop.baseUri(), FRONT_DESK_AGENT, settings.deskToken(), timeline);
            readOnNotification(handoff, maria);

            out.println("Bright Smile Dental: AI receptionist on " + bot.localUri() + ", front desk on " + frontDesk.address()
                    + ", on-call dentist on " + onCall.address());
            out.println("Agent desktop (front desk, agent \"" + FRONT_DESK_AGENT + "\"): " + desktop.signInUri() + " (sign in with "
                    + settings.signInHint(DEFAULT_DEMO_TOKEN) + ")");
            out.println();

            AgentPhone frontDeskPhone = AgentPhone.builder("frontdesk", frontDeskPort).agentId(FRONT_DESK_AGENT)
                    .answerWith(scenario == Scenario.ALL_BUSY ? 486 : 200).redeemer(handoff::redeem).log(timeline).clock(clock).start();
            stacks.add(frontDeskPhone);
            // in the all-busy story nobody listens on the on-call port: the bot's availability probe gets no answer
            if (scenario == Scenario.NORMAL) {
                stacks.add(AgentPhone.builder("oncall", onCallPort).agentId("dr-okafor").redeemer(handoff::redeem).log(timeline)
                        .clock(clock).start());
            }
            ScriptedPhone caller = ScriptedPhone.start("caller", SipPhone.freePort(), timeline);
            stacks.add(caller);
            CompletableFuture<CallLeg> answered = new CompletableFuture<>();
            bot.onIncomingCall(answered::complete);
            Instant origin = clock.instant();
            caller.dial(bot.localUri(), Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            CallLeg leg = answered.get(10, TimeUnit.SECONDS);

            HandoffSession call = handoff.open(leg.sessionId(), Channel.VOICE, CustomerData.UNKNOWN
                    .withField("callerId", "+1 555 0100 (caller id)"));
            call.ai("Thank you for calling Bright Smile Dental, this is Ava. How can I help you today?", NluSignals.confidence(0.97));
            call.customer("Hi, I need to book a cleaning.", NluSignals.intent("book_cleaning", 0.94));
            call.ai("Happy to help with that. Can I have your name and date of birth?", NluSignals.confidence(0.95));
            HandoffDecision decision = call.customer("Dana Whitfield, March 4th 1988, and honestly I'm in a lot of pain.",
                    NluSignals.intent("provide_identity", 0.91).withSentiment(-0.6));
            call.updateCustomer(call.customer().withField("name", "Dana Whitfield").withField("dateOfBirth", "1988-03-04"));
            if (!decision.isHandoff()) {
                throw new IllegalStateException("the dental triggers did not fire on \"pain\": " + decision);
            }

            HandoffOutcome outcome = call.handOff(decision).toCompletableFuture().get(30, TimeUnit.SECONDS);
            String resumedWith = "";
            if (outcome.status() == HandoffOutcome.Status.CONNECTED) {
                caller.botHungUp().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } else {
                resumedWith = outcome.summaryForBot();
                call.ai(resumedWith + " Let me book you the first emergency slot and have the front desk call you right back.",
                        NluSignals.confidence(0.9));
            }
            boolean hungUpOn = caller.wasHungUpOnByBot();
            boolean withBot = caller.botCallUp();
            List<AgentPhone.Call> deskCalls = frontDeskPhone.calls();
            HandoffContext seen = deskCalls.stream().map(AgentPhone.Call::context).filter(Objects::nonNull).findFirst()
                    .or(() -> Optional.ofNullable(outcome.contextId()).flatMap(id -> handoff.contexts().get(id)))
                    .orElse(null);

            out.println();
            timeline.print(out, origin);
            out.println();
            timeline.printPhaseLatencies(out);
            out.println();
            printOutcome(out, outcome, seen, deskCalls, hungUpOn, withBot);
            out.println();
            out.println("Agent desktop: " + desktop.signInUri()
                    + (settings.keepOpen() ? "" : "  (add -Dhandoff.demo.keepOpen=true to keep it open)"));
            settings.holdOpen(out);
            if (withBot) {
                caller.hangUp(); // the demo is over; the caller was never dropped
            }
            return new Result(outcome, seen, deskCalls, hungUpOn, withBot, resumedWith, timeline);
        } finally {
            SipPhone.closeAll(stacks);
        }
    }

    /** The front desk reads the handoff on the desktop as soon as it is pushed, which ends the whisper lead early. */
    private static void readOnNotification(Handoff handoff, ScriptedDeskAgent agent) {
        AtomicBoolean reading = new AtomicBoolean();
        handoff.addListener(event -> {
            if (event instanceof HandoffEvent.AgentNotified n && reading.compareAndSet(false, true)) {
                agent.open(n.contextId()).thenCompose(view -> agent.confirmRead(n.contextId()));
            }
        });
    }

    private static void printOutcome(PrintStream out, HandoffOutcome outcome, HandoffContext seen, List<AgentPhone.Call> deskCalls,
                                     boolean hungUpOn, boolean withBot) {
        out.println("Outcome: " + outcome.status() + outcome.connected().map(r -> " to " + r.target().id() + " by " + r.mode()
                + " transfer").orElse("") + " in " + outcome.elapsed().toMillis() + " ms");
        for (TransferResult attempt : outcome.attempts()) {
            out.println("  attempt " + attempt.target().id() + ": " + attempt.outcome()
                    + (attempt.protocolCode() == null ? "" : " (SIP " + attempt.protocolCode() + ")")
                    + (attempt.connected() ? "" : " - " + attempt.detail()));
        }
        out.println("Caller's phone: " + (hungUpOn ? "the bot released its leg (BYE) after the front desk answered"
                : withBot ? "still on the line with the AI (no BYE from the bot): never dropped" : "call ended"));
        for (AgentPhone.Call c : deskCalls) {
            out.println("Front desk phone: INVITE from " + c.from() + ", ticket from " + c.ticketSource() + ", answered " + c.answer()
                    + (c.context() != null ? ", context redeemed before answering" : ""));
        }
        if (seen != null) {
            out.println((hungUpOn ? "What the front desk knew before answering" : "What is saved for the call-back, so nobody asks again")
                    + " (context " + seen.contextId() + "):");
            out.println("  priority " + seen.metadata().priority() + "; why: "
                    + seen.metadata().triggerReasons().stream().map(r -> r.detail()).toList());
            out.println("  caller: " + seen.customer().fields());
            out.println("  last words: \"" + seen.lastTurn().text() + "\"");
            out.println("  whisper: goal \"" + seen.whisper().goal() + "\" / obstacle \"" + seen.whisper().obstacle()
                    + "\" / sentiment \"" + seen.whisper().sentiment() + "\"");
        }
    }
}
