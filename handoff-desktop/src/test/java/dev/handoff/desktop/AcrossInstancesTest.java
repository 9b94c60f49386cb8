package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.handoff.api.Channel;
import dev.handoff.api.Commitment;
import dev.handoff.api.CustomerData;
import dev.handoff.api.HandoffDecision;
import dev.handoff.api.HandoffPhase;
import dev.handoff.api.Priority;
import dev.handoff.api.Reason;
import dev.handoff.api.Route;
import dev.handoff.api.SessionId;
import dev.handoff.api.Speaker;
import dev.handoff.api.Target;
import dev.handoff.api.TriggerKind;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.core.Handoff;
import dev.handoff.core.HandoffOutcome;
import dev.handoff.core.HandoffSession;
import dev.handoff.core.context.SigningKeys;
import dev.handoff.postgres.PostgresHandoffStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Handoff instances on one real PostgreSQL (embedded, 17.x): the bot runs on instance {@code a}, the agent desktop
 * is served by instance {@code b}. An agent signed in on b opens a's handoff, verifies a commitment, writes to the
 * customer (whose chat is attached to a) and reads the answer, and hands back; all over b's HTTP API and socket, as
 * the page does. Outsiders on b get 404 and supervisors 403, as for a local handoff. When a dies, an action is applied
 * by the instance that took the handoff over, or the agent gets an explicit error.
 */
class AcrossInstancesTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final SigningKeys keys = SigningKeys.ephemeral();
    private final List<AutoCloseable> started = new ArrayList<>();
    private final BlockingQueue<HandoffEvent.AgentMessage> toCustomer = new LinkedBlockingQueue<>();
    private PostgresHandoffStores storesA;
    private PostgresHandoffStores storesB;
    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private Handoff a;
    private Handoff b;
    private AgentDesktop deskB;
    private String url;

    @BeforeAll
    static void startDatabase() throws Exception {
        server = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        server.close();
    }

    @AfterEach
    void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // the next one still closes
            }
        }
    }

    /** Instances a (the bot) and b (the desktop) on a new database, with these store settings for both. */
    private void instances(UnaryOperator<PostgresHandoffStores.Builder> settings) throws Exception {
        instances(settings, settings);
    }

    /** Instances a (the bot) and b (the desktop) on a new database, each with its own store settings. */
    private void instances(UnaryOperator<PostgresHandoffStores.Builder> settingsA, UnaryOperator<PostgresHandoffStores.Builder> settingsB)
            throws Exception {
        String db = "cross_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        }
        url = server.getJdbcUrl("postgres", db);
        poolA = pool(url, "a");
        poolB = pool(url, "b");
        storesA = settingsA.apply(PostgresHandoffStores.builder(poolA).tenant("northwind").instanceId("a")).build();
        storesB = settingsB.apply(PostgresHandoffStores.builder(poolB).tenant("northwind").instanceId("b")).build();
        a = storesA.applyTo(Handoff.builder()).signingKeys(keys)
                .router((context, decision) -> new Route(List.of(Target.queue("support")), decision.priority(), "support", false))
                .listener(e -> {
                    if (e instanceof HandoffEvent.AgentMessage m) {
                        toCustomer.add(m);   // the bot host on a delivers the agent's words to the customer's chat
                    }
                })
                .build();
        started.add(a);
        deskB = AgentDesktop.builder(StaticTokenAuthenticator.builder().agent(DeskFixture.ANA, DeskFixture.ANA_TOKEN)
                        .agent(DeskFixture.BEN, DeskFixture.BEN_TOKEN).agent(DeskFixture.MAX, DeskFixture.MAX_TOKEN)
                        .agent(DeskFixture.SUE, DeskFixture.SUE_TOKEN).build())
                .tenantOf(c -> "northwind").build();
        b = storesB.applyTo(Handoff.builder()).signingKeys(keys).agentNotifier(deskB).build();
        started.add(b);
        deskB.start(b);
        started.add(deskB);
    }

    private HikariDataSource pool(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(5_000);
        config.setPoolName(name);
        HikariDataSource pool = new HikariDataSource(config);
        started.add(pool);
        return pool;
    }

    /** A chat on a whose bot made two promises and that the customer escalates to the support queue. */
    private CompletableFuture<HandoffOutcome> chatOnA(String id) {
        HandoffSession s = a.open(SessionId.of(id), Channel.CHAT, new CustomerData("cust-1", Map.of(), Map.of("name", "Dana Whitfield"), List.of()));
        s.customer("We need the compliance module for about 40 seats before our Q3 audit.");
        s.ai("I might be able to get you 15% off the compliance module if you sign this quarter.");
        s.ai("I'll have an account executive call you back today before 5pm to confirm.");
        HandoffDecision d = s.customer("Look, can I just talk to a person about the price?");
        if (!d.isHandoff()) {
            d = HandoffDecision.handoff(Priority.HIGH, List.of(Reason.of(TriggerKind.EXPLICIT_REQUEST, "explicit.request",
                    "Customer asked to talk to a person")), null);
        }
        return s.handOff(d).toCompletableFuture();
    }

    @Test
    void an_agent_on_b_opens_verifies_writes_reads_the_answer_and_hands_back_a_chat_that_a_runs() throws Exception {
        instances(s -> s.pollInterval(Duration.ofMillis(200)));
        try (DeskClient ana = DeskClient.signedIn(deskB, DeskFixture.ANA_TOKEN);
             DeskClient max = DeskClient.signedIn(deskB, DeskFixture.MAX_TOKEN);
             DeskClient ben = DeskClient.signedIn(deskB, DeskFixture.BEN_TOKEN);
             DeskClient sue = DeskClient.signedIn(deskB, DeskFixture.SUE_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");

            CompletableFuture<HandoffOutcome> outcome = chatOnA("chat-cross-1");

            // the offer made on a reaches ana on b whisper first, and b's desktop shows the whole handoff
            JsonNode notice = socket.next("handoff");
            String contextId = notice.path("contextId").asText();
            assertThat(notice.toString().indexOf("\"whisper\"")).as("whisper first").isLessThan(notice.toString().indexOf("\"escalation\""));
            assertThat(notice.path("label").asText()).startsWith("Dana Whitfield · chat #");
            JsonNode offer = socket.next(n -> "offer".equals(n.path("type").asText()) && contextId.equals(n.path("contextId").asText()));

            DeskClient.Answer opened = ana.post("/api/handoffs/" + contextId + "/open");
            assertThat(opened.status()).as(opened.body()).isEqualTo(200);
            JsonNode view = opened.json();
            assertThat(view.path("context").path("transcript")).hasSize(4);
            assertThat(view.path("commitments")).extracting(c -> c.path("kind").asText()).contains("DISCOUNT", "CALLBACK");
            String discount = view.path("commitments").get(0).path("id").asText();

            // authorisation as for a local handoff: another queue's agent 404, a supervisor 403
            assertThat(ben.post("/api/handoffs/" + contextId + "/open").status()).isEqualTo(404);
            assertThat(sue.post("/api/handoffs/" + contextId + "/commitments/" + discount, "{\"action\":\"CONFIRM\"}").status()).isEqualTo(403);

            assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            HandoffOutcome connected = outcome.get(30, TimeUnit.SECONDS);
            assertThat(connected.status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            assertThat(connected.connected()).hasValueSatisfying(c -> assertThat(c.agentId()).isEqualTo("ana"));
            assertThat(socket.next(n -> "phase".equals(n.path("type").asText()) && "ana".equals(n.path("acceptedBy").asText())
                    && n.path("canWrite").asBoolean()).path("acceptedBy").asText()).isEqualTo("ana");
            assertThat(max.post("/api/handoffs/" + contextId + "/open").status()).as("another agent, once ana has it").isEqualTo(404);

            // a commitment verified on b is applied by a, in the shared ledger
            DeskClient.Answer confirmed = ana.post("/api/handoffs/" + contextId + "/commitments/" + discount, "{\"action\":\"CONFIRM\"}");
            assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
            assertThat(confirmed.json().path("status").asText()).isEqualTo("CONFIRMED");
            assertThat(a.commitments().commitments(SessionId.of("chat-cross-1"))).filteredOn(c -> c.id().equals(discount)).singleElement()
                    .satisfies(c -> {
                        assertThat(c.status()).isEqualTo(Commitment.Status.CONFIRMED);
                        assertThat(c.verifiedBy()).isEqualTo("ana");
                    });
            assertThat(ana.post("/api/handoffs/" + contextId + "/commitments/nope", "{\"action\":\"CONFIRM\"}").status())
                    .as("a refusal on a comes back as one on b").isEqualTo(409);

            // the relay both ways: ana on b writes, the bot host on a delivers; the customer answers on a, ana sees it on b
            DeskClient.Answer sent = ana.post("/api/handoffs/" + contextId + "/messages", "{\"text\":\"Hi Dana, I'm Ana.\"}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            HandoffEvent.AgentMessage delivered = toCustomer.poll(30, TimeUnit.SECONDS);
            assertThat(delivered).isNotNull();
            assertThat(delivered.turn().text()).isEqualTo("Hi Dana, I'm Ana.");
            assertThat(delivered.agentId()).isEqualTo("ana");
            a.session(SessionId.of("chat-cross-1")).orElseThrow().customer("Great, can you do 15%?");
            JsonNode answer = socket.next(n -> "turn".equals(n.path("type").asText()) && "CUSTOMER".equals(n.path("turn").path("speaker").asText()));
            assertThat(answer.path("turn").path("text").asText()).isEqualTo("Great, can you do 15%?");
            assertThat(socket.seen).filteredOn(n -> "turn".equals(n.path("type").asText()))
                    .extracting(n -> n.path("turn").path("speaker").asText() + ": " + n.path("turn").path("text").asText())
                    .containsExactly("AGENT: Hi Dana, I'm Ana.", "CUSTOMER: Great, can you do 15%?");

            // feedback on b is applied by a, which runs the handoff (its KPIs and audit record are made there)
            DeskClient.Answer feedback = ana.post("/api/handoffs/" + contextId + "/feedback",
                    "{\"escalation\": \"NEEDED\", \"resolved\": true, \"whisper\": {\"GOAL\": \"ACCURATE\"}}");
            assertThat(feedback.status()).as(feedback.body()).isEqualTo(200);
            assertThat(feedback.json().path("commitments")).extracting(c -> c.path("id").asText() + " " + c.path("status").asText())
                    .as("the conversation's commitments as a holds them: the discount confirmed above, the other still open")
                    .containsExactly(discount + " CONFIRMED", "c-2 PENDING_VERIFICATION");

            DeskClient.Answer back = ana.post("/api/handoffs/" + contextId + "/hand-back", "{\"note\":\"Agreed 10%\"}");
            assertThat(back.status()).as(back.body()).isEqualTo(200);
            assertThat(a.phase(SessionId.of("chat-cross-1"))).contains(HandoffPhase.RETURNED_TO_BOT);
            List<dev.handoff.api.Turn> turns = a.session(SessionId.of("chat-cross-1")).orElseThrow().turns();
            assertThat(turns.get(turns.size() - 1)).satisfies(t -> {
                assertThat(t.speaker()).isEqualTo(Speaker.SYSTEM);
                assertThat(t.text()).isEqualTo("Handed back by ana: Agreed 10%");
            });
        }
        assertThat(actions("SELECT kind || ' ' || state || ' ' || applied_by FROM handoff.agent_actions WHERE tenant_id = 'northwind'"
                + " AND kind <> 'WATCH' ORDER BY seq"))
                .containsExactly("CONFIRM APPLIED a", "CONFIRM REFUSED a", "SEND APPLIED a", "FEEDBACK APPLIED a", "HAND_BACK APPLIED a");
    }

    @Test
    void when_the_owner_dies_after_the_chat_connected_the_agent_is_told_and_nothing_reaches_the_customer_later() throws Exception {
        instances(s -> s.pollInterval(Duration.ofMillis(200)).agentActionTimeout(Duration.ofSeconds(2)));
        try (DeskClient ana = DeskClient.signedIn(deskB, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");
            CompletableFuture<HandoffOutcome> outcome = chatOnA("chat-cross-2");
            JsonNode offer = socket.next("offer");
            String contextId = offer.path("contextId").asText();
            assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(outcome.get(30, TimeUnit.SECONDS).status()).isEqualTo(HandoffOutcome.Status.CONNECTED);
            // b's page learns through the relay that ana has the chat (a relayed TRANSFERRING may come first, with
            // canWrite false): only then may she write (before, 409 "accept first")
            socket.next(n -> "phase".equals(n.path("type").asText()) && "ana".equals(n.path("acceptedBy").asText())
                    && n.path("canWrite").asBoolean());

            crashA();   // the customer's chat connection was attached to it

            DeskClient.Answer sent = ana.post("/api/handoffs/" + contextId + "/messages", "{\"text\":\"Are you still there?\"}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(503);
            assertThat(sent.json().path("error").asText()).contains("last known owner a", "Nothing was done");
        }
        assertThat(actions("SELECT kind || ' ' || state FROM handoff.agent_actions WHERE tenant_id = 'northwind' AND kind = 'SEND'"))
                .containsExactly("SEND EXPIRED");
        assertThat(toCustomer).isEmpty();
    }

    @Test
    void an_action_sent_while_the_owner_is_dead_is_applied_by_the_instance_that_takes_the_handoff_over() throws Exception {
        instances(s -> s.pollInterval(Duration.ofMillis(200)).handoffLease(Duration.ofSeconds(1))
                .agentActionTimeout(Duration.ofMinutes(1)).acceptTimeout(Duration.ofMinutes(2)));
        try (DeskClient ana = DeskClient.signedIn(deskB, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");
            chatOnA("chat-cross-3");
            JsonNode offer = socket.next("offer");
            String contextId = offer.path("contextId").asText();
            DeskClient.Answer opened = ana.post("/api/handoffs/" + contextId + "/open");
            assertThat(opened.status()).as(opened.body()).isEqualTo(200);
            String discount = opened.json().path("commitments").get(0).path("id").asText();

            crashA();   // while ana holds its offer

            // sent while nobody owns the handoff: it waits in the table, and b applies it once it took the handoff over
            DeskClient.Answer confirmed = ana.post("/api/handoffs/" + contextId + "/commitments/" + discount, "{\"action\":\"CONFIRM\"}");
            assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
            assertThat(b.commitments().commitments(SessionId.of("chat-cross-3"))).filteredOn(c -> c.id().equals(discount)).singleElement()
                    .satisfies(c -> assertThat(c.status()).isEqualTo(Commitment.Status.CONFIRMED));
            assertThat(actions("SELECT kind || ' ' || state || ' ' || applied_by FROM handoff.agent_actions WHERE tenant_id = 'northwind'"
                    + " AND kind = 'CONFIRM'")).containsExactly("CONFIRM APPLIED b");

            assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(socket.next(n -> "phase".equals(n.path("type").asText()) && "ana".equals(n.path("acceptedBy").asText())
                    && n.path("canWrite").asBoolean()).path("acceptedBy").asText()).isEqualTo("ana");
        }
    }

    @Test
    void the_agents_page_on_b_keeps_receiving_the_chat_after_a_third_instance_takes_it_over_from_a_dead_owner() throws Exception {
        UnaryOperator<PostgresHandoffStores.Builder> shortLease = s -> s.pollInterval(Duration.ofMillis(200))
                .handoffLease(Duration.ofSeconds(1)).agentActionTimeout(Duration.ofMinutes(1)).acceptTimeout(Duration.ofMinutes(2));
        // b, where ana's page is, polls for takeovers every 5 minutes (half its lease), so c is the one that takes over
        instances(shortLease, s -> shortLease.apply(s).handoffLease(Duration.ofMinutes(10)));
        BlockingQueue<HandoffEvent> onC = new LinkedBlockingQueue<>();
        HikariDataSource poolC = pool(url, "c");
        Handoff c = shortLease.apply(PostgresHandoffStores.builder(poolC).tenant("northwind").instanceId("c")).build()
                .applyTo(Handoff.builder()).signingKeys(keys)
                .router((context, decision) -> new Route(List.of(Target.queue("support")), decision.priority(), "support", false))
                .listener(e -> {
                    onC.add(e);
                    if (e instanceof HandoffEvent.AgentMessage m) {
                        toCustomer.add(m);   // after the takeover, the bot host on c holds the customer's chat
                    }
                })
                .build();
        started.add(c);
        SessionId chat = SessionId.of("chat-cross-4");
        // what b's relay hands its listeners, in order; the desktop's listener was added first, so an event seen here
        // has been applied to ana's page
        BlockingQueue<HandoffEvent> relayedToB = new LinkedBlockingQueue<>();
        b.agentRelay().addListener(relayedToB::add);
        try (DeskClient ana = DeskClient.signedIn(deskB, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");
            chatOnA(chat.value());
            JsonNode offer = socket.next("offer");
            String contextId = offer.path("contextId").asText();
            DeskClient.Answer opened = ana.post("/api/handoffs/" + contextId + "/open");   // b now watches the handoff
            assertThat(opened.status()).as(opened.body()).isEqualTo(200);
            assertThat(next(relayedToB, HandoffEvent.PhaseChanged.class).phase()).as("a relays the watched handoff to b")
                    .isEqualTo(HandoffPhase.TRANSFERRING);

            crashA();   // while ana holds its offer; a's memory of who watches the handoff is gone with it

            assertThat(next(onC, HandoffEvent.PhaseChanged.class).phase()).as("c takes the handoff over once a's lease ran out")
                    .isEqualTo(HandoffPhase.TRANSFERRING);
            assertThat(next(relayedToB, HandoffEvent.PhaseChanged.class).phase()).as("and relays it to b, which a's watch named")
                    .isEqualTo(HandoffPhase.TRANSFERRING);
            assertThat(ana.post("/api/offers/" + offer.path("offerId").asText() + "/accept").status()).isEqualTo(200);
            assertThat(next(onC, HandoffEvent.HandoffCompleted.class).result().agentId()).as("the customer's explicit outcome, on c")
                    .isEqualTo("ana");
            assertThat(next(relayedToB, HandoffEvent.HandoffCompleted.class).result().agentId()).isEqualTo("ana");

            DeskClient.Answer sent = ana.post("/api/handoffs/" + contextId + "/messages", "{\"text\":\"Hi Dana, I'm Ana.\"}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(200);
            HandoffEvent.AgentMessage delivered = toCustomer.poll(30, TimeUnit.SECONDS);
            assertThat(delivered).as("c delivers ana's words").isNotNull();
            assertThat(delivered.turn().text()).isEqualTo("Hi Dana, I'm Ana.");
            HandoffSession onInstanceC = c.session(chat).orElseThrow();
            onInstanceC.customer("Great, can you do 15%?");
            onInstanceC.customer("And the 40 seats before the audit?");

            // only c's feed can bring the customer's words to b: ana's page shows them after her own, each once
            socket.next(n -> "turn".equals(n.path("type").asText()) && n.path("turn").path("text").asText().startsWith("And the 40"));
            assertThat(socket.seen).filteredOn(n -> "turn".equals(n.path("type").asText()))
                    .extracting(n -> n.path("turn").path("speaker").asText() + ": " + n.path("turn").path("text").asText())
                    .containsExactly("AGENT: Hi Dana, I'm Ana.", "CUSTOMER: Great, can you do 15%?", "CUSTOMER: And the 40 seats before the audit?");
        }
        List<String> feed = actions("SELECT owner || ' ' || kind FROM handoff.agent_feed WHERE tenant_id = 'northwind' AND session_id = '"
                + chat.value() + "' ORDER BY seq");
        assertThat(feed).as("a's rows, then c's from its takeover on").first().isEqualTo("a PHASE");
        assertThat(feed.subList(feed.indexOf("c PHASE"), feed.size())).as(feed.toString()).allMatch(r -> r.startsWith("c "))
                .filteredOn(r -> r.endsWith("TURN")).hasSize(3);
        assertThat(actions("SELECT owner || ' ' || outcome || ' ' || taken_over FROM handoff.handoffs WHERE tenant_id = 'northwind'"
                + " AND session_id = '" + chat.value() + "'")).containsExactly("c CONNECTED 1");
    }

    private static <T extends HandoffEvent> T next(BlockingQueue<HandoffEvent> events, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (HandoffEvent e; (e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 60 s");
    }

    /** Instance a stops as a crash would: its relay takes nothing more, and its connections are cut. */
    private void crashA() {
        storesA.agentRelay().halt();
        poolA.close();
    }

    private List<String> actions(String sql) throws Exception {
        try (Connection c = poolB.getConnection(); PreparedStatement p = c.prepareStatement(sql); ResultSet rs = p.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
