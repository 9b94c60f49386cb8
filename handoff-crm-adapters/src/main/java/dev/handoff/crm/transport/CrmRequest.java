package dev.handoff.crm.transport;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * One CRM call, before auth, signing and retries are applied.
 *
 * @param method         the HTTP method
 * @param url            the full URL
 * @param jsonBody       nullable; the JSON body (sent as {@code application/json; charset=utf-8})
 * @param idempotencyKey nullable; sent as {@code Idempotency-Key}, the same on every retry
 * @param headers        extra headers
 * @param signer         nullable; computes headers over the body for each attempt (webhook signatures)
 */
public record CrmRequest(String method, HttpUrl url, String jsonBody, String idempotencyKey, Map<String, String> headers,
                         RequestSigner signer) {

    /** Computes per-attempt headers from the exact body bytes (so a timestamp in them is fresh on each retry). */
    @FunctionalInterface
    public interface RequestSigner {
        /**
         * Called on the sending thread right before each attempt.
         *
         * @param body the body bytes about to be sent (empty for a request without a body)
         * @return the headers to add to this attempt
         */
        Map<String, String> sign(byte[] body);
    }

    /**
     * A request as given; {@code headers} is copied (null means none).
     *
     * @throws NullPointerException when {@code method} or {@code url} is null
     */
    public CrmRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * A {@code GET} without a body.
     *
     * @param url the full URL
     * @return the request, without idempotency key, extra headers or signer
     */
    public static CrmRequest get(HttpUrl url) {
        return new CrmRequest("GET", url, null, null, Map.of(), null);
    }

    /**
     * A {@code POST} of a JSON body.
     *
     * @param url  the full URL
     * @param json the body, sent as {@code application/json; charset=utf-8}
     * @return the request, without idempotency key, extra headers or signer
     * @throws NullPointerException when {@code json} is null
     */
    public static CrmRequest post(HttpUrl url, String json) {
        return new CrmRequest("POST", url, Objects.requireNonNull(json, "json"), null, Map.of(), null);
    }

    /**
     * A {@code PATCH} of a JSON body.
     *
     * @param url  the full URL
     * @param json the body, sent as {@code application/json; charset=utf-8}
     * @return the request, without idempotency key, extra headers or signer
     * @throws NullPointerException when {@code json} is null
     */
    public static CrmRequest patch(HttpUrl url, String json) {
        return new CrmRequest("PATCH", url, Objects.requireNonNull(json, "json"), null, Map.of(), null);
    }

    /**
     * A {@code PUT} of a JSON body.
     *
     * @param url  the full URL
     * @param json the body, sent as {@code application/json; charset=utf-8}
     * @return the request, without idempotency key, extra headers or signer
     * @throws NullPointerException when {@code json} is null
     */
    public static CrmRequest put(HttpUrl url, String json) {
        return new CrmRequest("PUT", url, Objects.requireNonNull(json, "json"), null, Map.of(), null);
    }

    /**
     * This request with an {@code Idempotency-Key} header, sent unchanged on every retry so the CRM can drop a
     * duplicate.
     *
     * @param key the key
     * @return a new request; this one is unchanged
     */
    public CrmRequest withIdempotencyKey(String key) {
        return new CrmRequest(method, url, jsonBody, Objects.requireNonNull(key, "key"), headers, signer);
    }

    /**
     * This request with one more header (replacing a header of the same name given before).
     *
     * @param name  the header name
     * @param value the header value
     * @return a new request; this one is unchanged
     */
    public CrmRequest withHeader(String name, String value) {
        var copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new CrmRequest(method, url, jsonBody, idempotencyKey, copy, signer);
    }

    /**
     * This request with a signer that computes headers over the exact body bytes before each attempt.
     *
     * @param value the signer
     * @return a new request; this one is unchanged
     */
    public CrmRequest withSigner(RequestSigner value) {
        return new CrmRequest(method, url, jsonBody, idempotencyKey, headers, Objects.requireNonNull(value, "signer"));
    }

    /** The body as UTF-8 bytes, or null. */
    byte[] bodyBytes() {
        return jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8);
    }

    /** Method and path, never the query (it may carry a customer's e-mail address). */
    public String describe() {
        return method + " " + url.encodedPath();
    }
}
