package dev.handoff.core.internal;

import dev.handoff.api.RetriableHandoffException;
import dev.handoff.api.spi.AuditRecord;
import dev.handoff.api.spi.AuditSink;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one rule for writing audit records a sink failed to take before (core's audit path and the file stores'
 * erasure records): a sink that is unavailable ({@link RetriableHandoffException}) keeps them for later; a sink that
 * refuses a batch for any other reason is given it one record at a time, and a record it refuses for good is logged
 * and dropped, so it cannot hold up the records behind it.
 */
public final class KeptAuditWrites {

    private static final Logger LOG = LoggerFactory.getLogger(KeptAuditWrites.class);

    private KeptAuditWrites() {
    }

    /**
     * What {@link #write} did.
     *
     * @param done        how many records, from the first, are done with (written, or refused for good and dropped)
     * @param refused     those of them refused for good, in order
     * @param unavailable nullable; what the sink threw when it stopped taking records (the rest wait)
     */
    public record Result(int done, List<AuditRecord> refused, @Nullable RetriableHandoffException unavailable) {

        public Result {
            refused = List.copyOf(refused);
        }
    }

    /**
     * Writes kept records, oldest first.
     *
     * @param sink  the sink
     * @param batch the records
     * @return how many records, from the first, are done with; 0 when the sink is still unavailable
     */
    public static Result write(AuditSink sink, List<AuditRecord> batch) {
        try {
            sink.recordAll(batch);
            return new Result(batch.size(), List.of(), null);
        } catch (RetriableHandoffException e) {
            return new Result(0, List.of(), e);
        } catch (RuntimeException refusedBatch) {
            int done = 0;
            List<AuditRecord> refused = new ArrayList<>();
            for (AuditRecord r : batch) {
                try {
                    sink.record(r);
                } catch (RetriableHandoffException e) {
                    return new Result(done, refused, e);   // unavailable again: the rest waits
                } catch (RuntimeException e) {
                    LOG.error("Audit sink refused a kept {} record of session {}; dropped", r.action(), r.sessionId(), e);
                    refused.add(r);
                }
                done++;
            }
            return new Result(done, refused, null);
        }
    }
}
