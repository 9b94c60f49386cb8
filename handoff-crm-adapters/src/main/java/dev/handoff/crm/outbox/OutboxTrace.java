package dev.handoff.crm.outbox;

import dev.handoff.api.context.HandoffContext;
import dev.handoff.api.spi.HandoffPropagator;
import dev.handoff.core.store.OutboxEntry;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's side of tracing, for {@link OutboxDispatcher}: {@link #capture} takes the W3C fields of the submitting
 * session's running handoff from the propagator, to be stored with each entry; {@link #during} runs one delivery
 * attempt with an entry's stored context current. A propagator that fails never stops a push: it goes without a
 * trace context, and the log names no value. Thread-safe.
 */
final class OutboxTrace {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxTrace.class);

    private final HandoffPropagator propagator;

    OutboxTrace(HandoffPropagator propagator) {
        this.propagator = Objects.requireNonNull(propagator, "propagator");
    }

    /** The W3C fields of the session's running handoff, as the propagator gives them now; empty when it fails. */
    Map<String, String> capture(HandoffContext context) {
        if (propagator == HandoffPropagator.NONE) {
            return Map.of();
        }
        try {
            return OutboxEntry.traceFields(propagator.fields(context.sessionId()));
        } catch (RuntimeException e) {
            LOG.warn("Propagator {} failed ({}); the outbox entries of context {} carry no trace context", propagator.getClass().getName(),
                    e.getClass().getName(), context.contextId());
            return Map.of();
        }
    }

    /** Runs one delivery attempt with the entry's stored trace context current; a propagator that fails is skipped. */
    <T> T during(OutboxEntry entry, Supplier<T> call) {
        if (entry.traceContext().isEmpty()) {
            return call.get();
        }
        HandoffPropagator.Scope scope;
        try {
            scope = propagator.resume(entry.traceContext());
        } catch (RuntimeException e) {
            LOG.debug("Propagator {} could not resume the trace context of outbox entry {} ({}); delivering without it",
                    propagator.getClass().getName(), entry.id(), e.getClass().getName());
            scope = null;
        }
        try {
            return call.get();
        } finally {
            if (scope != null) {
                try {
                    scope.close();
                } catch (RuntimeException e) {
                    LOG.debug("Propagator {} failed to close the trace scope of outbox entry {} ({})", propagator.getClass().getName(),
                            entry.id(), e.getClass().getName());
                }
            }
        }
    }
}
