package dev.handoff.examples.desktop;

import dev.handoff.api.Speaker;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the agent desktop on {@code http://127.0.0.1:8080/} with one agent ({@code ana}), pushes a sample B2B sales
 * handoff and keeps streaming the AI's bridge turns, so a person can watch the page update live, press "I've read it"
 * and verify the AI's commitments.
 *
 * <p>Run: {@code ./mvnw -q -pl handoff-examples -am compile exec:java
 * -Dexec.mainClass=dev.handoff.examples.desktop.DesktopDemo}, then open the printed URL. The port comes from the
 * system property {@code desk.port} (default 8080), the token from the environment variable
 * {@code HANDOFF_DESK_TOKEN} (default {@value #DEFAULT_DEMO_TOKEN}, for this demo only). Stop with Ctrl-C.
 */
public final class DesktopDemo {

    /** The demo agent's token when {@code HANDOFF_DESK_TOKEN} is not set. Never use it outside this demo. */
    public static final String DEFAULT_DEMO_TOKEN = "demo-token-ana-0001";

    private DesktopDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.getInteger("desk.port", AgentDesktop.DEFAULT_PORT);
        String token = System.getenv().getOrDefault("HANDOFF_DESK_TOKEN", DEFAULT_DEMO_TOKEN);
        AgentDesktop desk = AgentDesktop.builder()
                .agent("ana", token)
                .port(port)
                .build()
                .start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            desk.close();
            stop.countDown();
        }, "desk-demo-stop"));

        Clock clock = Clock.systemUTC();
        HandoffContext context = SampleHandoff.context(clock.instant().minus(Duration.ofMinutes(3)));
        desk.notify(SampleHandoff.notification(context, new SampleAgentActions(context, clock)));
        desk.awaitRead(context.contextId()).thenAccept(r ->
                System.out.println("Agent " + r.agentId() + " confirmed reading " + r.contextId() + " at " + r.readAt()));

        System.out.println();
        System.out.println("Agent desktop: " + desk.pageUri("ana"));
        System.out.println("(agent \"ana\"; the token is a credential: set HANDOFF_DESK_TOKEN to use your own.) Ctrl-C stops.");
        System.out.println();

        // the AI keeps the customer engaged with bridge content while the human gets ready
        String[] bridge = {
            "While I connect you, here's where we are: 40 seats of the compliance module, and your budget is about $35,000.",
            "I've flagged that you need a firm price today; an account executive is reading our conversation now.",
            "Thanks for your patience, Dana. You'll be connected in a moment.",
        };
        int index = context.transcript().size();
        for (String line : bridge) {
            if (stop.await(6, java.util.concurrent.TimeUnit.SECONDS)) {
                return;
            }
            Instant at = clock.instant();
            String half = line.substring(0, line.length() / 2);
            desk.appendTurn(context.sessionId(), new Turn(index, Speaker.AI, half, at, null, true));
            if (stop.await(1500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
            desk.appendTurn(context.sessionId(), new Turn(index, Speaker.AI, line, at, null, false));
            index++;
        }
        stop.await();
    }
}
