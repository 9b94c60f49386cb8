package dev.handoff.examples.cluster;

import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One timeline for both instances of the two-instance demo: what instance {@code a} published (its
 * {@link HandoffEvent}s), what instance {@code b} audited (its desktop's and core's {@link AuditRecord}s, on their way
 * to the shared audit table) and what the agent on {@code b} did, merged in the order they happened.
 *
 * <p>Both instances run in one JVM and read one clock ({@link Clock#systemUTC()} unless told otherwise), so their
 * times are on one axis. Thread-safe: Handoff's workers, the desktop's request threads and the agent's thread all
 * write to it.
 */
public final class ClusterTimeline {

    /** The steps a reader looks for; {@link #OTHER} for every other line. */
    public enum Step {
        /** a: the trigger fired. */
        TRIGGER,
        /** a: the context was packaged, signed and stored. */
        PACKAGED,
        /** a: the chat was offered to the shared queue (an offers row). */
        OFFERED,
        /** b: the agent there saw the offer. */
        OFFER_SEEN,
        /** b: the context was redeemed with the offer's ticket. */
        REDEEMED,
        /** b: the agent accepted. */
        ACCEPTED,
        /** a: the handoff ended CONNECTED. */
        CONNECTED,
        /** a: the handoff ended with the customer back with the bot. */
        RETURNED,
        /** b: the agent wrote to the customer (the action travels to a through PostgreSQL). */
        AGENT_WROTE,
        /** a: the bot host there got the agent's message for the customer's chat. */
        DELIVERED,
        OTHER
    }

    /** One line: when, on which instance, which step and what happened. */
    public record Entry(Instant at, long sequence, String instance, Step step, String what) {
        public Entry {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(what, "what");
        }
    }

    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> deskConnected = new CompletableFuture<>();
    private final Map<Step, CompletableFuture<Entry>> first = new ConcurrentHashMap<>();

    /** @param clock the clock both Handoff instances use */
    public ClusterTimeline(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a line now. */
    public void note(String instance, Step step, String what) {
        add(clock.instant(), instance, step, what);
    }

    /** Adds a line for something that happened at {@code at} (read from {@link #now()} before it was done). */
    public void note(Instant at, String instance, Step step, String what) {
        add(at, instance, step, what);
    }

    /** The timeline's clock now. */
    public Instant now() {
        return clock.instant();
    }

    private void add(Instant at, String instance, Step step, String what) {
        Entry e = new Entry(at, sequence.incrementAndGet(), instance, step, what);
        entries.add(e);
        first.computeIfAbsent(step, k -> new CompletableFuture<>()).complete(e);
    }

    /** Completes with the first line of this step, when there is one. */
    public CompletableFuture<Entry> first(Step step) {
        return first.computeIfAbsent(Objects.requireNonNull(step, "step"), k -> new CompletableFuture<>());
    }

    /** A listener for the instance where the bot hands off: the steps of its handoff, with the events' own times. */
    public HandoffListener listenerFor(String instance) {
        return e -> {
            if (e instanceof HandoffEvent.HandoffRequested r) {
                add(r.at(), instance, Step.TRIGGER, "trigger: " + r.decision().action() + " " + r.decision().priority() + " "
                        + r.decision().reasons().stream().map(x -> x.ruleId()).toList());
            } else if (e instanceof HandoffEvent.ContextPackaged p) {
                add(p.at(), instance, Step.PACKAGED, "context " + p.contextId() + " packaged and signed (" + p.bytes()
                        + " bytes), stored in PostgreSQL (contexts)");
            } else if (e instanceof HandoffEvent.TransferProgress p && p.code() == 0) {
                add(p.at(), instance, Step.OFFERED, p.detail() + ": an offers row in PostgreSQL, announced to every instance (NOTIFY)");
            } else if (e instanceof HandoffEvent.TransferProgress p) {
                add(p.at(), instance, Step.OTHER, "learns from PostgreSQL: " + p.detail());
            } else if (e instanceof HandoffEvent.HandoffCompleted c) {
                add(c.at(), instance, Step.CONNECTED, "CONNECTED to " + c.result().agentId() + " (" + c.result().mode()
                        + "); the bot goes silent");
            } else if (e instanceof HandoffEvent.AgentMessage m) {
                add(m.at(), instance, Step.DELIVERED, "applies " + m.agentId() + "'s message (turn " + m.turn().index()
                        + "); the bot host delivers it to the customer's chat: \"" + m.turn().text() + "\"");
            } else if (e instanceof HandoffEvent.ReturnedToBot r) {
                add(r.at(), instance, Step.RETURNED, "RETURNED_TO_BOT: " + r.reason());
            }
        };
    }

    /**
     * An audit sink for the instance where the agent works: records what it audits (sign-in, the offer shown,
     * accepted, the ticket redeemed) and passes every record on to {@code next} (the shared audit table).
     */
    public AuditSink auditFor(String instance, AuditSink next) {
        Objects.requireNonNull(next, "next");
        return record -> {
            Step step = switch (record.action()) {
                case TICKET_REDEEMED -> Step.REDEEMED;
                case OFFER_ACCEPTED -> "accepted".equals(record.outcome()) ? Step.ACCEPTED : Step.OTHER;
                case CONTEXT_VIEWED -> "offer".equals(record.outcome()) ? Step.OFFER_SEEN : null;
                case DESK_SIGNED_IN -> Step.OTHER;
                case DESK_CONNECTED -> "desk".equals(record.outcome()) ? Step.OTHER : null;
                case TICKET_REFUSED, OFFER_DECLINED -> Step.OTHER;
                default -> null;
            };
            if (step != null) {
                add(record.at(), instance, step, "audit " + record.action() + " " + record.outcome() + " by " + record.actor()
                        + (record.contextId() == null ? "" : " (context " + record.contextId() + ")"));
            }
            next.record(record);
            if (record.action() == AuditRecord.Action.DESK_CONNECTED && "desk".equals(record.outcome())) {
                deskConnected.complete(record.actor());
            }
        };
    }

    /**
     * Completes with the agent's id when the first agent's desk page connects its socket on the instance given an
     * {@link #auditFor} sink: by then that agent is signed in to their queues (the page connects after the sign-in
     * answered).
     */
    public CompletableFuture<String> deskConnected() {
        return deskConnected;
    }

    /** Every line so far, in time order (lines with the same time in the order they were added). */
    public List<Entry> entries() {
        return entries.stream().sorted(Comparator.comparing(Entry::at).thenComparingLong(Entry::sequence)).toList();
    }

    /** The steps in time order, {@link Step#OTHER} left out. */
    public List<Step> steps() {
        return entries().stream().map(Entry::step).filter(s -> s != Step.OTHER).toList();
    }

    /** Prints the lines, each with its time since the first line and its instance. */
    public void print(PrintStream out) {
        List<Entry> all = entries();
        if (all.isEmpty()) {
            return;
        }
        Instant start = all.get(0).at();
        for (Entry e : all) {
            double ms = Duration.between(start, e.at()).toNanos() / 1_000_000.0;
            out.printf("  %+10.1f ms  %-10s %s%n", ms, e.instance(), e.what());
        }
    }
}
