package dev.handoff.desktop.internal;

import java.util.Map;

/**
 * What an API call answers: an HTTP status, a JSON body and extra headers.
 *
 * @param status  HTTP status
 * @param json    the body ({@code {"error": ...}} for failures)
 * @param headers extra response headers ({@code Set-Cookie}, {@code Retry-After})
 */
record DeskResult(int status, String json, Map<String, String> headers) {

    DeskResult {
        headers = Map.copyOf(headers);
    }

    static DeskResult ok(String json) {
        return new DeskResult(200, json, Map.of());
    }

    static DeskResult error(int status, String message) {
        return new DeskResult(status, DeskJson.errorBody(message), Map.of());
    }

    DeskResult with(String header, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(header, value);
        return new DeskResult(status, json, h);
    }
}
