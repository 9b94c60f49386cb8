package dev.handoff.eval;

import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects the agents' feedback for {@link FeedbackExport}: register it with {@code Handoff.builder().listener(...)}.
 * It holds each {@link HandoffEvent.FeedbackGiven} in memory (in this process only) until {@link #drain} takes them;
 * drain it on a schedule that suits the volume. Thread-safe.
 */
public final class FeedbackRecorder implements HandoffListener {

    private final ConcurrentLinkedQueue<HandoffEvent.FeedbackGiven> given = new ConcurrentLinkedQueue<>();

    @Override
    public void onEvent(HandoffEvent event) {
        if (event instanceof HandoffEvent.FeedbackGiven f) {
            given.add(f);
        }
    }

    /** The feedback collected since the last drain, oldest first; they are no longer held here. */
    public List<HandoffEvent.FeedbackGiven> drain() {
        List<HandoffEvent.FeedbackGiven> out = new ArrayList<>();
        for (HandoffEvent.FeedbackGiven f; (f = given.poll()) != null; ) {
            out.add(f);
        }
        return out;
    }
}
