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

    /** Lower-case hex of the UTF-8 bytes of {@code text} (RFC 7433 allows either case; gateways expect lower). */
    public static String hexLower(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes hex (either case) into UTF-8 text.
     *
     * @throws IllegalArgumentException when {@code hex} is not an even number of hex digits
     */
    public static String unhex(String hex) {
        try {
            return new String(HexFormat.of().parseHex(hex.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected hex data, was \"" + printable(hex) + "\"", e);
        }
    }

    /**
     * Undoes RFC 3261 {@code %HH} escaping.
     *
     * @throws IllegalArgumentException when a {@code %} is not followed by two hex digits
     */
    public static String unescape(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new IllegalArgumentException("bad escape in \"" + printable(value) + "\"");
                }
                int hi = Character.digit(value.charAt(i + 1), 16);
                int lo = Character.digit(value.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("bad escape in \"" + printable(value) + "\"");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code text} with control characters replaced by {@code ?} and cut to 80 characters, for error messages. */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
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
