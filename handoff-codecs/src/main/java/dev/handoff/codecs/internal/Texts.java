package dev.handoff.codecs.internal;

/** Text helpers for payloads and error messages. */
public final class Texts {

    private Texts() {
    }

    /** Control characters (line breaks included) become spaces, runs of spaces one space. */
    public static String singleLine(String s) {
        return s.replaceAll("\\p{Cntrl}+", " ").replaceAll(" {2,}", " ").strip();
    }

    /**
     * Text a platform sent, made safe for an exception message or a log line: control characters removed and at
     * most 120 characters.
     */
    public static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.replaceAll("\\p{Cntrl}", "");
        return t.length() <= 120 ? t : t.substring(0, 119) + "…";
    }
}
