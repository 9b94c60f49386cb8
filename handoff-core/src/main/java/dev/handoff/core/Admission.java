package dev.handoff.core;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The limit of handoffs in flight on this instance, with a bounded waiting line behind it. A handoff in flight holds
 * no thread, only memory and an agent's attention; the limit keeps both bounded and tells each customer where they
 * stand: started, waiting at a position, or refused at once.
 */
final class Admission {

    /** The answer to {@link #enter}. */
    sealed interface Entry {
    }

    /** Start now. */
    record Admitted() implements Entry {
    }

    /** Wait; {@code position} 1 is next. */
    record Queued(int position) implements Entry {
    }

    /** The line is full too. */
    record Refused() implements Entry {
    }

    private final int maxInFlight;
    private final int maxQueued;
    private final ArrayDeque<HandoffRun> line = new ArrayDeque<>();
    private int inFlight;

    Admission(int maxInFlight, int maxQueued) {
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    synchronized Entry enter(HandoffRun run) {
        if (inFlight < maxInFlight) {
            inFlight++;
            run.admit();
            return new Admitted();
        }
        if (line.size() < maxQueued) {
            line.addLast(run);
            return new Queued(line.size());
        }
        return new Refused();
    }

    /**
     * A handoff in flight ended: its slot passes to the first one waiting that has not ended meanwhile.
     *
     * @return the handoff to start now, or null when nobody waits
     */
    synchronized HandoffRun release() {
        HandoffRun next;
        while ((next = line.pollFirst()) != null) {
            if (!next.finished()) {
                next.admit();
                return next;
            }
        }
        inFlight--;
        return null;
    }

    /** Takes a waiting handoff out of line; false when it was admitted meanwhile (or never waited). */
    synchronized boolean withdraw(HandoffRun run) {
        for (Iterator<HandoffRun> it = line.iterator(); it.hasNext(); ) {
            if (it.next() == run) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return line.size();
    }
}
