package dev.handoff.crm.transport;

import dev.handoff.api.NonRetriableHandoffException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link CrmHttpClient} reads a CRM's answer: a body within the size limit, the error code at the start of an
 * error body, {@code Retry-After}, and a short description of a failed connection.
 */
final class CrmAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(CrmHttpClient.class);
    private static final int MAX_ERROR_BODY = 8 * 1024;
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z_.\\-]{1,63}");
    private static final com.fasterxml.jackson.databind.ObjectMapper ERRORS = new com.fasterxml.jackson.databind.ObjectMapper();

    private final String system;
    private final Clock clock;
    private final int maxResponseBytes;

    CrmAnswers(String system, Clock clock, int maxResponseBytes) {
        this.system = system;
        this.clock = clock;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** The body of a 2xx answer, refused when it is larger than {@code maxResponseBytes} (never read whole first). */
    String readBody(Response response, CrmRequest request) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return "";
        }
        if (body.contentLength() > maxResponseBytes) {
            throw tooLarge(request);
        }
        byte[] bytes;
        try (java.io.InputStream in = body.byteStream()) {
            bytes = in.readNBytes(maxResponseBytes + 1);
        }
        if (bytes.length > maxResponseBytes) {
            throw tooLarge(request);
        }
        MediaType type = body.contentType();
        java.nio.charset.Charset charset = type == null ? null : type.charset();
        return new String(bytes, charset == null ? java.nio.charset.StandardCharsets.UTF_8 : charset);
    }

    NonRetriableHandoffException tooLarge(CrmRequest request) {
        return new NonRetriableHandoffException(system + " " + request.describe() + " answered with more than " + maxResponseBytes
                + " bytes; the limit is maxResponseBytes");
    }

    /** The CRM's error code from the start of an error answer, when it is a plain token; otherwise null. */
    static String errorCode(Response response) {
        ResponseBody body = response.body();
        if (body == null) {
            return null;
        }
        try {
            byte[] head;
            try (java.io.InputStream in = body.byteStream()) {
                head = in.readNBytes(MAX_ERROR_BODY);
            }
            com.fasterxml.jackson.databind.JsonNode node = ERRORS.readTree(head);
            if (node != null && node.isArray() && node.size() > 0) {
                node = node.get(0);
            }
            if (node == null || !node.isObject()) {
                return null;
            }
            for (String field : new String[] {"errorCode", "error_code", "code", "category", "error", "type"}) {
                com.fasterxml.jackson.databind.JsonNode v = node.get(field);
                if (v != null && v.isTextual() && CODE.matcher(v.textValue()).matches()) {
                    return v.textValue();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // not JSON, cut off, or unreadable: no code
        }
    }

    /**
     * Reads {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 section 10.2.3), measured on the clock.
     * Returns null when absent or unreadable.
     */
    Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                LOG.debug("{} sent an unreadable Retry-After \"{}\"; using back-off", system, v);
                return null;
            }
        }
    }

    static String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "read timed out (" + e.getMessage() + ")";
        }
        if (e instanceof InterruptedIOException) {
            return "call timed out (" + e.getMessage() + ")";
        }
        if (e instanceof ConnectException) {
            return "could not connect (" + e.getMessage() + ")";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host (" + e.getMessage() + ")";
        }
        return "connection lost (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
    }
}
