package dev.handoff.postgres.internal;

import java.util.regex.Pattern;

/** Validation of the short codes and ids the stores accept, and cleaning of text bound for messages. */
public final class Texts {

    /** Tenant ids, actors, agent ids, outcome codes: the alphabet of {@code AuditRecord}'s codes. */
    public static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");

    private Texts() {
    }

    /** Text for an exception message: control characters become spaces, at most {@code max} characters. */
    public static String clean(String s, int max) {
        if (s == null) {
            return "(no message)";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return s.length() > max ? b.append('…').toString() : b.toString();
    }

    /**
     * @throws IllegalArgumentException naming the field and the (cleaned) value when it is not a code
     */
    public static String requireCode(String field, String value) {
        if (value == null || !CODE.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be 1-64 characters of [A-Za-z0-9_.:-], was "
                    + (value == null ? "null" : "\"" + clean(value, 80) + "\""));
        }
        return value;
    }
}
