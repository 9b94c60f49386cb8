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

/**
 * A receiver built from the JDK's HTTP server and {@link WebhookVerifier} alone: the README's receiver block is the
 * region below (checked by handoff-examples' ReadmeSnippetsTest), run against the real {@link WebhookAdapter}.
 */
class WebhookReceiverTest {

    private static final String SECRET = "whsec-0123456789abcdef";

    private HttpServer receiver;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final Set<String> seenKeys = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws IOException {
        String webhookSecret = SECRET;
        int port = 0;                                                           // any free port, for the test

        // tag::receiver[]
        WebhookVerifier verifier = WebhookVerifier.builder()
                .secret(webhookSecret)                                          // from your secret store; add the old one too while rotating
                .build();

        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);   // com.sun.net.httpserver
        server.createContext("/hooks/handoff", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                verifier.verify(exchange.getRequestHeaders().getFirst(WebhookVerifier.HEADER), body);
            } catch (WebhookSignatureException e) {          // e.reason(): MALFORMED_HEADER,
                exchange.sendResponseHeaders(400, -1);       //   TIMESTAMP_OUTSIDE_TOLERANCE, NO_MATCHING_SIGNATURE
                exchange.close();
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (alreadyProcessed(key)) { exchange.sendResponseHeaders(204, -1); exchange.close(); return; }
            process(body);                                   // the handoff.context/v1 JSON
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        // end::receiver[]
        receiver = server;
    }

    /** Marks the key seen; true when it already was. */
    private boolean alreadyProcessed(String idempotencyKey) {
        return !seenKeys.add(idempotencyKey);
    }

    private void process(byte[] body) {
        accepted.add(new String(body, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/handoff";
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
