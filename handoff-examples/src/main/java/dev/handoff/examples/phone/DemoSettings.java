package dev.handoff.examples.phone;

import dev.handoff.desktop.Agent;
import dev.handoff.desktop.AgentDesktop;
import dev.handoff.desktop.StaticTokenAuthenticator;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * The knobs every voice demo shares, read from system properties so that one {@code exec:java} command runs it:
 *
 * <ul>
 *   <li>{@code -Dhandoff.demo.desktopPort=8470}: where the agent desktop listens on 127.0.0.1
 *   ({@value #DEFAULT_DESKTOP_PORT} by default; 0 picks a free port);</li>
 *   <li>{@code -Dhandoff.demo.keepOpen=true}: keep the desktop running after the call so a person can open the page
 *   (default false: the command finishes);</li>
 *   <li>environment variable {@code HANDOFF_DESK_TOKEN}: the desk agent's token (at least 16 characters; default a
 *   fixed demo token that must never be used outside the demo).</li>
 * </ul>
 *
 * @param desktopPort 0 to 65535
 * @param keepOpen    whether {@link #holdOpen} blocks until Ctrl-C
 * @param deskToken   the desk agent's token
 */
public record DemoSettings(int desktopPort, boolean keepOpen, String deskToken) {

    /** The desktop's port unless {@code handoff.demo.desktopPort} says otherwise: not 8080, which your own app may use. */
    public static final int DEFAULT_DESKTOP_PORT = 8470;

    public DemoSettings {
        if (desktopPort < 0 || desktopPort > 65535) {
            throw new IllegalArgumentException("handoff.demo.desktopPort must be between 0 and 65535, was " + desktopPort);
        }
        Objects.requireNonNull(deskToken, "deskToken");
        if (deskToken.length() < 16) {
            throw new IllegalArgumentException("HANDOFF_DESK_TOKEN must be at least 16 characters, was " + deskToken.length());
        }
    }

    /**
     * Reads the system properties and the environment.
     *
     * @throws IllegalArgumentException naming the property and value when one is malformed
     */
    public static DemoSettings fromSystem(String defaultToken) {
        String port = System.getProperty("handoff.demo.desktopPort", Integer.toString(DEFAULT_DESKTOP_PORT));
        int parsed;
        try {
            parsed = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("handoff.demo.desktopPort must be a port number, was \"" + port + "\"", e);
        }
        String keep = System.getProperty("handoff.demo.keepOpen", "false").trim();
        if (!keep.equalsIgnoreCase("true") && !keep.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("handoff.demo.keepOpen must be true or false, was \"" + keep + "\"");
        }
        String token = System.getenv().getOrDefault("HANDOFF_DESK_TOKEN", defaultToken);
        return new DemoSettings(parsed, Boolean.parseBoolean(keep), token);
    }

    /** For tests: an ephemeral desktop port, no keep-open, a test token. */
    public static DemoSettings forTests() {
        return new DemoSettings(0, false, "test-desk-token-0123456789");
    }

    /** The agent desktop for the demo's one desk agent, with their token, on the configured port; not started yet. */
    public AgentDesktop desktop(Agent agent) {
        return AgentDesktop.builder(StaticTokenAuthenticator.builder().agent(agent, deskToken).build()).port(desktopPort).build();
    }

    /** How a person signs in: the demo's fixed token is printed, a token of your own never is. */
    public String signInHint(String demoToken) {
        return deskToken.equals(demoToken) ? "the demo token " + demoToken : "your HANDOFF_DESK_TOKEN";
    }

    /**
     * Keeps the demo's output readable: unless {@code org.slf4j.simpleLogger.defaultLogLevel} is set, the SLF4J simple
     * binding logs warnings only (the audit trail and the servers' INFO lines would bury the timeline). Call it first
     * in {@code main}, before anything logs.
     */
    public static void quietLogsUnlessAsked() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** When {@link #keepOpen()}: says so and blocks until the JVM is asked to stop (Ctrl-C). */
    public void holdOpen(java.io.PrintStream out) throws InterruptedException {
        if (!keepOpen) {
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "demo-stop"));
        out.println();
        out.println("The desktop stays open (handoff.demo.keepOpen=true). Ctrl-C stops it.");
        stop.await();
    }
}
