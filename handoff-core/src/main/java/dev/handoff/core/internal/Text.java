package dev.handoff.core.internal;

/** Small text helpers shared by the default implementations. */
public final class Text {

    private Text() {
    }

    /**
     * Text that came from outside (a ticket, a key id, a document value) made safe for an exception message or a
     * log: control and format characters (CR, LF, NUL, bidi overrides, line separators) removed, at most 80
     * characters.
     */
    public static String safe(Object value) {
        if (value == null) {
            return "null";
        }
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(Math.min(s.length(), 81));
        for (int i = 0; i < s.length() && b.length() < 80; ) {
            int cp = s.codePointAt(i);
            int type = Character.getType(cp);
            if (type != Character.CONTROL && type != Character.FORMAT && type != Character.LINE_SEPARATOR
                    && type != Character.PARAGRAPH_SEPARATOR && type != Character.SURROGATE && type != Character.UNASSIGNED) {
                b.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return b.length() >= 80 && s.length() > 80 ? b + "…" : b.toString();
    }

    /** Shortens to at most {@code max} characters, adding an ellipsis when cut. */
    public static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        return t.length() <= max ? t : t.substring(0, Math.max(0, max - 1)).stripTrailing() + "…";
    }
}
