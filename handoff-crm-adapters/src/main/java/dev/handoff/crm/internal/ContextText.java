package dev.handoff.crm.internal;

import dev.handoff.api.Commitment;
import dev.handoff.api.Reason;
import dev.handoff.api.Turn;
import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.context.SemanticLedger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** Renders a handoff context as the plain text an agent reads in a CRM note, case or ticket. */
public final class ContextText {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private ContextText() {
    }

    /** A one-line subject: the customer's goal, cut to {@code max} characters. */
    public static String subject(HandoffContext c, int max) {
        return cut("AI handoff: " + c.whisper().goal(), max);
    }

    /** Whisper first (what to read before speaking), then reasons, BANT, commitments and the full transcript. */
    public static String body(HandoffContext c) {
        StringBuilder b = new StringBuilder();
        b.append("Goal: ").append(c.whisper().goal()).append('\n');
        b.append("Obstacle: ").append(c.whisper().obstacle()).append('\n');
        b.append("Sentiment: ").append(c.whisper().sentiment()).append('\n');
        b.append("Suggested opening: ").append(c.whisper().suggestedOpening()).append('\n');
        b.append("Dashboard: ").append(c.sentiment().label()).append('\n');
        b.append("Priority: ").append(c.metadata().priority()).append(" (").append(c.metadata().action()).append(")\n");
        if (!c.metadata().triggerReasons().isEmpty()) {
            b.append("Why: ").append(c.metadata().triggerReasons().stream().map(Reason::detail).collect(Collectors.joining("; ")))
                    .append('\n');
        }
        SemanticLedger.Bant bant = c.semanticLedger().bant();
        if (bant.budget() != null || bant.authority() != null || bant.need() != null || bant.timeline() != null) {
            b.append("BANT: budget=").append(bant.budget() == null ? "?" : bant.budget().text())
                    .append(", authority=").append(bant.authority() == null ? "?" : bant.authority())
                    .append(", need=").append(bant.need() == null ? "?" : bant.need())
                    .append(", timeline=").append(bant.timeline() == null ? "?" : bant.timeline()).append('\n');
        }
        if (!c.semanticLedger().painPoints().isEmpty()) {
            b.append("Pain points: ").append(String.join("; ", c.semanticLedger().painPoints())).append('\n');
        }
        if (!c.commitments().isEmpty()) {
            b.append("AI commitments to verify:\n");
            for (Commitment k : c.commitments()) {
                b.append("  - ").append(commitmentLine(k)).append('\n');
            }
        }
        b.append("Session: ").append(c.sessionId()).append(", context ").append(c.contextId()).append('\n');
        b.append("\nTranscript:\n");
        for (Turn t : c.transcript()) {
            b.append('[').append(TIME.format(t.timestamp())).append("] ").append(t.speaker()).append(": ").append(t.text())
                    .append('\n');
        }
        if (c.inFlight() != null) {
            b.append("[in flight] ").append(c.inFlight().speaker()).append(": ").append(c.inFlight().text()).append('\n');
        }
        return b.toString();
    }

    /** {@code HARD DISCOUNT 15%: "I've applied a 15% discount" (turn 3, PENDING_VERIFICATION)}. */
    public static String commitmentLine(Commitment k) {
        return k.strength() + " " + k.kind() + (k.value() == null ? "" : " " + k.value()) + ": \"" + k.text() + "\" (turn "
                + k.turnIndex() + ", " + k.status() + ")";
    }

    /** The subject of a commitment's verification task. */
    public static String commitmentSubject(Commitment k, int max) {
        return cut("Verify AI commitment: " + k.kind() + (k.value() == null ? "" : " " + k.value()), max);
    }

    /** The body of a commitment's verification task. */
    public static String commitmentBody(HandoffContext c, Commitment k) {
        return "The AI " + (k.strength() == Commitment.Strength.HARD ? "promised" : "implied") + ": \"" + k.text() + "\"\n"
                + "Kind: " + k.kind() + (k.value() == null ? "" : ", value: " + k.value()) + "\n"
                + "Said at turn " + k.turnIndex() + " of session " + c.sessionId() + " (context " + c.contextId() + ").\n"
                + "Confirm, correct or revoke it with the customer in the first minute.";
    }

    /** Escapes text for HTML and keeps its line breaks. */
    public static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("\n", "<br>");
    }

    public static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 3)) + "...";
    }
}
