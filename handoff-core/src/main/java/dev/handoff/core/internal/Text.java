package dev.handoff.core.internal;

/** Small text helpers shared by the default implementations. */
public final class Text {

    private Text() {
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
