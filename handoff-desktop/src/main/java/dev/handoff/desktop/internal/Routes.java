package dev.handoff.desktop.internal;

import dev.handoff.api.spi.AuditRecord.Action;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * The HTTP side. Every request first passes the {@link Gate} (host, origin for state changes, no credential in the
 * URL); then the public files and sign-in, then everything that needs a session:
 *
 * <ul>
 *   <li>{@code GET /signin}, {@code GET /desk.css}, {@code /common.js}, {@code /desk.js}, {@code /signin.js},
 *       {@code /wallboard.js}: public, hold no data</li>
 *   <li>{@code POST /api/session} {@code {"credential": "..."}}: sign in; sets the session cookie</li>
 *   <li>{@code GET /} the desk, {@code GET /wallboard} the wallboard (supervisors): 303 to {@code /signin} without a session</li>
 *   <li>{@code GET /api/session}; {@code POST /api/session/activity} ("I'm still here"); {@code POST /api/session/sign-out}</li>
 *   <li>{@code POST /api/handoffs/{contextId}/open}, {@code .../read}, {@code .../messages} {@code {"text"}},
 *       {@code .../hand-back} {@code {"note"}}, {@code .../commitments/{id}} {@code {"action", "value"}},
 *       {@code .../feedback} (see {@code FeedbackRequest})</li>
 *   <li>{@code POST /api/offers/{offerId}/accept}, {@code .../decline}</li>
 *   <li>{@code GET /api/wallboard}, {@code GET /api/wallboard/kpis?window=hour|day},
 *       {@code GET /api/wallboard/export.csv?window=hour|day} (supervisors)</li>
 * </ul>
 * Every POST with a session counts as the person acting (the idle clock restarts); GETs and the socket never do.
 * Runs on Jetty's request threads.
 */
final class Routes extends Handler.Abstract {

    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final Desk desk;
    private final Api api;
    private final Assets assets;
    private final Gate gate;
    private final boolean tls;

