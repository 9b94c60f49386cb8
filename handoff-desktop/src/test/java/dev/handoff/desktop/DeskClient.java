package dev.handoff.desktop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A scripted person at the desktop, over OkHttp: signs in (the cookie lands in its own jar), calls the API with the
 * desktop's origin as a browser would, and listens on a socket.
 */
final class DeskClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final MediaType JSON_TYPE = MediaType.get("application/json");

    /** An answer. */
    record Answer(int status, String body, okhttp3.Headers headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }
    }

    final URI base;
    final String origin;
    final List<Cookie> cookies = new CopyOnWriteArrayList<>();
    final OkHttpClient http;
    private final List<Socket> sockets = new ArrayList<>();

    DeskClient(URI base) {
        this.base = base;
        this.origin = base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
        this.http = new OkHttpClient.Builder()
                .cookieJar(new CookieJar() {
                    @Override
                    public void saveFromResponse(HttpUrl url, List<Cookie> list) {
                        list.forEach(c -> {
                            cookies.removeIf(old -> old.name().equals(c.name()));
                            if (c.expiresAt() > System.currentTimeMillis()) {
                                cookies.add(c);
                            }
                        });
                    }

                    @Override
                    public List<Cookie> loadForRequest(HttpUrl url) {
                        return List.copyOf(cookies);
                    }
                })
                .followRedirects(false)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(20))
                .build();
    }

    static DeskClient signedIn(AgentDesktop desk, String token) {
        DeskClient c = new DeskClient(desk.baseUri());
        Answer a = c.post("/api/session", "{\"credential\":\"" + token + "\"}");
        if (a.status() != 200) {
            throw new AssertionError("sign-in answered " + a.status() + ": " + a.body());
        }
        return c;
    }

    Answer get(String path) {
        return call(new Request.Builder().url(base.resolve(path).toString()).get().header("Origin", origin));
    }

    Answer post(String path, String json) {
        return call(new Request.Builder().url(base.resolve(path).toString())
                .post(RequestBody.create(json == null ? "" : json, JSON_TYPE)).header("Origin", origin));
    }

    Answer post(String path) {
        return post(path, null);
    }

    Answer call(Request.Builder request) {
        try (Response r = http.newCall(request.build()).execute()) {
            return new Answer(r.code(), r.body() == null ? "" : r.body().string(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a socket from the desktop's origin ({@code /ws} or {@code /ws/board}). */
    Socket socket(String path) {
        return socket(path, Map.of("Origin", origin));
    }

    Socket socket(String path, Map<String, String> headers) {
        Request.Builder b = new Request.Builder().url(base.resolve(path).toString().replaceFirst("^http", "ws"));
        headers.forEach(b::header);
        Socket s = new Socket();
        http.newWebSocket(b.build(), s);
        sockets.add(s);
        return s;
    }

    @Override
    public void close() {
        sockets.forEach(s -> {
            if (s.ws.isDone() && !s.ws.isCompletedExceptionally()) {
                s.ws.join().cancel();
            }
        });
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Collects a socket's messages. */
    static final class Socket extends WebSocketListener {

        final CompletableFuture<WebSocket> ws = new CompletableFuture<>();
        final CompletableFuture<Integer> refused = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final List<JsonNode> seen = new CopyOnWriteArrayList<>();

        @Override
        public void onOpen(WebSocket webSocket, Response response) {
            ws.complete(webSocket);
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            try {
                JsonNode n = JSON.readTree(text);
                seen.add(n);
                messages.add(n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closed.complete(code);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            closed.complete(code);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            refused.complete(response == null ? -1 : response.code());
            closed.complete(-1);
            ws.completeExceptionally(t);
        }

        /** The next message matching, failing the test when none comes within 10 s. */
        JsonNode next(Predicate<JsonNode> which) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode n = left <= 0 ? null : messages.poll(left, TimeUnit.NANOSECONDS);
                if (n == null) {
                    throw new AssertionError("no matching socket message within 10 s; seen: " + seen);
                }
                if (which.test(n)) {
                    return n;
                }
            }
        }

        JsonNode next(String type) throws InterruptedException {
            return next(n -> type.equals(n.path("type").asText()));
        }

        /** Every message so far that mentions this text anywhere. */
        List<JsonNode> mentioning(String text) {
            return seen.stream().filter(n -> n.toString().contains(text)).toList();
        }
    }
}
