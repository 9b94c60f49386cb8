package dev.handoff.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The desktop over TLS with a key store (made here with the JDK's keytool): HTTPS only, the cookie {@code Secure} with
 * the {@code __Host-} prefix, HSTS, sockets over {@code wss:}; and a non-loopback address is allowed only with TLS.
 */
class TlsTest {

    static final Path KEY_STORE = Path.of("target", "tls", "desk.p12");
    static final char[] PASSWORD = "changeit-desk".toCharArray();

    @BeforeAll
    static void keyStore() throws Exception {
        Files.createDirectories(KEY_STORE.getParent());
        Files.deleteIfExists(KEY_STORE);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "desk", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", KEY_STORE.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** An OkHttp client that trusts the test key store's certificate. */
    static OkHttpClient.Builder trusting(OkHttpClient.Builder b) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEY_STORE)) {
            ks.load(in, PASSWORD);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return b.sslSocketFactory(ssl.getSocketFactory(), (X509TrustManager) tmf.getTrustManagers()[0]);
    }

    @Test
    void over_tls_the_cookie_is_secure_and_host_bound_and_sockets_use_wss() throws Exception {
        try (DeskFixture f = new DeskFixture(b -> b.tls(KEY_STORE, PASSWORD), h -> h, Clock.systemUTC());
             DeskClient ana = new DeskClient(f.desk.baseUri())) {
            assertThat(f.desk.baseUri().toString()).startsWith("https://127.0.0.1:");
            OkHttpClient tls = trusting(ana.http.newBuilder()).build();

            DeskClient.Answer signIn;
            try (var r = tls.newCall(new Request.Builder().url(f.desk.baseUri().resolve("/api/session").toString())
                    .header("Origin", ana.origin)
                    .post(okhttp3.RequestBody.create("{\"credential\":\"" + DeskFixture.ANA_TOKEN + "\"}", DeskClient.JSON_TYPE))
                    .build()).execute()) {
                signIn = new DeskClient.Answer(r.code(), r.body().string(), r.headers());
            }

            assertThat(signIn.status()).isEqualTo(200);
            assertThat(signIn.headers().get("Set-Cookie"))
                    .matches("__Host-handoff-desk=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict; Secure");
            assertThat(signIn.headers().get("Strict-Transport-Security")).isEqualTo("max-age=31536000");
            DeskClient.Socket socket = new DeskClient.Socket();
            tls.newWebSocket(new Request.Builder().url(f.desk.baseUri().resolve("/ws").toString().replaceFirst("^https", "wss"))
                    .header("Origin", ana.origin).build(), socket);
            assertThat(socket.next("hello").path("agent").path("id").asText()).isEqualTo("ana");
            socket.ws.join().cancel();

            OkHttpClient plain = new OkHttpClient.Builder().build();
            assertThatThrownBy(() -> plain.newCall(new Request.Builder()
                    .url("http://127.0.0.1:" + f.desk.port() + "/signin").build()).execute().close())
                    .as("no plain HTTP on the TLS port").isInstanceOf(IOException.class);
        }
    }

    @Test
    void a_non_loopback_address_is_served_with_tls() {
        StaticTokenAuthenticator tokens = StaticTokenAuthenticator.builder().agent(DeskFixture.ANA, DeskFixture.ANA_TOKEN).build();

        assertThat(AgentDesktop.builder(tokens).host("0.0.0.0").tls(KEY_STORE, PASSWORD).build()).isNotNull();
        assertThatThrownBy(() -> AgentDesktop.builder(tokens).tls(Path.of("target", "no-such.p12"), PASSWORD))
                .hasMessage("TLS key store target/no-such.p12 is not a readable file");
    }
}
