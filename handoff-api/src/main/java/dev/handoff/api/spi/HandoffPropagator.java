package dev.handoff.api.spi;

import dev.handoff.api.SessionId;
import java.util.Map;

/**
 * Carries a running handoff's correlation (in practice its trace context) onto the outbound calls made for it: the
 * SIP REFER or INVITE of a transfer and the HTTP calls of the CRM and the LLM observer. Core knows nothing of the
 * tracing library; an implementation such as {@code dev.handoff.opentelemetry.HandoffTracing} (module
 * handoff-opentelemetry) keeps, per session, what a listener learnt from the handoff's events, and answers here.
 *
 * <p>Set with {@code Handoff.Builder.propagator}; default {@link #NONE}. Core calls it on its own worker and io
 * threads, concurrently for different sessions; both methods must be quick and must not block. A method that throws is
 * logged and ignored: propagation never changes a handoff's course.
 */
public interface HandoffPropagator {

    /** Propagates nothing. */
    HandoffPropagator NONE = new HandoffPropagator() {
        @Override
        public Map<String, String> fields(SessionId session) {
            return Map.of();
        }

        @Override
        public Scope open(SessionId session) {
            return Scope.NOOP;
        }
    };

    /**
     * Header fields for a protocol request made for the session's running handoff now ({@code traceparent}, say).
     * Core calls it on a worker thread as it builds each {@link dev.handoff.api.TransferRequest}; the fields become
     * part of its {@code headers}, which a transfer executor carries (handoff-sip puts them on the REFER and the
     * INVITE). Names must be protocol tokens and values visible ASCII; ids and codes only, never transcript text.
     *
     * @param session the conversation whose handoff makes the request
     * @return the fields; empty when the session has no running handoff this propagator knows of
     */
    Map<String, String> fields(SessionId session);

    /**
     * Makes the session's running handoff current on this thread for one blocking call, so that the transport's own
     * instrumentation (an OkHttp interceptor reading the current trace context, say) sees it. Core calls it on the io
     * thread just before {@code CrmAdapter.lookup}, {@code CrmAdapter.push} and {@code Summarizer.summarize}, and
     * closes the scope on the same thread when the call returns or throws.
     *
     * @param session the conversation whose handoff makes the call
     * @return the scope to close; {@link Scope#NOOP} when there is nothing to make current
     */
    Scope open(SessionId session);

    /**
     * Makes current on this thread, for one blocking call, the trace context that {@link #fields} gave earlier for a
     * handoff that may have ended since: handoff-crm-adapters' {@code OutboxDispatcher} keeps the W3C fields
     * ({@code traceparent}, {@code tracestate}) with each durable push and calls this on its own thread around every
     * delivery attempt, so a retried push still carries the trace of the handoff that queued it. The caller closes the
     * scope on the same thread. Default: nothing ({@link Scope#NOOP}), for propagators that keep no trace context.
     *
     * @param fields the W3C fields as {@link #fields} gave them (already checked by the caller); never empty
     * @return the scope to close; {@link Scope#NOOP} when the fields hold no valid context
     */
    default Scope resume(Map<String, String> fields) {
        return Scope.NOOP;
    }

    /** What {@link #open} made current; closing it restores what was current before, on the same thread. */
    interface Scope extends AutoCloseable {

        /** Restores nothing. */
        Scope NOOP = () -> { };

        /** Never throws. */
        @Override
        void close();
    }
}
