package dev.handoff.crm.outbox;

import dev.handoff.api.HandoffException;
import dev.handoff.api.spi.CrmAdapter.CrmReceipt;
import dev.handoff.core.store.OutboxEntry;
import java.time.Duration;

/**
 * Hears what the {@link OutboxDispatcher} did with each push (for metrics, audit and tests). Called on a
 * dispatcher worker thread; an exception thrown here is logged and does not affect delivery. Every method has
 * an empty default.
 */
public interface OutboxListener {

    /**
     * The CRM acknowledged the push and the store recorded it; it will not be sent again. (A push the CRM took whose
     * acknowledgement could not be recorded is reported when it has been pushed again and recorded.)
     */
    default void delivered(OutboxEntry entry, CrmReceipt receipt, int attempts) {
    }

    /** The push failed in a way that may go away; it stays pending and is tried again after {@code delay}. */
    default void retryScheduled(OutboxEntry entry, int failures, Duration delay, HandoffException cause) {
    }

    /** The CRM refused the push for good; it was moved to the dead letters. */
    default void deadLettered(OutboxEntry entry, String reason) {
    }
}
