package dev.handoff.sip.internal;

import dev.handoff.api.TransferResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure SIP text helpers: RFC 3261 escaping of URI parameters and URI headers (JAIN-SIP's {@code SipUri.setHeader}
 * does not escape), RFC 7433 User-to-User values, RFC 3891 Replaces values, RFC 3420 sipfrag parsing and the
 * mapping of a SIP status to a transfer outcome. Thread-safe; holds no state.
 */
public final class SipCodec {

    private static final String UNRESERVED_MARKS = "-_.!~*'()";
    private static final String HNV_UNRESERVED = "[]/?:+$";
    private static final String PARAM_UNRESERVED = "[]/:&+$";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~\\-]+");
    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 ([1-6][0-9]{2})(?: (.*))?");

    private SipCodec() {
    }

    /** A parsed {@code message/sipfrag} status line. */
    public record Sipfrag(int code, String reason) {
        public Sipfrag {
            Objects.requireNonNull(reason, "reason");
        }

        public boolean isFinal() {
            return code >= 200;
        }
    }

    /** Escapes a value for a SIP URI header ({@code ?name=value}), RFC 3261 {@code hvalue}. */
    public static String escapeUriHeaderValue(String value) {
        return escape(value, HNV_UNRESERVED);
    }

    /** Escapes a value for a SIP URI parameter ({@code ;name=value}), RFC 3261 {@code pvalue}. */
    public static String escapeUriParameterValue(String value) {
        return escape(value, PARAM_UNRESERVED);
    }

    private static String escape(String value, String extraAllowed) {
        Objects.requireNonNull(value, "value");
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || UNRESERVED_MARKS.indexOf(c) >= 0 || extraAllowed.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The RFC 7433 {@code User-to-User} header value: upper-case hex of the UTF-8 ticket. */
    public static String userToUser(String ticket, String purpose) {
        return HexFormat.of().withUpperCase().formatHex(ticket.getBytes(StandardCharsets.UTF_8))
                + ";encoding=hex;purpose=" + purpose;
    }

    /** Decodes the data of a {@code User-to-User} value with {@code encoding=hex}; other encodings are returned as is. */
    public static String decodeUserToUser(String headerValue) {
        String[] parts = headerValue.trim().split(";");
        boolean hex = false;
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].trim().equalsIgnoreCase("encoding=hex")) {
                hex = true;
            }
        }
        if (!hex) {
            return parts[0];
        }
        try {
            return new String(HexFormat.of().parseHex(parts[0].trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("User-to-User: expected hex data before ';encoding=hex', was \"" + parts[0] + "\"", e);
        }
    }

    /**
     * The RFC 3891 {@code Replaces} value for the target of a warm transfer. The tags are seen from the target's
     * side: the consult dialog's To-tag (the agent's) goes into {@code to-tag}, its From-tag (ours) into
     * {@code from-tag}.
     */
    public static String replaces(String callId, String consultToTag, String consultFromTag) {
        return callId + ";to-tag=" + consultToTag + ";from-tag=" + consultFromTag;
    }

    /** Whether {@code name} is a valid SIP header name (RFC 3261 token). */
    public static boolean isToken(String name) {
        return name != null && TOKEN.matcher(name).matches();
    }

    /**
     * Parses the status line of a {@code message/sipfrag} body.
     *
     * @throws IllegalArgumentException naming the body when it does not start with {@code SIP/2.0 NNN}
     */
    public static Sipfrag parseSipfrag(byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        String first = text.lines().findFirst().orElse("").trim();
        Matcher m = STATUS_LINE.matcher(first);
        if (!m.matches()) {
            throw new IllegalArgumentException("NOTIFY body: expected a message/sipfrag status line like \"SIP/2.0 200 OK\", was \""
                    + (first.length() > 80 ? first.substring(0, 80) + "..." : first) + "\"");
        }
        return new Sipfrag(Integer.parseInt(m.group(1)), m.group(2) == null ? "" : m.group(2).trim());
    }

    /** How a final non-2xx SIP status ends a transfer attempt. */
    public static Outcome outcomeFor(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.CONNECTED;
        }
        return switch (status) {
            case 486, 600 -> Outcome.BUSY;
            case 408, 480, 487, 504 -> Outcome.TIMED_OUT;
            default -> status >= 500 && status < 600 ? Outcome.FAILED : Outcome.REJECTED;
        };
    }
}
