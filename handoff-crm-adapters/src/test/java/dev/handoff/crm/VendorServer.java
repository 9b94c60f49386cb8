package dev.handoff.crm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.core.json.ContextJson;
import dev.handoff.crm.TestSupport.RecordingSleeper;
import dev.handoff.crm.auth.CrmAuth;
import dev.handoff.crm.transport.CrmHttpClient;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/** A MockWebServer standing in for a vendor API, with helpers to pin request shapes. */
public final class VendorServer implements AutoCloseable {

    public final MockWebServer server = new MockWebServer();

    public VendorServer() throws IOException {
        server.start();
    }

    public CrmHttpClient http(String system, CrmAuth auth) {
        return CrmHttpClient.builder(system).auth(auth).allowInsecureHttpForTesting(true).sleeper(new RecordingSleeper())
                .random(() -> 0.0).build();
    }

    public String baseUrl() {
        return server.url("/").toString();
    }

    public void json(int code, String body) {
        server.enqueue(new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body));
    }

    public RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the vendor").isNotNull();
        return r;
    }

    public static JsonNode body(RecordedRequest r) {
        try {
            return ContextJson.get().mapper().readTree(r.getBody().readUtf8());
        } catch (IOException e) {
            throw new AssertionError("request body is not JSON", e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return ContextJson.get().mapper().readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The body with one text field (given as a JSON pointer to its parent and a name) removed, and that field's text. */
    public static String remove(JsonNode body, String parentPointer, String field) {
        ObjectNode parent = (ObjectNode) body.at(parentPointer);
        return parent.remove(field).asText();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
