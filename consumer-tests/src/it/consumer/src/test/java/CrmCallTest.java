import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.handoff.crm.transport.CrmHttpClient;
import dev.handoff.crm.transport.CrmRequest;
import dev.handoff.crm.transport.CrmResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A CRM call with only what handoff-crm-adapters brings (no MockWebServer, no test libraries that would bring Kotlin
 * along): OkHttp and Okio need the Kotlin standard library at run time, and an exclusion once removed it.
 */
class CrmCallTest {

    @Test
    void a_crm_call_runs_on_the_dependencies_the_module_declares() throws Exception {
        HttpServer crm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crm.createContext("/ping", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        crm.start();
        try {
            CrmHttpClient client = CrmHttpClient.builder("consumer-crm").allowInsecureHttpForTesting(true).build();
            String url = "http://127.0.0.1:" + crm.getAddress().getPort() + "/ping";

            CrmResponse response = client.execute(CrmRequest.get(client.requireUrl("url", url)));

            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"ok\":true}");
        } finally {
            crm.stop(0);
        }
    }
}
