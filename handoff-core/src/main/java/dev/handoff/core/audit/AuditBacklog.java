package dev.handoff.core.audit;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The audit records a Handoff holds because its audit sink is unavailable ({@code Handoff.auditBacklog()}): non-zero
 * {@code waiting} means the sink has been failing and the trail in it is behind. The same count is the gauge
 * {@value #WAITING_GAUGE}.
 *
 * @param waiting     records kept to be written again, oldest first
 * @param limit       the most that may wait ({@code Handoff.Builder.auditBacklogLimit}, {@value #DEFAULT_LIMIT} unless
 *                    set); past it records are lost
 * @param lost        records dropped since the Handoff started because {@code limit} were already waiting
 * @param spool       nullable; the audit spool file, when one is set
 * @param spoolInStep whether every waiting record is also in the spool file (false without a spool, or after a
 *                    write to it failed, until nothing waits)
 */
public record AuditBacklog(int waiting, int limit, long lost, @Nullable Path spool, boolean spoolInStep) {

    /** The gauge of {@link #waiting}, published to the Handoff's {@code MetricsSink} whenever it changes. */
    public static final String WAITING_GAUGE = "handoff.audit.waiting";
    /**
     * The default {@link #limit}: about 20 seconds of a 250-handoffs-a-second contact centre whose database is down
     * (each failing handoff makes two records), about 2.8 MB of heap (about 280 bytes a record, measured by the
     * benchmarks' {@code AuditBacklogHeapHarness}).
     */
    public static final int DEFAULT_LIMIT = 10_000;
    /** The smallest {@link #limit} accepted. */
    public static final int MIN_LIMIT = 100;
    /** The largest {@link #limit} accepted (about 280 MB of heap when full). */
    public static final int MAX_LIMIT = 1_000_000;

    /**
     * Validates the counts.
     *
     * @param waiting     records kept to be written again
     * @param limit       the most that may wait, at least 1
     * @param lost        records dropped because {@code limit} were waiting
     * @param spool       nullable; the audit spool file
     * @param spoolInStep whether every waiting record is also in the spool file
     * @throws IllegalArgumentException when a count is negative or the limit under 1
     */
    public AuditBacklog {
        if (waiting < 0 || lost < 0 || limit < 1) {
            throw new IllegalArgumentException("waiting and lost must be at least 0 and limit at least 1, were " + waiting + ", "
                    + lost + " and " + limit);
        }
    }

    /**
     * The spool file, when one is set.
     *
     * @return the spool file, or empty
     */
    public Optional<Path> spoolFile() {
        return Optional.ofNullable(spool);
    }
}
