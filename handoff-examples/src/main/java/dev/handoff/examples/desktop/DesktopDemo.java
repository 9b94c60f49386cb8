package dev.handoff.examples.desktop;

import dev.handoff.api.Route;
import dev.handoff.api.Target;
import dev.handoff.core.Handoff;
import dev.handoff.desktop.Agent;
import dev.handoff.desktop.AgentDesktop;
import dev.handoff.desktop.StaticTokenAuthenticator;
import dev.handoff.examples.phone.DemoSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The agent desktop and the supervisor wallboard in front of a real {@link Handoff} with sample traffic: scripted
 * customers chat with the AI; some ask for a person and are offered to the support or billing queue (billing has a
 * scripted colleague, support has you). Sign in as {@code ana} (support agent) to take chats and write to customers,
 * as {@code sue} (supervisor) for the wallboard.
 *
 * <pre>
 * ./mvnw -q -pl handoff-examples -am package exec:java -DskipTests -Dexec.mainClass=dev.handoff.examples.desktop.DesktopDemo
 * </pre>
 *
 * <p>The port comes from {@code -Dhandoff.demo.desktopPort} (default {@value DemoSettings#DEFAULT_DESKTOP_PORT}), a new
 * conversation starts every {@code -Dhandoff.demo.every} seconds (default 20). The tokens below are for this demo only.
 * Ctrl-C stops it.
 */
public final class DesktopDemo implements AutoCloseable {

    /** Ana's token (support agent), for this demo only. */
    public static final String ANA_TOKEN = "demo-ana-support-0001";
    /** Sue's token (supervisor), for this demo only. */
    public static final String SUE_TOKEN = "demo-sue-supervisor-0001";
    /** The scripted billing colleague's token (the robot never signs in; it works the queue through core). */
    static final String BEN_TOKEN = "demo-ben-billing-0001";

    static final Agent ANA = new Agent("ana", "Ana Lopez", Agent.Role.AGENT, Agent.DEFAULT_TENANT, Set.of("support"), Set.of());
    static final Agent BEN = new Agent("ben", "Ben Okafor", Agent.Role.AGENT, Agent.DEFAULT_TENANT, Set.of("billing"), Set.of());
    static final Agent SUE = Agent.supervisor("sue", "Sue Park");

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "desk-demo");
        t.setDaemon(true);
        return t;
    });
    private final AgentDesktop desk;
    private final Handoff handoff;
    private final SampleTraffic traffic;
    private final RobotAgent ben;

    /**
     * Starts the Handoff, the desktop and the scripted billing colleague; no conversation yet.
     *
     * @param port        the desktop's port (0 for a free one)
     * @param replyDelay  how long scripted people take to answer
     */
    public DesktopDemo(int port, Duration replyDelay) {
        desk = AgentDesktop.builder(StaticTokenAuthenticator.builder()
                        .agent(ANA, ANA_TOKEN).agent(BEN, BEN_TOKEN).agent(SUE, SUE_TOKEN).build())
                .port(port)
                .build();
        handoff = Handoff.builder()
                .agentNotifier(desk)
                .crmAdapter(new DemoCrm())
                .transferTimeout(Duration.ofSeconds(45))
                .maxWait(Duration.ofMinutes(2))
                // the customer's queue first; billing's colleague takes whatever support could not
                .router((context, decision) -> {
                    List<Target> targets = new ArrayList<>(List.of(Target.queue(context.customer().fields().getOrDefault("queue", "support"))));
                    if (!targets.get(0).id().equals("billing")) {
                        targets.add(Target.queue("billing"));
                    }
                    return new Route(targets, decision.priority(), "the customer's queue, then billing", false);
                })
                .build();
        desk.start(handoff);
        traffic = new SampleTraffic(handoff, timer, replyDelay);
        ben = new RobotAgent(handoff, "billing", "ben", timer, replyDelay);
    }

    public static void main(String[] args) throws InterruptedException {
        DemoSettings.quietLogsUnlessAsked();
        DemoSettings settings = DemoSettings.fromSystem(ANA_TOKEN);   // only its port is used: the demo has its own agents
        long every = Long.getLong("handoff.demo.every", 20);
        try (DesktopDemo demo = new DesktopDemo(settings.desktopPort(), Duration.ofSeconds(3))) {
            demo.printWelcome(System.out);
            demo.traffic().every(Duration.ofSeconds(every));
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "desk-demo-stop"));
            stop.await();
        }
    }

    void printWelcome(PrintStream out) {
        out.println();
        out.println("Agent desktop:  " + desk.signInUri());
        out.println("  as ana (support agent, takes chats):  " + ANA_TOKEN);
        out.println("  as sue (supervisor, sees the wallboard at " + desk.wallboardUri() + "):  " + SUE_TOKEN);
        out.println("These tokens are for this demo only. A new conversation starts every few seconds; Ctrl-C stops.");
        out.println();
    }

    public AgentDesktop desk() {
        return desk;
    }

    public Handoff handoff() {
        return handoff;
    }

    SampleTraffic traffic() {
        return traffic;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        traffic.close();
        ben.close();
        desk.close();
        handoff.close();
    }
}
