package dev.handoff.examples.phone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The human at the agent desktop, scripted: what a person does with the page, done over the desktop's own HTTP API as
 * the page does it. It signs in once with the agent's token (exchanged for the session cookie, kept in its own cookie
 * jar), then {@code POST /api/handoffs/{contextId}/open} to open the handoff (the desktop redeems the ticket through
 * core), {@code .../read} for "I've read it", {@code .../commitments/{id}} for a verdict. Every request carries the
 * desktop's origin, as a browser's would. Each call reports a line to the timeline.
 *
 * <p>Thread-safe; the calls run on the JDK HTTP client's threads and return at once.
 */
public final class ScriptedDeskAgent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI desktop;
    private final String origin;
    private final String agentId;
    private final String token;
    private final PhoneLog log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER)).build();
    private volatile CompletableFuture<JsonNode> signedIn;

    /**
     * @param desktop the desktop's base URI ({@code http://127.0.0.1:8470/})
     * @param token   the agent's desktop token (a credential: sent once, in a body, never printed by this class)
     */
    public ScriptedDeskAgent(URI desktop, String agentId, String token, PhoneLog log) {
        this.desktop = Objects.requireNonNull(desktop, "desktop");
        this.origin = desktop.getScheme() + "://" + desktop.getHost() + ":" + desktop.getPort();
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.token = Objects.requireNonNull(token, "token");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The agent's id. */
    public String agentId() {
        return agentId;
    }

    /**
     * Opens the handoff, as the page does: completes with the desktop's view (the context verified by core, the
     * commitments with their current status and deadline, the live turns).
     *
     * @return fails with {@link IllegalStateException} naming the status when the desktop does not answer 200
     */
    public CompletionStage<JsonNode> open(String contextId) {
        return call("api/handoffs/" + contextId + "/open", null).thenApply(view -> {
            JsonNode w = view.path("context").path("whisper");
            say("opens the handoff on the desktop: goal \"" + w.path("goal").asText() + "\", obstacle \""
                    + w.path("obstacle").asText() + "\", sentiment \"" + w.path("sentiment").asText() + "\"");
            for (JsonNode c : view.path("commitments")) {
                say("sees the AI's commitment " + c.path("id").asText() + ": " + c.path("strength").asText() + " "
                        + c.path("kind").asText() + " " + c.path("value").asText() + " - " + c.path("status").asText());
            }
            return view;
        });
    }

    /** Presses "I've read it". */
    public CompletionStage<JsonNode> confirmRead(String contextId) {
        // the timeline shows Handoff's own ContextRead event for it
        return call("api/handoffs/" + contextId + "/read", null);
    }

    /**
     * Confirms, corrects or revokes one of the AI's commitments.
     *
     * @param action {@code CONFIRM}, {@code CORRECT} or {@code REVOKE}
     * @param value  the corrected value for CORRECT, else null
     */
    public CompletionStage<JsonNode> verify(String contextId, String commitmentId, String action, String value) {
        ObjectNode body = JSON.createObjectNode().put("action", action);
        if (value != null) {
            body.put("value", value);
        }
        return call("api/handoffs/" + contextId + "/commitments/" + commitmentId, body).thenApply(c -> {
            say(action.toLowerCase(java.util.Locale.ROOT) + "s commitment " + commitmentId + (value == null ? "" : " to " + value)
                    + " on the desktop: now " + c.path("status").asText());
            return c;
        });
    }

    private CompletionStage<JsonNode> call(String path, JsonNode body) {
        return signIn().thenCompose(me -> post(path, body));
    }

    /** Signs in once; the desktop answers with the session cookie. */
    private CompletionStage<JsonNode> signIn() {
        CompletableFuture<JsonNode> s = signedIn;
        if (s == null || s.isCompletedExceptionally()) {
            synchronized (this) {
                if (signedIn == null || signedIn.isCompletedExceptionally()) {
                    signedIn = post("api/session", JSON.createObjectNode().put("credential", token)).toCompletableFuture();
                }
                s = signedIn;
            }
        }
        return s;
    }

    private CompletionStage<JsonNode> post(String path, JsonNode body) {
        HttpRequest request = HttpRequest.newBuilder(desktop.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Origin", origin)
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        CompletionStage<JsonNode> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
            if (r.statusCode() != 200) {
                return CompletableFuture.failedFuture(new IllegalStateException("POST /" + path + " answered " + r.statusCode()));
            }
            try {
                return CompletableFuture.completedFuture(JSON.readTree(r.body()));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new IllegalStateException("desktop answered bad JSON: " + e.getMessage(), e));
            }
        });
        answer.whenComplete((ignored, error) -> {
            if (error != null) {
                say("desktop request failed: " + (error.getCause() != null ? error.getCause().getMessage() : error.getMessage()));
            }
        });
        return answer;
    }

    private void say(String line) {
        try {
            log.line("desk:" + agentId, line);
        } catch (RuntimeException ignored) {
            // the timeline must not break the agent's script
        }
    }
}
