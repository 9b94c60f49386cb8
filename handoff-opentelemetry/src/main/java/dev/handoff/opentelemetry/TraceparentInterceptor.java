package dev.handoff.opentelemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp interceptor that writes the {@link Context#current() current} trace context into each request
 * ({@code traceparent}, W3C Trace Context). Add it to the {@code OkHttpClient} given to the CRM transport
 * ({@code CrmHttpClient.builder(...).okHttpClient(...)}): core makes the handoff's phase span current on the io thread
 * around every CRM call ({@link HandoffTracing#open}), so each CRM request carries the handoff's trace; the durable
 * outbox's dispatcher, given the tracing as its propagator, makes the queuing handoff's context current around each
 * delivery attempt ({@link HandoffTracing#resume}), retries included. Where nothing is current, nothing is written.
 *
 * <p>Needs OkHttp on the class path (an optional dependency of this module). As an application interceptor it runs
 * on the thread that executes the call, so a synchronous {@code execute()}, as the CRM transport makes, sees the
 * current context.
 */
public final class TraceparentInterceptor implements Interceptor {

    private final TextMapPropagator propagator;

    private TraceparentInterceptor(TextMapPropagator propagator) {
        this.propagator = Objects.requireNonNull(propagator, "propagator");
    }

    /** Writes W3C Trace Context ({@code traceparent}, {@code tracestate}). */
    public static TraceparentInterceptor w3c() {
        return new TraceparentInterceptor(W3CTraceContextPropagator.getInstance());
    }

    /** Writes what the application's propagators write (W3C, baggage, B3, ... as configured). */
    public static TraceparentInterceptor of(OpenTelemetry openTelemetry) {
        return new TraceparentInterceptor(openTelemetry.getPropagators().getTextMapPropagator());
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request.Builder request = chain.request().newBuilder();
        propagator.inject(Context.current(), request, (carrier, key, value) -> {
            if (carrier != null) {
                carrier.header(key, value);
            }
        });
        return chain.proceed(request.build());
    }
}
