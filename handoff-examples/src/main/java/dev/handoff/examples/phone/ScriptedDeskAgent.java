package dev.handoff.examples.phone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The human at the agent desktop, scripted: what a person does with the page, done over the desktop's own HTTP API
 * with the agent's token ({@code GET /api/tickets/{ticket}} to open the handoff, {@code POST .../read} for
 * "I've read it", {@code POST .../commitments/{id}} for a verdict). Each call reports a line to the timeline.
 *
 * <p>Thread-safe; the calls run on the JDK HTTP client's threads and return at once.
 */
public final class ScriptedDeskAgent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI desktop;
    private final String agentId;
    private final String token;
    private final PhoneLog log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param desktop the desktop's base URI ({@code http://127.0.0.1:8080/})
     * @param token   the agent's desktop token (a credential: never printed by this class)
     */
    public ScriptedDeskAgent(URI desktop, String agentId, String token, PhoneLog log) {
        this.desktop = Objects.requireNonNull(desktop, "desktop");
        this.agentId = Objects.requireNonNull(agentId, "agentId");
        this.token = Objects.requireNonNull(token, "token");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The agent's id. */
    public String agentId() {
        return agentId;
    }

    /**
     * Opens the handoff by its ticket, as the page does: completes with the desktop's view (the context, the
     * commitments with their current status, the live turns).
     *
     * @return fails with {@link IllegalStateException} naming the status when the desktop does not answer 200
     */
    public CompletionStage<JsonNode> open(String ticket) {
        return call("GET", "api/tickets/" + URLEncoder.encode(ticket, StandardCharsets.UTF_8), null).thenApply(view -> {
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
        return call("POST", "api/contexts/" + contextId + "/read", null);
    }

    /**
     * Confirms, corrects or revokes one of the AI's commitments.
     *
     * @param action {@code CONFIRM}, {@code CORRECT} or {@code REVOKE}
     * @param value  the corrected value for CORRECT, else null
     */
    public CompletionStage<JsonNode> verify(String contextId, String commitmentId, String action, String value) {
        String body = value == null ? "{\"action\":\"" + action + "\"}" : "{\"action\":\"" + action + "\",\"value\":\""
                + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        return call("POST", "api/contexts/" + contextId + "/commitments/" + commitmentId, body).thenApply(c -> {
            say(action.toLowerCase(java.util.Locale.ROOT) + "s commitment " + commitmentId + (value == null ? "" : " to " + value)
                    + " on the desktop: now " + c.path("status").asText());
            return c;
        });
    }

    private CompletionStage<JsonNode> call(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(desktop.resolve(path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token);
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json")
                    .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.GET();
        }
        CompletionStage<JsonNode> answer = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
            if (r.statusCode() != 200) {
                return CompletableFuture.failedFuture(new IllegalStateException(method + " /" + path.replaceAll("tickets/.*", "tickets/…")
                        + " answered " + r.statusCode()));
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
