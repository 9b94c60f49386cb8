package dev.handoff.crm.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.handoff.crm.TestContexts;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRefusedException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A receiver built from the JDK's HTTP server and {@link WebhookVerifier} alone, as the README shows. */
class WebhookReceiverTest {

    private static final String SECRET = "whsec-0123456789abcdef";

    private HttpServer receiver;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final Set<String> seenKeys = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).build();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/handoff", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status;
            try {
                verifier.verify(exchange.getRequestHeaders().getFirst(WebhookVerifier.HEADER), body);
                if (seenKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"))) {
                    accepted.add(new String(body, StandardCharsets.UTF_8));
                }
                status = 204;
            } catch (WebhookSignatureException e) {
                status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/handoff";
    }

    private WebhookAdapter sender(String secret) {
        CrmHttpClient http = CrmHttpClient.builder("webhook").allowInsecureHttpForTesting(true).sleeper(new RecordingSleeper()).build();
        return WebhookAdapter.builder(http).endpoint(url()).secret(secret).build();
    }

    @Test
    void a_receiver_with_only_the_verifier_accepts_signed_deliveries_once() {
        WebhookAdapter sender = sender(SECRET);

        sender.push(TestContexts.sample(), "webhook:ctx-1001");
        sender.push(TestContexts.sample(), "webhook:ctx-1001"); // a repeat after a lost answer

        assertThat(accepted).hasSize(1);
        assertThat(accepted.get(0)).startsWith("{\"schema\":\"handoff.context/v1\",\"contextId\":\"ctx-1001\"");
    }

    @Test
    void a_sender_with_the_wrong_secret_is_turned_away() {
        WebhookAdapter impostor = sender("whsec-not-the-shared-secret");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> impostor.push(TestContexts.sample(), "webhook:ctx-1001"))
                .isInstanceOfSatisfying(CrmRefusedException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(accepted).isEmpty();
    }
}
