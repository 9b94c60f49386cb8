package dev.handoff.core.audit;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The audit records a Handoff holds because its audit sink is unavailable ({@code Handoff.auditBacklog()}): non-zero
 * {@code waiting} means the sink has been failing and the trail in it is behind. The same count is the gauge
 * {@value #WAITING_GAUGE}.
 *
 * @param waiting     records kept to be written again, oldest first, at most 10,000
 * @param lost        records dropped since the Handoff started because that many were already waiting
 * @param spool       nullable; the audit spool file, when one is set
 * @param spoolInStep whether every waiting record is also in the spool file (false without a spool, or after a
 *                    write to it failed, until nothing waits)
 */
public record AuditBacklog(int waiting, long lost, @Nullable Path spool, boolean spoolInStep) {

    /** The gauge of {@link #waiting}, published to the Handoff's {@code MetricsSink} whenever it changes. */
    public static final String WAITING_GAUGE = "handoff.audit.waiting";

    /**
     * Validates the counts.
     *
     * @throws IllegalArgumentException when a count is negative
     */
    public AuditBacklog {
        if (waiting < 0 || lost < 0) {
            throw new IllegalArgumentException("waiting and lost must be at least 0, were " + waiting + " and " + lost);
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
