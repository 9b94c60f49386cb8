package dev.handoff.crm;

import dev.handoff.crm.transport.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test double for time: a sleeper that records waits without waiting (the clock is core's {@code ManualTime}). */
public final class TestSupport {

    private TestSupport() {
    }

    /** Records every wait and returns at once. */
    public static final class RecordingSleeper implements Sleeper {
        public final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }
    }
}
