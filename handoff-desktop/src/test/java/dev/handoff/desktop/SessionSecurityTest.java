package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.ConfigurationException;
import dev.handoff.api.spi.AuditRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions and the gate in front of everything: credentials only in a sign-in body, never in a URL; cookies HttpOnly,
 * SameSite=Strict, short-lived; the idle logoff counts the person's actions, not pings or sockets; sign-in is
 * rate-limited; only the desktop's own origin and host names are answered.
 */
class SessionSecurityTest {

    DeskFixture f = new DeskFixture(b -> b.idleTimeout(Duration.ofMinutes(15)).idleWarning(Duration.ofMinutes(2))
            .sessionLifetime(Duration.ofMinutes(40)), h -> h, java.time.Clock.systemUTC());

    @AfterEach
    void close() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/?token=" + DeskFixture.ANA_TOKEN, "/signin?access_token=x", "/wallboard?session=abc",
            "/api/session?password=" + DeskFixture.ANA_TOKEN, "/desk.js?TOKEN=x", "/api/wallboard/kpis?window=hour&ticket=t"})
    void a_credential_in_a_url_is_refused_and_audited_without_its_value(String path) {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Answer a = ana.get(path);

            assertThat(a.status()).isEqualTo(400);
            assertThat(a.json().path("error").asText()).startsWith("credentials are never accepted in a URL (parameter \"")
                    .endsWith("\"); sign in at /signin");
            assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.DESK_ACCESS_DENIED).singleElement()
                    .satisfies(r -> {
                        assertThat(r.outcome()).isEqualTo("400:credential_in_url");
                        assertThat(r.actor()).isEqualTo("ana");
                        assertThat(r.clientAddress()).isEqualTo("127.0.0.1");
                    });
            assertThat(f.audit.records().toString()).doesNotContain(DeskFixture.ANA_TOKEN);
        }
    }

    @Test
    void a_socket_with_a_token_in_its_url_is_refused_before_it_opens() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket s = ana.socket("/ws?token=" + DeskFixture.ANA_TOKEN);

            assertThat(s.refused.get(10, TimeUnit.SECONDS)).isEqualTo(400);
            assertThat(s.seen).isEmpty();
        }
    }

    @Test
    void requests_and_sockets_from_another_origin_or_none_are_refused() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            String url = f.desk.baseUri().resolve("/api/session/activity").toString();
            okhttp3.RequestBody empty = okhttp3.RequestBody.create(new byte[0]);
            assertThat(ana.call(new Request.Builder().url(url).post(empty).header("Origin", "https://evil.example")).status())
                    .isEqualTo(403);
            assertThat(ana.call(new Request.Builder().url(url).post(empty)).status()).as("no Origin").isEqualTo(403);
            assertThat(ana.call(new Request.Builder().url(url).post(empty).header("Origin", "null")).status()).isEqualTo(403);
            assertThat(ana.socket("/ws", Map.of("Origin", "https://evil.example")).refused.get(10, TimeUnit.SECONDS)).isEqualTo(403);
            assertThat(ana.socket("/ws", Map.of()).refused.get(10, TimeUnit.SECONDS)).as("no Origin").isEqualTo(403);
            assertThat(ana.post("/api/session/activity").status()).as("the desktop's own origin").isEqualTo(200);
        }
        assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.DESK_ACCESS_DENIED)
                .extracting(AuditRecord::outcome).containsOnly("403:origin").hasSize(5);
    }

    @Test
    void another_host_name_is_not_answered_so_dns_rebinding_finds_nothing() {
        try (DeskClient c = new DeskClient(f.desk.baseUri())) {
            DeskClient.Answer a = c.call(new Request.Builder().url(f.desk.signInUri().toString()).header("Host", "evil.example:" + f.desk.port()));

            assertThat(a.status()).isEqualTo(421);
            assertThat(c.call(new Request.Builder().url(f.desk.signInUri().toString()).header("Host", "localhost:" + f.desk.port())).status())
                    .as("loopback spellings are the desktop's own").isEqualTo(200);
        }
    }

    @Test
    void the_session_cookie_is_http_only_same_site_strict_and_short_lived_and_only_the_body_carries_the_credential() {
        try (DeskClient c = new DeskClient(f.desk.baseUri())) {
            DeskClient.Answer a = c.post("/api/session", "{\"credential\":\"" + DeskFixture.ANA_TOKEN + "\"}");

            assertThat(a.status()).isEqualTo(200);
            assertThat(a.headers().values("Set-Cookie")).singleElement().asString()
                    .matches("handoff-desk=[A-Za-z0-9_-]{43}; Path=/; Max-Age=2400; HttpOnly; SameSite=Strict")
                    .doesNotContain("Secure");
            assertThat(a.json().path("agent").path("id").asText()).isEqualTo("ana");
            assertThat(a.json().path("home").asText()).isEqualTo("/");
            assertThat(a.body()).doesNotContain(DeskFixture.ANA_TOKEN);
            assertThat(c.get("/api/session").json().path("agent").path("name").asText()).isEqualTo("Ana Lopez");
        }
    }

    @Test
    void pages_need_a_session_and_carry_a_strict_content_security_policy() {
        try (DeskClient anonymous = new DeskClient(f.desk.baseUri()); DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Answer redirected = anonymous.get("/");
            assertThat(redirected.status()).isEqualTo(303);
            assertThat(redirected.headers().get("Location")).endsWith("/signin");
            assertThat(anonymous.get("/api/session").status()).isEqualTo(401);

            DeskClient.Answer page = ana.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().get("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
                    "frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(page.headers().get("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.headers().get("Cache-Control")).isEqualTo("no-store");
            assertThat(ana.get("/wallboard").status()).as("the wallboard is for supervisors").isEqualTo(403);
        }
    }

    @Test
    void idle_logoff_counts_the_persons_actions_not_pings_reads_or_the_socket() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");

            f.deskClock.advance(Duration.ofMinutes(10));
            socket.ws.get(10, TimeUnit.SECONDS).send("ping");           // what an old page sent every 25 s
            assertThat(ana.get("/api/session").status()).isEqualTo(200);  // reading is not acting
            f.deskClock.advance(Duration.ofMinutes(3));
            f.desk.expireIdleSessions();
            JsonNode warning = socket.next("idle-warning");
            assertThat(warning.path("signOutAt").asText()).isEqualTo(f.deskClock.instant().plus(Duration.ofMinutes(2)).toString());

            f.deskClock.advance(Duration.ofMinutes(2));
            assertThat(f.desk.expireIdleSessions()).isEqualTo(1);

            assertThat(socket.next("signed-out").path("reason").asText()).isEqualTo("idle");
            assertThat(socket.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
            assertThat(ana.get("/api/session").status()).isEqualTo(401);
        }
        assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.DESK_SIGNED_OUT).singleElement()
                .satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo("idle");
                    assertThat(r.actor()).isEqualTo("ana");
                });
    }

    @Test
    void an_action_restarts_the_idle_clock_and_withdraws_the_warning() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");
            f.deskClock.advance(Duration.ofMinutes(14));
            f.desk.expireIdleSessions();
            socket.next("idle-warning");

            assertThat(ana.post("/api/session/activity").status()).isEqualTo(200);    // "Stay signed in"

            assertThat(socket.next("session").path("signOutAt").asText())
                    .isEqualTo(f.deskClock.instant().plus(Duration.ofMinutes(15)).toString());
            f.deskClock.advance(Duration.ofMinutes(14));
            assertThat(f.desk.expireIdleSessions()).isZero();
            assertThat(ana.get("/api/session").status()).isEqualTo(200);
        }
    }

    @Test
    void an_expired_session_is_refused_even_when_active() {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            for (int i = 0; i < 2; i++) {
                f.deskClock.advance(Duration.ofMinutes(14));
                assertThat(ana.post("/api/session/activity").status()).as("active at minute %d", 14 * (i + 1)).isEqualTo(200);
            }
            // 42 minutes: past the 40-minute lifetime, however active
            f.deskClock.advance(Duration.ofMinutes(14));
            assertThat(ana.post("/api/session/activity").status()).isEqualTo(401);
            assertThat(ana.get("/").status()).isEqualTo(303);
        }
        assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.DESK_SIGNED_OUT)
                .extracting(AuditRecord::outcome).containsExactly("expired");
    }

    @Test
    void signing_out_ends_the_session_and_closes_its_sockets() throws Exception {
        try (DeskClient ana = DeskClient.signedIn(f.desk, DeskFixture.ANA_TOKEN)) {
            DeskClient.Socket socket = ana.socket("/ws");
            socket.next("hello");
            String cookie = ana.cookies.get(0).value();

            DeskClient.Answer out = ana.post("/api/session/sign-out");

            assertThat(out.status()).isEqualTo(200);
            assertThat(out.headers().get("Set-Cookie")).startsWith("handoff-desk=; Path=/; Max-Age=0");
            assertThat(socket.next("signed-out").path("reason").asText()).isEqualTo("signed_out");
            assertThat(socket.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
            DeskClient replay = new DeskClient(f.desk.baseUri());
            replay.cookies.add(new okhttp3.Cookie.Builder().name("handoff-desk").value(cookie).hostOnlyDomain("127.0.0.1").path("/").build());
            assertThat(replay.get("/api/session").status()).as("the old cookie is worth nothing").isEqualTo(401);
            replay.close();
        }
        f.audit.await(r -> r.action() == AuditRecord.Action.DESK_DISCONNECTED);
        assertThat(f.audit.records()).extracting(AuditRecord::action).containsSubsequence(AuditRecord.Action.DESK_SIGNED_IN,
                AuditRecord.Action.DESK_CONNECTED, AuditRecord.Action.DESK_SIGNED_OUT, AuditRecord.Action.DESK_DISCONNECTED);
    }

    @Test
    void failed_sign_ins_are_limited_per_address_even_for_the_right_token_then_allowed_again() {
        try (DeskClient c = new DeskClient(f.desk.baseUri())) {
            for (int i = 0; i < AgentDesktop.DEFAULT_SIGN_IN_FAILURES; i++) {
                assertThat(c.post("/api/session", "{\"credential\":\"guess-" + i + "-0123456789abcdef\"}").status()).isEqualTo(401);
            }
            DeskClient.Answer limited = c.post("/api/session", "{\"credential\":\"" + DeskFixture.ANA_TOKEN + "\"}");

            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.headers().get("Retry-After")).isEqualTo("300");
            assertThat(limited.json().path("error").asText()).isEqualTo("too many failed sign-ins from this address; try again in 300 s");

            f.deskClock.advance(AgentDesktop.DEFAULT_SIGN_IN_WINDOW);
            assertThat(c.post("/api/session", "{\"credential\":\"" + DeskFixture.ANA_TOKEN + "\"}").status()).isEqualTo(200);
        }
        assertThat(f.audit.records()).filteredOn(r -> r.action() == AuditRecord.Action.DESK_SIGN_IN_REFUSED)
                .extracting(AuditRecord::outcome)
                .containsExactly("bad_credential", "bad_credential", "bad_credential", "bad_credential", "bad_credential", "rate_limited");
        assertThat(f.audit.records().toString()).doesNotContain("guess-", DeskFixture.ANA_TOKEN);
    }

    @Test
    void a_malformed_sign_in_names_what_is_expected() {
        try (DeskClient c = new DeskClient(f.desk.baseUri())) {
            for (String body : List.of("{}", "{\"credential\": 42}", "[1]", "not json", "{\"credential\":\"\"}")) {
                DeskClient.Answer a = c.post("/api/session", body);
                assertThat(a.status()).as(body).isEqualTo(400);
                assertThat(a.json().path("error").asText()).isEqualTo("the body must be {\"credential\": \"...\"} with 1-4096 characters");
            }
            DeskClient.Answer huge = c.post("/api/session", "{\"credential\":\"" + "x".repeat(9_000) + "\"}");
            assertThat(huge.status()).isEqualTo(413);
        }
    }

    @Test
    void the_default_port_is_a_free_one_never_8080_and_plain_http_stays_on_loopback() {
        assertThat(AgentDesktop.DEFAULT_PORT).isZero();
        assertThat(f.desk.port()).isPositive().isNotEqualTo(8080);

        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().agent(DeskFixture.ANA, DeskFixture.ANA_TOKEN).build();
        assertThatThrownBy(() -> AgentDesktop.builder(tokens).host("0.0.0.0").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("refusing to serve the agent desktop over plain HTTP on 0.0.0.0, which is not a loopback address: configure"
                        + " tls(keyStore, password), or, only behind a proxy that terminates TLS, allowPlainHttpOutsideLoopback(true)");
        assertThat(AgentDesktop.builder(tokens).host("0.0.0.0").allowPlainHttpOutsideLoopback(true).build()).isNotNull();
        assertThat(AgentDesktop.builder(tokens).host("localhost").build()).isNotNull();
        assertThatThrownBy(() -> AgentDesktop.builder(tokens).idleWarning(Duration.ofMinutes(15)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("idle warning (PT15M) must be shorter than the idle timeout (PT15M)");
        assertThatThrownBy(() -> AgentDesktop.builder(tokens).allowedOrigin("https://desk.example/path"))
                .hasMessage("origin must look like https://host[:port], was \"https://desk.example/path\"");
    }
}
