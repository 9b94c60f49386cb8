package dev.handoff.core.testing;

import dev.handoff.core.Scheduler;
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

    /**
     * Moves time forward and runs every task that has come due, in due order, on this thread (outside the lock, so a
     * task may read the clock or schedule more from any thread).
     */
    public void advance(Duration d) {
        List<Entry> due;
        synchronized (this) {
            now = now.plus(d);
            due = tasks.stream().filter(e -> !e.cancelled && !e.due.isAfter(now)).sorted(Comparator.comparing(e -> e.due)).toList();
            tasks.removeAll(due);
        }
        for (Entry e : due) {
            boolean cancelled;
            synchronized (this) {
                cancelled = e.cancelled;
            }
            if (!cancelled) {
                e.task.run();
            }
        }
    }

    /**
     * Waits until a task is scheduled {@code delay} after the current time (the handoff under test got that far);
     * fails after {@code within} of real time.
     */
    public synchronized void awaitTask(Duration delay, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        Instant due = now.plus(delay);
        while (tasks.stream().noneMatch(e -> !e.cancelled && e.due.equals(due))) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no task scheduled for " + due + " within " + within + "; pending: " + tasks.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    public synchronized int pending() {
        return (int) tasks.stream().filter(e -> !e.cancelled).count();
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        Entry e = new Entry(now.plus(delay), task);
        tasks.add(e);
        notifyAll();
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
