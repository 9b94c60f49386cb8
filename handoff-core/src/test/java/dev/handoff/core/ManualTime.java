package dev.handoff.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A clock and a scheduler that move only when the test says so: {@link #advance} runs what came due, in order. */
public final class ManualTime extends Clock implements Scheduler {

    private Instant now;
    private final List<Entry> tasks = new ArrayList<>();

    private static final class Entry {
        final Instant due;
        final Runnable task;
        boolean cancelled;

        Entry(Instant due, Runnable task) {
            this.due = due;
            this.task = task;
        }
    }

    public ManualTime(Instant start) {
        this.now = start;
    }

    /** Moves time forward and runs every task that has come due, in due order. */
    public synchronized void advance(Duration d) {
        now = now.plus(d);
        List<Entry> due = tasks.stream().filter(e -> !e.cancelled && !e.due.isAfter(now)).sorted(Comparator.comparing(e -> e.due)).toList();
        tasks.removeAll(due);
        due.forEach(e -> e.task.run());
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pending() {
        return (int) tasks.stream().filter(e -> !e.cancelled).count();
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Entry e = new Entry(now.plus(delay), task);
        tasks.add(e);
        return () -> {
            synchronized (ManualTime.this) {
                e.cancelled = true;
            }
        };
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }
}
