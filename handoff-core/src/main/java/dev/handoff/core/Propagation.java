package dev.handoff.core;

import dev.handoff.api.SessionId;
import dev.handoff.api.spi.HandoffPropagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The builder's {@link HandoffPropagator}, called so that it can never change a handoff's course: a propagator that
 * throws is logged and treated as having nothing to propagate.
 */
final class Propagation {

    private static final Logger LOG = LoggerFactory.getLogger(Propagation.class);

    private Propagation() {
    }

    /** Runs one blocking SPI call with the session's handoff current on this thread (see {@link HandoffPropagator#open}). */
    static <T> T within(HandoffPropagator propagator, SessionId session, Supplier<T> call) {
        HandoffPropagator.Scope scope;
        try {
            scope = propagator.open(session);
        } catch (RuntimeException e) {
            LOG.warn("Propagator {} failed to open a scope for session {}; calling without it", propagator.getClass().getName(), session, e);
            scope = HandoffPropagator.Scope.NOOP;
        }
        try {
            return call.get();
        } finally {
            try {
                scope.close();
            } catch (RuntimeException e) {
                LOG.warn("Propagator {} failed to close its scope for session {}", propagator.getClass().getName(), session, e);
            }
        }
    }

    /** {@code headers} followed by the propagator's fields for the session (which never replace one of {@code headers}). */
    static Map<String, String> headers(HandoffPropagator propagator, SessionId session, Map<String, String> headers) {
        Map<String, String> fields;
        try {
            fields = propagator.fields(session);
        } catch (RuntimeException e) {
            LOG.warn("Propagator {} failed for session {}; the transfer carries no trace fields", propagator.getClass().getName(), session, e);
            return headers;
        }
        if (fields == null || fields.isEmpty()) {
            return headers;
        }
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putAll(headers);
        return all;
    }
}
