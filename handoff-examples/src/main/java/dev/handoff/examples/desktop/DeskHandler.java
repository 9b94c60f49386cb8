package dev.handoff.examples.desktop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.api.Commitment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The HTTP side of the desktop.
 *
 * <ul>
 *   <li>{@code GET /?token=T} the page (401 without a valid token)</li>
 *   <li>{@code GET /desktop.css}, {@code GET /desktop.js} its style sheet and script (public: they hold no data)</li>
 *   <li>{@code GET /api/tickets/{ticket}} redeems a ticket for the full context view</li>
 *   <li>{@code POST /api/contexts/{contextId}/read} "I've read it"</li>
 *   <li>{@code POST /api/contexts/{contextId}/commitments/{commitmentId}} with
 *       {@code {"action": "CONFIRM" | "CORRECT" | "REVOKE", "value": "..."}}</li>
 * </ul>
 * The API takes the token as {@code Authorization: Bearer T}. Runs on Jetty's request threads (blocking allowed).
 */
final class DeskHandler extends Handler.Abstract {

    /** Longest request body accepted by the API. */
    static final int MAX_BODY_CHARS = 4_096;

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final AgentDesktop desk;
    private final DeskPage page;

    DeskHandler(AgentDesktop desk, DeskPage page) {
        this.desk = desk;
        this.page = page;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");

        if (path.startsWith("/api/")) {
            handleApi(request, response, callback, path, method);
            return true;
        }
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            writeText(response, callback, 405, "method not allowed");
            return true;
        }
        if (path.equals("/") || path.equals("/" + DeskPage.INDEX)) {
            if (desk.authenticate(presentedToken(request, true)).isEmpty()) {
                desk.denied("http", "the page");
                writeText(response, callback, 401, "missing or invalid agent token: open the link with ?token= that you were given");
                return true;
            }
            response.getHeaders().put("Content-Security-Policy", CSP);
            writeAsset(response, callback, page.index());
            return true;
        }
        var asset = page.publicAsset(path.substring(1));
        if (asset.isPresent()) {
            writeAsset(response, callback, asset.get());
            return true;
        }
        writeText(response, callback, 404, "not found");
        return true;
    }

    private void handleApi(Request request, Response response, Callback callback, String path, String method) throws Exception {
        var agent = desk.authenticate(presentedToken(request, false));
        if (agent.isEmpty()) {
            desk.denied("http", "the API");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"handoff-desktop\"");
            writeJson(response, callback, DeskResult.error(401, "missing or invalid agent token"));
            return;
        }
        String agentId = agent.get();
        // Jetty hands over the decoded, canonical path (and refuses encoded separators), so no second decoding here
        String[] parts = path.substring("/api/".length()).split("/", -1);
        if (parts.length == 2 && parts[0].equals("tickets") && !parts[1].isEmpty()) {
            if (!HttpMethod.GET.is(method)) {
                writeJson(response, callback, DeskResult.error(405, "use GET to redeem a ticket"));
                return;
            }
            writeJson(response, callback, desk.redeem(agentId, parts[1]));
            return;
        }
        if (parts.length >= 3 && parts[0].equals("contexts") && !parts[1].isEmpty()) {
            if (!HttpMethod.POST.is(method)) {
                writeJson(response, callback, DeskResult.error(405, "use POST for context actions"));
                return;
            }
            if (parts.length == 3 && parts[2].equals("read")) {
                writeJson(response, callback, desk.confirmRead(agentId, parts[1]));
                return;
            }
            if (parts.length == 4 && parts[2].equals("commitments") && !parts[3].isEmpty()) {
                writeJson(response, callback, verify(request, agentId, parts[1], parts[3]));
                return;
            }
        }
        writeJson(response, callback, DeskResult.error(404, "no such API path: " + path));
    }

    private DeskResult verify(Request request, String agentId, String contextId, String commitmentId) throws Exception {
        long declared = request.getLength();
        if (declared > MAX_BODY_CHARS) {
            return DeskResult.error(413, "request body must be at most " + MAX_BODY_CHARS + " characters, had " + declared + " bytes");
        }
        String body = Content.Source.asString(request, StandardCharsets.UTF_8);
        if (body.length() > MAX_BODY_CHARS) {
            return DeskResult.error(413, "request body must be at most " + MAX_BODY_CHARS + " characters, had " + body.length());
        }
        JsonNode node;
        try {
            node = desk.json().read(body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            return DeskResult.error(400, "request body must be a JSON object: " + e.getOriginalMessage());
        }
        if (!node.isObject()) {
            return DeskResult.error(400, "request body must be a JSON object, was " + node.getNodeType());
        }
        JsonNode action = node.get("action");
        Map<String, Commitment.Status> actions = Map.of(
                "CONFIRM", Commitment.Status.CONFIRMED,
                "CORRECT", Commitment.Status.CORRECTED,
                "REVOKE", Commitment.Status.REVOKED);
        Commitment.Status status = action != null && action.isTextual()
                ? actions.get(action.asText().toUpperCase(Locale.ROOT)) : null;
        if (status == null) {
            return DeskResult.error(400, "action must be one of [CONFIRM, CORRECT, REVOKE], was "
                    + (action == null ? "missing" : action.toString()));
        }
        JsonNode value = node.get("value");
        if (value != null && !value.isNull() && !value.isTextual()) {
            return DeskResult.error(400, "value must be a string, was " + value.getNodeType());
        }
        String text = value == null || value.isNull() ? null : value.asText().strip();
        return desk.verifyCommitment(agentId, contextId, commitmentId, status, text);
    }

    /**
     * The token a request presents: {@code Authorization: Bearer T}, or (for the page and the WebSocket upgrade, which
     * a browser cannot give headers) the {@code token} query parameter.
     */
    static String presentedToken(Request request, boolean allowQuery) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).strip();
        }
        if (allowQuery) {
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            return query.getValue("token");
        }
        return null;
    }

    private static void writeAsset(Response response, Callback callback, DeskPage.Asset asset) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        response.write(true, ByteBuffer.wrap(asset.bytes()), callback);
    }

    private static void writeJson(Response response, Callback callback, DeskResult result) {
        response.setStatus(result.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        Content.Sink.write(response, true, result.json(), callback);
    }

    private static void writeText(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, text + "\n", callback);
    }
}
