package dev.handoff.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.api.Commitment;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.Speaker;
import dev.handoff.api.Target;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.AgentNotification;
import dev.handoff.examples.desktop.DesktopAuditRecord.Action;
import dev.handoff.examples.desktop.DesktopAuditRecord.Outcome;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AgentDesktopTest {

    static final String ANA_TOKEN = "ana-token-0123456789abcdef";
    static final String BEN_TOKEN = "ben-token-0123456789abcdef";
    static final Instant NOW = Instant.parse("2026-03-04T15:00:00Z");
    static final Instant START = NOW.minus(Duration.ofMinutes(3));

    final ObjectMapper mapper = new ObjectMapper();
    SampleAgentActions actions;
    final List<DesktopAuditRecord> audit = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.BlockingQueue<DesktopAuditRecord> arrivals = new java.util.concurrent.LinkedBlockingQueue<>();
    final HandoffContext context = SampleHandoff.context(START);
    AgentDesktop desk;
    DeskClient client;
    final List<DeskClient.Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        desk = AgentDesktop.builder()
                .agent("ana", ANA_TOKEN)
                .agent("ben", BEN_TOKEN)
                .port(0)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .auditSink(r -> {
                    audit.add(r);
                    arrivals.add(r);
                })
                .build()
                .start();
        client = new DeskClient(desk.baseUri());
        actions = new SampleAgentActions(context, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        sockets.forEach(DeskClient.Socket::close);
        desk.close();
    }

    static Stream<Arguments> unauthenticatedRequests() {
        return Stream.of(
                Arguments.of("page without token", "/", null),
                Arguments.of("page with wrong token", "/?token=not-the-token-of-anyone", null),
                Arguments.of("index with another agent's token cut short", "/index.html?token=ana-token", null),
                Arguments.of("ticket without token", "/api/tickets/" + SampleHandoff.TICKET, null),
                Arguments.of("ticket with wrong bearer", "/api/tickets/" + SampleHandoff.TICKET, "not-the-token-of-anyone"),
                Arguments.of("ticket with token in query instead of header", "/api/tickets/" + SampleHandoff.TICKET + "?token="
                        + ANA_TOKEN, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unauthenticatedRequests")
    void requests_without_a_valid_token_get_401_and_an_audit_record(String name, String path, String bearer) throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));

        HttpResponse<String> response = client.get(path, bearer);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("missing or invalid agent token").doesNotContain(context.whisper().goal());
        assertThat(audit).anySatisfy(r -> {
            assertThat(r.action()).isEqualTo(Action.AUTHENTICATE);
            assertThat(r.outcome()).isEqualTo(Outcome.DENIED);
            assertThat(r.agentId()).isNull();
        });
        assertThat(audit).noneMatch(r -> r.action() == Action.VIEW_CONTEXT);
    }

    @Test
    void websocket_upgrade_with_a_wrong_token_is_refused_with_401() {
        assertThatThrownBy(() -> client.socket("not-the-token-of-anyone").toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        assertThat(audit).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo(Action.AUTHENTICATE);
            assertThat(r.outcome()).isEqualTo(Outcome.DENIED);
            assertThat(r.channel()).isEqualTo("websocket");
        });
    }

    @Test
    void page_with_the_agents_token_is_served_with_a_strict_content_security_policy() throws Exception {
        HttpResponse<String> response = client.get("/?token=" + ANA_TOKEN, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data-testid=\"whisper\"");
        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("script-src 'self'"));
        assertThat(response.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void connected_agent_gets_the_handoff_pushed_whisper_first_and_the_view_is_audited() throws Exception {
        DeskClient.Socket ana = open(ANA_TOKEN);
        JsonNode hello = mapper.readTree(ana.next());
        assertThat(hello.get("type").asText()).isEqualTo("hello");
        assertThat(hello.get("agentId").asText()).isEqualTo("ana");

        desk.notify(SampleHandoff.notification(context, actions));

        JsonNode handoff = mapper.readTree(ana.next());
        List<String> fields = new ArrayList<>();
        handoff.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).startsWith("type", "contextId", "whisper", "escalation", "preview");
        assertThat(handoff.at("/whisper/suggestedOpening").asText()).isEqualTo(context.whisper().suggestedOpening());
        assertThat(handoff.at("/escalation/reasons/0/detail").asText()).isEqualTo("Customer asked to talk to a person");
        assertThat(handoff.at("/preview/text").asText()).isEqualTo(SampleHandoff.TRIGGER_TEXT);
        assertThat(handoff.get("sentimentLabel").asText()).isEqualTo("Entering conversation at High Urgency / Low Trust");
        assertThat(handoff.get("ticket").asText()).isEqualTo(SampleHandoff.TICKET);
        assertThat(handoff.get("verifyBy").asText()).isEqualTo("2026-03-04T15:01:00Z");
        awaitAudit(r -> {
            assertThat(r.action()).isEqualTo(Action.VIEW_CONTEXT);
            assertThat(r.agentId()).isEqualTo("ana");
            assertThat(r.channel()).isEqualTo("websocket");
            assertThat(r.contextId()).isEqualTo(SampleHandoff.CONTEXT_ID);
            assertThat(r.sessionId()).isEqualTo(SampleHandoff.SESSION);
        });
    }

    @Test
    void agent_connecting_after_the_notification_still_gets_it() throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));

        DeskClient.Socket ana = open(ANA_TOKEN);

        assertThat(mapper.readTree(ana.next()).get("type").asText()).isEqualTo("hello");
        assertThat(mapper.readTree(ana.next()).get("contextId").asText()).isEqualTo(SampleHandoff.CONTEXT_ID);
    }

    @Test
    void streamed_turns_reach_the_agent_live_and_a_completed_turn_replaces_its_partial_version() throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));
        DeskClient.Socket ana = open(ANA_TOKEN);
        ana.next();
        ana.next();
        Instant at = NOW.plusSeconds(3);

        desk.appendTurn(context.sessionId(), new Turn(8, Speaker.AI, "While I connect you", at, null, true));
        desk.appendTurn(context.sessionId(), new Turn(8, Speaker.AI, "While I connect you, here's where we are.", at, null, false));

        JsonNode first = mapper.readTree(ana.next());
        assertThat(first.get("type").asText()).isEqualTo("turn");
        assertThat(first.at("/turn/partial").asBoolean()).isTrue();
        JsonNode second = mapper.readTree(ana.next());
        assertThat(second.at("/turn/text").asText()).isEqualTo("While I connect you, here's where we are.");
        assertThat(second.at("/turn/timestamp").asText()).isEqualTo("2026-03-04T15:00:03Z");
        JsonNode view = mapper.readTree(client.get("/api/tickets/" + SampleHandoff.TICKET, ANA_TOKEN).body());
        assertThat(view.get("liveTurns")).hasSize(1);
        assertThat(view.at("/liveTurns/0/text").asText()).isEqualTo("While I connect you, here's where we are.");
    }

    @Test
    void ticket_redemption_returns_the_stored_context_with_the_ledgers_commitments_and_is_audited() throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));

        HttpResponse<String> response = client.get("/api/tickets/" + SampleHandoff.TICKET, ANA_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode view = mapper.readTree(response.body());
        assertThat(view.at("/context/contextId").asText()).isEqualTo(SampleHandoff.CONTEXT_ID);
        assertThat(view.at("/context/transcript")).hasSize(8);
        assertThat(view.at("/context/crmProfile/displayName").asText()).isEqualTo("Dana Whitfield");
        assertThat(view.at("/context/sentiment/series")).hasSize(4);
        assertThat(view.at("/commitments/0/status").asText()).isEqualTo("PENDING_VERIFICATION");
        assertThat(view.get("read").isNull()).isTrue();
        assertThat(audit).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo(Action.VIEW_CONTEXT);
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(r.channel()).isEqualTo("http");
            assertThat(r.detail()).isEqualTo("ticket redeemed");
            assertThat(r.at()).isEqualTo(NOW);
        });
    }

    @Test
    void unknown_ticket_is_404() throws Exception {
        HttpResponse<String> response = client.get("/api/tickets/tkt-nope", ANA_TOKEN);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(mapper.readTree(response.body()).get("error").asText()).isEqualTo("unknown or expired ticket");
    }

    @Test
    void handoff_routed_to_one_agent_is_not_shown_to_another() throws Exception {
        DeskClient.Socket ben = open(BEN_TOKEN);
        ben.next();
        DeskClient.Socket ana = open(ANA_TOKEN);
        ana.next();

        desk.notify(new AgentNotification(new Target("ana-direct", Target.Kind.AGENT, "ana", null), context, SampleHandoff.TICKET, actions));

        assertThat(mapper.readTree(ana.next()).get("type").asText()).isEqualTo("handoff");
        HttpResponse<String> benView = client.get("/api/tickets/" + SampleHandoff.TICKET, BEN_TOKEN);
        assertThat(benView.statusCode()).isEqualTo(403);
        assertThat(mapper.readTree(benView.body()).get("error").asText()).isEqualTo("this handoff is routed to another agent");
        assertThat(client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/read", BEN_TOKEN, null).statusCode()).isEqualTo(403);
        assertThat(desk.awaitRead(SampleHandoff.CONTEXT_ID).toCompletableFuture()).isNotDone();
    }

    @Test
    void read_confirmation_completes_await_read_once_and_is_audited() throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));
        var read = desk.awaitRead(SampleHandoff.CONTEXT_ID).toCompletableFuture();
        assertThat(read).isNotDone();

        HttpResponse<String> first = client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/read", ANA_TOKEN, null);
        HttpResponse<String> second = client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/read", ANA_TOKEN, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(read.get(5, TimeUnit.SECONDS))
                .isEqualTo(new ReadReceipt(SampleHandoff.CONTEXT_ID, SampleHandoff.SESSION, "ana", NOW));
        assertThat(desk.awaitRead(SampleHandoff.CONTEXT_ID).toCompletableFuture()).isCompletedWithValue(read.get());
        assertThat(audit).filteredOn(r -> r.action() == Action.READ_CONFIRMED).singleElement().satisfies(r -> {
            assertThat(r.agentId()).isEqualTo("ana");
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        });
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource({
        "CONFIRM, , CONFIRMED, COMMITMENT_CONFIRMED",
        "correct, 10%, CORRECTED, COMMITMENT_CORRECTED",
        "REVOKE, , REVOKED, COMMITMENT_REVOKED",
    })
    void agent_verdict_on_a_commitment_is_written_to_the_ledger_and_audited(String action, String value,
                                                                              Commitment.Status status, Action audited)
            throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));
        String body = value == null ? "{\"action\":\"" + action + "\"}" : "{\"action\":\"" + action + "\",\"value\":\"" + value + "\"}";

        HttpResponse<String> response = client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/commitments/c-1",
                ANA_TOKEN, body);

        assertThat(response.statusCode()).isEqualTo(200);
        Commitment c1 = actions.commitments().get(0);
        assertThat(c1.status()).isEqualTo(status);
        assertThat(c1.correctedValue()).isEqualTo(value);
        assertThat(c1.verifiedBy()).isEqualTo("ana");
        assertThat(c1.verifiedAt()).isEqualTo(NOW);
        assertThat(mapper.readTree(response.body()).get("status").asText()).isEqualTo(status.name());
        assertThat(audit).filteredOn(r -> r.action() == audited).singleElement().satisfies(r -> {
            assertThat(r.commitmentId()).isEqualTo("c-1");
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "correct without value | c-1 | {\"action\":\"CORRECT\"} | 400 | a CORRECTED verification needs the corrected value",
        "correct with blank value | c-1 | {\"action\":\"CORRECT\",\"value\":\"  \"} | 400 | a CORRECTED verification needs the corrected value",
        "unknown action | c-1 | {\"action\":\"APPROVE\"} | 400 | action must be one of [CONFIRM, CORRECT, REVOKE], was \"APPROVE\"",
        "missing action | c-1 | {} | 400 | action must be one of [CONFIRM, CORRECT, REVOKE], was missing",
        "value not a string | c-1 | {\"action\":\"CORRECT\",\"value\":10} | 400 | value must be a string, was NUMBER",
        "body not an object | c-1 | [1] | 400 | request body must be a JSON object, was ARRAY",
        "unknown commitment | c-9 | {\"action\":\"CONFIRM\"} | 404 | no commitment \"c-9\" in session s-northwind-0042",
    })
    void bad_verification_requests_are_refused_with_a_message_naming_the_problem(String name, String commitmentId, String body,
                                                                               int status, String message) throws Exception {
        desk.notify(SampleHandoff.notification(context, actions));

        HttpResponse<String> response = client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/commitments/" + commitmentId,
                ANA_TOKEN, body);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(mapper.readTree(response.body()).get("error").asText()).isEqualTo(message);
        assertThat(actions.commitments()).allMatch(c -> c.status() == Commitment.Status.PENDING_VERIFICATION);
    }

    @Test
    void audit_records_never_carry_transcript_text_tokens_or_corrected_values() throws Exception {
        DeskClient.Socket ana = open(ANA_TOKEN);
        ana.next();
        desk.notify(SampleHandoff.notification(context, actions));
        ana.next();
        desk.appendTurn(context.sessionId(), new Turn(8, Speaker.AI, "Bridge: connecting you to Jordan now", NOW, null, false));
        client.get("/?token=" + ANA_TOKEN, null);
        client.get("/?token=wrong-token-wrong-token", null);
        client.get("/api/tickets/" + SampleHandoff.TICKET, ANA_TOKEN);
        client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/read", ANA_TOKEN, null);
        client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/commitments/c-1", ANA_TOKEN,
                "{\"action\":\"CORRECT\",\"value\":\"ten-percent-corrected\"}");
        client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/commitments/c-2", ANA_TOKEN, "{\"action\":\"REVOKE\"}");
        client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/commitments/c-2", ANA_TOKEN, "{\"action\":\"CORRECT\"}");

        assertThat(audit).extracting(DesktopAuditRecord::action).contains(Action.VIEW_CONTEXT, Action.READ_CONFIRMED,
                Action.COMMITMENT_CORRECTED, Action.COMMITMENT_REVOKED, Action.AUTHENTICATE);
        List<String> secrets = new ArrayList<>();
        context.transcript().forEach(t -> secrets.add(t.text()));
        secrets.add("Bridge: connecting you to Jordan now");
        context.commitments().forEach(c -> secrets.add(c.text()));
        secrets.addAll(List.of(ANA_TOKEN, BEN_TOKEN, "wrong-token-wrong-token", "ten-percent-corrected", "Dana Whitfield",
                context.whisper().goal(), context.whisper().suggestedOpening()));
        for (DesktopAuditRecord r : audit) {
            assertThat(r.toString()).doesNotContain(secrets);
        }
    }

    @Test
    void logs_never_contain_a_token_presented_or_configured() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            desk.notify(SampleHandoff.notification(context, actions));
            DeskClient.Socket ana = open(ANA_TOKEN);
            ana.next();
            ana.next();
            client.get("/?token=guessed-token-guessed-token", null);
            client.get("/api/tickets/" + SampleHandoff.TICKET, "guessed-token-guessed-token");
            client.get("/api/tickets/" + SampleHandoff.TICKET, ANA_TOKEN);
            client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/read", ANA_TOKEN, null);
            assertThatThrownBy(() -> client.socket("guessed-token-guessed-token").toCompletableFuture().join())
                    .hasCauseInstanceOf(WebSocketHandshakeException.class);
        } finally {
            System.setErr(original);
        }

        String logs = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(logs).contains("refused a http request without a valid agent token", "confirmed reading");
        assertThat(logs).doesNotContain(ANA_TOKEN, BEN_TOKEN, "guessed-token-guessed-token");
    }

    @Test
    void a_failing_audit_sink_does_not_break_the_agents_action() throws Exception {
        desk.close();
        desk = AgentDesktop.builder().agent("ana", ANA_TOKEN).port(0)
                .auditSink(r -> {
                    throw new IllegalStateException("audit journal down");
                })
                .build().start();
        client = new DeskClient(desk.baseUri());
        desk.notify(SampleHandoff.notification(context, actions));

        HttpResponse<String> response = client.post("/api/contexts/" + SampleHandoff.CONTEXT_ID + "/read", ANA_TOKEN, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(desk.awaitRead(SampleHandoff.CONTEXT_ID).toCompletableFuture().get(5, TimeUnit.SECONDS).agentId()).isEqualTo("ana");
    }

    @Test
    void desktop_forgets_the_oldest_handoff_beyond_its_retention() throws Exception {
        desk.close();
        desk = AgentDesktop.builder().agent("ana", ANA_TOKEN).port(0).retainedHandoffs(1).build().start();
        client = new DeskClient(desk.baseUri());
        HandoffContext newer = SampleHandoff.context(START.plusSeconds(60));
        newer = new HandoffContext(newer.schema(), "ctx-northwind-0042-2", newer.sessionId(), newer.channel(), newer.createdAt(),
                newer.transcript(), null, newer.customer(), newer.crmProfile(), newer.metadata(), newer.semanticLedger(),
                newer.sentiment(), newer.commitments(), newer.whisper(), newer.tone(), newer.compliance(), null, null);

        desk.notify(SampleHandoff.notification(context, actions));
        desk.notify(new AgentNotification(Target.queue("account-executives"), newer, "tkt-newer", new SampleAgentActions(newer)));

        assertThat(client.get("/api/tickets/" + SampleHandoff.TICKET, ANA_TOKEN).statusCode()).isEqualTo(404);
        assertThat(client.get("/api/tickets/tkt-newer", ANA_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void page_uri_carries_the_agents_token_and_unknown_agents_are_refused() {
        assertThat(desk.pageUri("ana").toString()).isEqualTo("http://127.0.0.1:" + desk.port() + "/?token=" + ANA_TOKEN);
        assertThatThrownBy(() -> desk.pageUri("zoe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no agent \"zoe\" is configured on this desktop; configured: [ana, ben]");
    }

    static Stream<Arguments> badBuilderSettings() {
        return Stream.of(
                Arguments.of("short token", (Consumer<AgentDesktop.Builder>) b -> b.agent("ana", "short"),
                        "token of agent \"ana\" must have at least 16 characters, had 5"),
                Arguments.of("token with a space", (Consumer<AgentDesktop.Builder>) b -> b.agent("ana", "has a space in the token"),
                        "token of agent \"ana\" must not contain whitespace"),
                Arguments.of("bad agent id", (Consumer<AgentDesktop.Builder>) b -> b.agent("ana smith", ANA_TOKEN),
                        "agent id must be 1-64 characters of [A-Za-z0-9._@-], was \"ana smith\""),
                Arguments.of("agent twice", (Consumer<AgentDesktop.Builder>) b -> b.agent("ana", ANA_TOKEN).agent("ana", BEN_TOKEN),
                        "agent \"ana\" is configured twice"),
                Arguments.of("port too high", (Consumer<AgentDesktop.Builder>) b -> b.port(70_000),
                        "port must be between 0 and 65535, was 70000"),
                Arguments.of("zero window", (Consumer<AgentDesktop.Builder>) b -> b.verificationWindow(Duration.ZERO),
                        "verification window must be positive, was PT0S"),
                Arguments.of("blank host", (Consumer<AgentDesktop.Builder>) b -> b.host(" "),
                        "host must not be blank, was \" \""),
                Arguments.of("no retained handoffs", (Consumer<AgentDesktop.Builder>) b -> b.retainedHandoffs(0),
                        "retained handoffs must be at least 1, was 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBuilderSettings")
    void bad_settings_are_refused_where_they_are_set(String name, Consumer<AgentDesktop.Builder> setting, String message) {
        AgentDesktop.Builder builder = AgentDesktop.builder();

        assertThatThrownBy(() -> setting.accept(builder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void build_needs_an_agent_and_distinct_tokens() {
        assertThatThrownBy(() -> AgentDesktop.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agent desktop needs at least one agent; call agent(id, token)");
        assertThatThrownBy(() -> AgentDesktop.builder().agent("ana", ANA_TOKEN).agent("ben", ANA_TOKEN).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agents \"ana\" and \"ben\" have the same token; every agent needs their own");
    }

    @Test
    void a_closed_desktop_refuses_to_start_again_and_to_take_notifications() {
        desk.close();

        assertThatThrownBy(desk::start)
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("agent desktop is closed; build a new one");
        assertThatThrownBy(() -> desk.notify(SampleHandoff.notification(context, actions)))
                .isInstanceOf(dev.handoff.api.NonRetriableHandoffException.class)
                .hasMessage("agent desktop is closed");
    }

    @Test
    void a_busy_port_is_reported_with_host_and_port() {
        AgentDesktop second = AgentDesktop.builder().agent("ana", ANA_TOKEN).port(desk.port()).build();

        assertThatThrownBy(second::start)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("agent desktop could not listen on 127.0.0.1:" + desk.port() + ": ");
        second.close();
    }

    private DeskClient.Socket open(String token) {
        DeskClient.Socket socket = client.socket(token).toCompletableFuture().join();
        sockets.add(socket);
        return socket;
    }

    /** Audit records written on the push thread arrive shortly after the message; wait up to 5 s for a match. */
    private void awaitAudit(Consumer<DesktopAuditRecord> requirement) throws InterruptedException {
        AssertionError last = null;
        for (DesktopAuditRecord r : audit) {
            try {
                requirement.accept(r);
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        DesktopAuditRecord next;
        while ((next = arrivals.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
            try {
                requirement.accept(next);
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last != null ? last : new AssertionError("no audit record within 5 s");
    }
}
