/**
 * OpenTelemetry tracing for Handoff, on the OpenTelemetry API only: {@link dev.handoff.opentelemetry.HandoffTracing}
 * (a listener and a {@link dev.handoff.api.spi.HandoffPropagator}) and
 * {@link dev.handoff.opentelemetry.TraceparentInterceptor} for the CRM's OkHttp client.
 */
module dev.handoff.opentelemetry {
    requires transitive dev.handoff.api;
    requires transitive io.opentelemetry.api;
    requires transitive io.opentelemetry.context;
    // optional: only TraceparentInterceptor uses it
    requires static okhttp3;

    exports dev.handoff.opentelemetry;
}