    Routes(Desk desk, Api api, Assets assets, Gate gate, boolean tls) {
        this.desk = desk;
        this.api = api;
        this.assets = assets;
        this.gate = gate;
        this.tls = tls;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        var h = response.getHeaders();
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        if (tls) {
            h.put("Strict-Transport-Security", "max-age=31536000");
        }
        String address = Gate.clientAddress(request);
        if (!gate.hostAllowed(request)) {
            writeText(response, callback, 421, "this desktop does not answer for that host name");
            return true;
        }
        DeskSession session = session(request);
        String actor = session == null ? "anonymous" : session.agent().id();
        String credential = Gate.credentialInUrl(request);
        if (credential != null) {
            desk.audit().record(actor, Action.DESK_ACCESS_DENIED, null, null, "400:credential_in_url", address);
            writeJson(response, callback, DeskResult.error(400, "credentials are never accepted in a URL (parameter \"" + credential
                    + "\"); sign in at /signin"));
            return true;
        }
        boolean changes = !HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method);
        if ((changes || path.startsWith("/ws")) && !gate.originAllowed(request)) {
            desk.audit().record(actor, Action.DESK_ACCESS_DENIED, null, null, "403:origin", address);
            writeJson(response, callback, DeskResult.error(403, "requests that change something must come from the desktop's own pages"));
            return true;
        }
        if (!changes) {
            if (path.equals("/signin")) {
                writePage(response, callback, assets.page(Assets.SIGN_IN));
                return true;
            }
            var asset = assets.publicAsset(path.substring(1));
            if (asset.isPresent()) {
                writeAsset(response, callback, asset.get());
                return true;
            }
        }
        if (path.equals("/api/session") && HttpMethod.POST.is(method)) {
            String body = body(request, response, callback);
            if (body != null) {
                writeJson(response, callback, api.signIn(address, body));
            }
            return true;
        }
        if (path.equals("/") || path.equals("/wallboard")) {
            if (changes) {
                writeText(response, callback, 405, "method not allowed");
            } else if (session == null) {
                Response.sendRedirect(request, response, callback, 303, "/signin", true);
            } else if (path.equals("/wallboard") && !session.agent().isSupervisor()) {
                desk.audit().record(actor, Action.DESK_ACCESS_DENIED, null, null, "403:wallboard", address);
                writeText(response, callback, 403, "the wallboard is for supervisors");
            } else {
                writePage(response, callback, assets.page(path.equals("/") ? Assets.DESK : Assets.WALLBOARD));
            }
            return true;
        }
        if (path.startsWith("/api/")) {
            if (session == null) {
                desk.audit().record("anonymous", Action.DESK_ACCESS_DENIED, null, null, "401:api", address);
                writeJson(response, callback, DeskResult.error(401, "sign in first"));
                return true;
            }
            String body = "";
            if (changes) {
                body = body(request, response, callback);
                if (body == null) {
                    return true;
                }
                if (!path.equals("/api/session/sign-out")) {
                    desk.acted(session);
                }
            }
            DeskResult result = route(session, address, method, path, body, request);
            if (path.equals("/api/wallboard/export.csv") && result.status() == 200) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/csv; charset=utf-8");
                response.getHeaders().put("Content-Disposition", "attachment; filename=\"handoff-wallboard.csv\"");
                Content.Sink.write(response, true, result.json(), callback);
            } else {
                writeJson(response, callback, result);
            }
            return true;
        }
        writeText(response, callback, 404, "not found");
        return true;
    }

    private DeskResult route(DeskSession s, String address, String method, String path, String body, Request request) {
        // Jetty hands over the decoded, canonical path and refuses encoded separators: no second decoding here
        String[] p = path.substring("/api/".length()).split("/", -1);
        boolean post = HttpMethod.POST.is(method);
        boolean get = HttpMethod.GET.is(method);
        if (p.length == 1 && p[0].equals("session") && get) {
            return api.session(s);
        }
        if (p.length == 2 && p[0].equals("session") && post) {
            return switch (p[1]) {
                case "activity" -> api.activity(s);
                case "sign-out" -> api.signOut(s);
                default -> DeskResult.error(404, "no such API path");
            };
        }
        if (p.length >= 3 && p[0].equals("handoffs") && !p[1].isEmpty()) {
            if (!post) {
                return DeskResult.error(405, "use POST");
            }
            String contextId = p[1];
            if (p.length == 3) {
                return switch (p[2]) {
                    case "open" -> api.open(s, address, contextId);
                    case "read" -> api.read(s, address, contextId);
                    case "messages" -> api.send(s, address, contextId, body);
                    case "hand-back" -> api.handBack(s, address, contextId, body);
                    case "feedback" -> api.feedback(s, address, contextId, body);
                    default -> DeskResult.error(404, "no such API path");
                };
            }
            if (p.length == 4 && p[2].equals("commitments") && !p[3].isEmpty()) {
                return api.verify(s, address, contextId, p[3], body);
            }
        }
        if (p.length == 3 && p[0].equals("offers") && !p[1].isEmpty()) {
            if (!post) {
                return DeskResult.error(405, "use POST");
            }
            return switch (p[2]) {
                case "accept" -> api.accept(s, address, p[1]);
                case "decline" -> api.decline(s, address, p[1]);
                default -> DeskResult.error(404, "no such API path");
            };
        }
        if (p[0].equals("wallboard") && get) {
            String window = Request.extractQueryParameters(request, StandardCharsets.UTF_8).getValue("window");
            if (p.length == 1) {
                return api.board(s, address);
            }
            if (p.length == 2 && p[1].equals("kpis")) {
                return api.kpis(s, address, window);
            }
            if (p.length == 2 && p[1].equals("export.csv")) {
                return api.csv(s, address, window);
            }
        }
        return DeskResult.error(404, "no such API path");
    }

    /** The session the cookie names, if it is live. */
    DeskSession session(Request request) {
        String name = desk.sessions().name();
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name)) {
                return desk.sessions().find(c.getValue()).orElse(null);
            }
        }
        return null;
    }

    /** The body as text, or null after answering 411/413/415 (bodies are small JSON with a declared length). */
    private String body(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        if (length < 0) {
            writeJson(response, callback, DeskResult.error(411, "send a Content-Length"));
            return null;
        }
        if (length > Api.MAX_BODY_CHARS) {
            writeJson(response, callback, DeskResult.error(413, "the body must be at most " + Api.MAX_BODY_CHARS + " bytes"));
            return null;
        }
        if (length == 0) {
            return "";
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            writeJson(response, callback, DeskResult.error(415, "the body must be application/json"));
            return null;
        }
        return Content.Source.asString(request, StandardCharsets.UTF_8);
    }

    private void writePage(Response response, Callback callback, Assets.Asset page) {
        response.getHeaders().put("Content-Security-Policy", CSP);
        writeAsset(response, callback, page);
    }

    private static void writeAsset(Response response, Callback callback, Assets.Asset asset) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.contentType());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
        response.write(true, ByteBuffer.wrap(asset.bytes()), callback);
    }

    private static void writeJson(Response response, Callback callback, DeskResult result) {
        response.setStatus(result.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        for (Map.Entry<String, String> e : result.headers().entrySet()) {
            response.getHeaders().add(e.getKey(), e.getValue());
        }
        Content.Sink.write(response, true, result.json(), callback);
    }

    private static void writeText(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, text + "\n", callback);
    }

    /**
     * The WebSocket upgrade ({@code /ws} for the desk, {@code /ws/board} for supervisors): an allowed host and origin,
     * no credential in the URL, a live session cookie; otherwise refused before any socket exists.
     */
    static final class Sockets implements WebSocketCreator {

        private final Desk desk;
        private final Routes routes;
        private final Gate gate;
        private final DeskSocket.Kind kind;

        Sockets(Desk desk, Routes routes, Gate gate, DeskSocket.Kind kind) {
            this.desk = desk;
            this.routes = routes;
            this.gate = gate;
            this.kind = kind;
        }

        @Override
        public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            String address = Gate.clientAddress(request);
            DeskSession s = gate.hostAllowed(request) ? routes.session(request) : null;
            String actor = s == null ? "anonymous" : s.agent().id();
            String why = !gate.hostAllowed(request) ? "421:host"
                    : Gate.credentialInUrl(request) != null ? "400:credential_in_url"
                    : !gate.originAllowed(request) ? "403:origin"
                    : s == null ? "401:socket"
                    : kind == DeskSocket.Kind.BOARD && !s.agent().isSupervisor() ? "403:board" : null;
            if (why != null) {
                desk.audit().record(actor, Action.DESK_ACCESS_DENIED, null, null, why, address);
                Response.writeError(request, response, callback, Integer.parseInt(why.substring(0, 3)), "refused");
                return null;
            }
            return new DeskSocket(desk, s, kind, address);
        }
    }
}
