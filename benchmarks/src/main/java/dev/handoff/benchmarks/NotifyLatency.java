package dev.handoff.benchmarks;

import dev.handoff.api.SessionId;
import dev.handoff.api.event.HandoffEvent;
import dev.handoff.api.event.HandoffListener;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the harnesses measure: each handoff's time from the trigger ({@code HandoffRequested}) to the agent notified
 * ({@code AgentNotified}), read from the events' own instants, in the order the agents were notified; and, to see
 * where a slow one spent its time, the same span cut where the context is packaged (summary, ledger read, packaging,
 * signing and the store's write) and where the first target's preflight is answered; the agent is notified right after
 * it (before the transfer starts). Thread-safe.
 */
final class NotifyLatency implements HandoffListener {

    /** The stages a span is cut at, in order, and the names of the pieces between them. */
    private static final String[] PIECES = {"packaged", "preflight", "agent notified"};

    /** Per session in flight: the instants (epoch nanoseconds) of the trigger and of each stage reached, -1 before. */
    private final Map<SessionId, long[]> open = new ConcurrentHashMap<>();
    private final List<Long> samples = Collections.synchronizedList(new ArrayList<>());
    /** Per notified handoff: the whole span, then each piece (-1 when a stage was not seen), then the trigger's instant. */
    private final List<long[]> pieces = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onEvent(HandoffEvent e) {
        if (e instanceof HandoffEvent.HandoffRequested r) {
            open.put(r.sessionId(), new long[] {nanos(r.at()), -1, -1});
        } else if (e instanceof HandoffEvent.ContextPackaged p) {
            reached(p.sessionId(), 1, p.at());
        } else if (e instanceof HandoffEvent.PreflightChecked p) {
            reached(p.sessionId(), 2, p.at());
        } else if (e instanceof HandoffEvent.AgentNotified a) {
            long[] at = open.remove(a.sessionId());
            if (at != null) {
                long notified = nanos(a.at());
                samples.add(notified - at[0]);
                long[] row = new long[PIECES.length + 2];
                row[0] = notified - at[0];
                row[PIECES.length + 1] = at[0];
                long last = at[0];
                for (int i = 1; i <= PIECES.length; i++) {
                    long stage = i < at.length ? at[i] : notified;
                    row[i] = stage < 0 || last < 0 ? -1 : stage - last;
                    last = stage;
                }
                pieces.add(row);
            }
        }
    }

    private void reached(SessionId session, int stage, Instant at) {
        long[] row = open.get(session);
        if (row != null && row[stage] < 0) {
            row[stage] = nanos(at);   // the first time only: a second target's preflight is not this span's
        }
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** The samples so far, nanoseconds, in the order the agents were notified (a live, synchronized view). */
    List<Long> samples() {
        return samples;
    }

    /** How many agents were notified so far. */
    int size() {
        return samples.size();
    }

    /** The samples so far, sorted. */
    long[] sorted() {
        synchronized (samples) {
            return samples.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    /**
     * Where the time went: the median of each piece over all handoffs and over the slowest {@code 1 - q} of them, e.g.
     * {@code packaged 0.41 / 2.10 ms, preflight ...}.
     */
    String breakdown(double q) {
        long[][] rows = byDuration();
        if (rows.length == 0) {
            return "no handoff notified";
        }
        long[][] tail = slowest(rows, q);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < PIECES.length; i++) {
            out.append(i == 0 ? "" : ", ").append(PIECES[i]).append(' ')
                    .append(String.format(Locale.ROOT, "%.2f / %.2f ms", median(rows, i + 1), median(tail, i + 1)));
        }
        return out.append(" (").append(tail.length).append(" slowest)").toString();
    }

    /**
     * Whether the slowest {@code 1 - q} of the handoffs were slow together: they are grouped into bursts, a burst being
     * handoffs triggered within {@code gapMillis} of the previous one in it, e.g. {@code the 23 slowest in 4 burst(s) ...,
     * the largest 16 handoff(s) triggered within 48 ms}. A tail in few large bursts is a stall that held many handoffs at once
     * (a lock, a flush, threads waiting for a core); one spread evenly is each handoff's own variation. Read it only
     * where the slowest would be far apart if they were spread evenly: at 250 handoffs a second the slowest 1% are
     * 2.5 a second, 400 ms apart on average, against a 50 ms gap; flat out at 2,000 a second they are 50 ms apart and
     * chain into bursts however they fall.
     */
    String bursts(double q, long gapMillis) {
        long[][] rows = byDuration();
        if (rows.length == 0) {
            return "no handoff notified";
        }
        int at = PIECES.length + 1;
        long[] triggers = Arrays.stream(slowest(rows, q)).mapToLong(r -> r[at]).sorted().toArray();
        int bursts = 0;
        int largest = 0;
        long largestSpan = 0;
        for (int i = 0, first = 0; i < triggers.length; i++) {
            if (i == 0 || triggers[i] - triggers[i - 1] > gapMillis * 1_000_000) {
                bursts++;
                first = i;
            }
            if (i - first + 1 > largest) {
                largest = i - first + 1;
                largestSpan = triggers[i] - triggers[first];
            }
        }
        return String.format(Locale.ROOT, "the %d slowest in %d burst(s) (triggers at most %d ms apart), the largest %d"
                + " handoff(s) triggered within %.0f ms", triggers.length, bursts, gapMillis, largest, largestSpan / 1e6);
    }

    /** Every notified handoff's row so far, the fastest first. */
    private long[][] byDuration() {
        long[][] rows;
        synchronized (pieces) {
            rows = pieces.toArray(long[][]::new);
        }
        Arrays.sort(rows, Comparator.comparingLong(r -> r[0]));
        return rows;
    }

    /** The slowest {@code 1 - q} of {@code sorted} (at least one row; {@code sorted} is not empty). */
    private static long[][] slowest(long[][] sorted, double q) {
        return Arrays.copyOfRange(sorted, Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length)), sorted.length);
    }

    private static double median(long[][] rows, int column) {
        long[] v = Arrays.stream(rows).mapToLong(r -> r[column]).filter(x -> x >= 0).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2] / 1e6;
    }
}
