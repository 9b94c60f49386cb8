package dev.handoff.examples.phone;

import dev.handoff.api.HandoffPhase;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The readable timeline of a voice demo: what the phones did ({@link PhoneLog}), what Handoff published
 * ({@link HandoffListener}) and the demo's own notes, in the order they happened, plus the latency of each
 * handoff phase (the time between consecutive {@link HandoffEvent.PhaseChanged} events).
 *
 * <p>Thread-safe: phones, Handoff's workers and the demo's thread all write to it.
 */
public final class VoiceTimeline implements HandoffListener, PhoneLog {

    /** One line of the timeline. */
    public record Entry(Instant at, long sequence, String who, String what) {
        public Entry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(who, "who");
            Objects.requireNonNull(what, "what");
        }
    }

    /** One phase change and how long the previous phase took. */
    public record PhaseStep(HandoffPhase from, HandoffPhase to, Duration took) {
    }

    private final Clock clock;
    private final String customerLabel;
    private final AtomicLong sequence = new AtomicLong();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final List<HandoffEvent> events = new CopyOnWriteArrayList<>();
    private final List<HandoffEvent.PhaseChanged> phases = new CopyOnWriteArrayList<>();

    /**
     * @param clock         the same clock Handoff uses, so that every line is on one time axis
     * @param customerLabel how the customer's turns are labelled ({@code caller}, {@code buyer})
     */
    public VoiceTimeline(Clock clock, String customerLabel) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.customerLabel = Objects.requireNonNull(customerLabel, "customerLabel");
    }

    /** Adds a line of the demo's own. */
    public void note(String who, String what) {
        entries.add(new Entry(clock.instant(), sequence.incrementAndGet(), who, what));
    }

    @Override
    public void line(String phone, String line) {
        note(phone, line);
    }

    @Override
    public void onEvent(HandoffEvent event) {
        events.add(event);
        if (event instanceof HandoffEvent.PhaseChanged p) {
            phases.add(p);
        }
        String what = describe(event);
        if (what != null) {
            entries.add(new Entry(event.at(), sequence.incrementAndGet(), who(event), what));
        }
    }

    /** Every Handoff event received, in order of arrival. */
    public List<HandoffEvent> events() {
        return List.copyOf(events);
    }

    /** Every line, ordered by time. */
    public List<Entry> entries() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::at).thenComparingLong(Entry::sequence));
        return sorted;
    }

    /** The phase changes of the handoff, each with the time spent in the phase before it. */
    public List<PhaseStep> phaseSteps() {
        List<HandoffEvent.PhaseChanged> sorted = new ArrayList<>(phases);
        sorted.sort(Comparator.comparingLong(HandoffEvent.PhaseChanged::sequence));
        List<PhaseStep> steps = new ArrayList<>();
        for (int i = 1; i < sorted.size(); i++) {
            steps.add(new PhaseStep(sorted.get(i - 1).phase(), sorted.get(i).phase(),
                    Duration.between(sorted.get(i - 1).at(), sorted.get(i).at())));
        }
        return steps;
    }

    /** Prints the timeline, milliseconds since {@code origin}. */
    public void print(PrintStream out, Instant origin) {
        out.println("Timeline (ms since the caller dialled):");
        for (Entry e : entries()) {
            out.printf(Locale.ROOT, "  %+8.1f ms  %-20s %s%n", Duration.between(origin, e.at()).toNanos() / 1e6, e.who(), e.what());
        }
    }

    /** Prints the per-phase latencies and the total from the first to the last phase. */
    public void printPhaseLatencies(PrintStream out) {
        List<PhaseStep> steps = phaseSteps();
        out.println("Per-phase latency:");
        Duration total = Duration.ZERO;
        for (PhaseStep s : steps) {
            out.printf(Locale.ROOT, "  %-15s -> %-15s %8.1f ms%n", s.from(), s.to(), s.took().toNanos() / 1e6);
            total = total.plus(s.took());
        }
        if (!steps.isEmpty()) {
            out.printf(Locale.ROOT, "  %-34s %8.1f ms%n", steps.get(0).from() + " -> " + steps.get(steps.size() - 1).to() + " total",
                    total.toNanos() / 1e6);
        }
    }

    private String who(HandoffEvent e) {
        if (e instanceof HandoffEvent.TurnRecorded t) {
            return switch (t.turn().speaker()) {
                case AI -> "AI";
                case CUSTOMER -> customerLabel;
                default -> t.turn().speaker().name().toLowerCase(Locale.ROOT);
            };
        }
        if (e instanceof HandoffEvent.BridgeMessage || e instanceof HandoffEvent.ReturnedToBot) {
            return "AI (bridge)";
        }
        if (e instanceof HandoffEvent.PhaseChanged) {
            return "phase";
        }
        return "handoff";
    }

    private static String describe(HandoffEvent e) {
        if (e instanceof HandoffEvent.TurnRecorded t) {
            return "\"" + t.turn().text() + "\"";
        }
        if (e instanceof HandoffEvent.PhaseChanged p) {
            return "=> " + p.phase();
        }
        if (e instanceof HandoffEvent.HandoffRequested h) {
            return "trigger: " + h.decision().action() + " " + h.decision().priority() + " "
                    + h.decision().reasons().stream().map(r -> r.ruleId() + " (" + r.detail() + ")").toList();
        }
        if (e instanceof HandoffEvent.ContextPackaged p) {
            return "context " + p.contextId() + " packaged, signed and stored (" + p.bytes() + " bytes)";
        }
        if (e instanceof HandoffEvent.RouteSelected r) {
            return "route " + r.route().targets().stream().map(t -> t.id()).toList() + ": " + r.route().reason();
        }
        if (e instanceof HandoffEvent.PreflightChecked p) {
            return "preflight " + p.target().id() + " " + (p.result().ok() ? "ok" : "FAILED") + " (" + p.result().detail() + ")";
        }
        if (e instanceof HandoffEvent.AgentNotified a) {
            return "agent desktop notified for " + a.target().id() + " (whisper first)";
        }
        if (e instanceof HandoffEvent.ContextRead r) {
            return r.agentId() + " pressed \"I've read it\" on the desktop";
        }
        if (e instanceof HandoffEvent.TransferStarted t) {
            return t.mode() + " transfer to " + t.target().id() + " <" + t.target().address() + ">";
        }
        if (e instanceof HandoffEvent.TransferProgress p) {
            return "SIP " + (p.code() == 0 ? "" : p.code() + " ") + p.detail();
        }
        if (e instanceof HandoffEvent.TransferFailed f) {
            return "attempt to " + f.result().target().id() + " failed: " + f.result().outcome() + " - " + f.result().detail()
                    + (f.nextTarget() == null ? "; no target left" : "; next: " + f.nextTarget().id());
        }
        if (e instanceof HandoffEvent.HandoffCompleted c) {
            return "CONNECTED to " + c.result().target().id() + " (" + c.result().mode() + "); the bot goes silent";
        }
        if (e instanceof HandoffEvent.ReturnedToBot r) {
            return "resumes: \"" + r.summaryForBot() + "\" (" + r.reason() + ")";
        }
        if (e instanceof HandoffEvent.BridgeMessage b) {
            return "\"" + b.text() + "\"";
        }
        if (e instanceof HandoffEvent.CommitmentUpdated c) {
            return "commitment " + c.commitment().id() + " " + c.commitment().kind() + " " + c.commitment().value() + " -> "
                    + c.commitment().status() + (c.commitment().verifiedBy() == null ? "" : " by " + c.commitment().verifiedBy());
        }
        if (e instanceof HandoffEvent.CommitmentOverdue o) {
            return o.pending().size() + " commitment(s) still unverified at the deadline " + o.deadline();
        }
        if (e instanceof HandoffEvent.SessionEnded s) {
            return "session ended: " + s.reason();
        }
        return e.getClass().getSimpleName();
    }
}
