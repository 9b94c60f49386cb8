/**
 * The HTTP transport shared by the CRM adapters: {@link dev.handoff.crm.transport.CrmHttpClient} (OkHttp,
 * HTTPS only, timeouts, retries with back-off and jitter, Retry-After, idempotency keys, circuit breaker).
 */
package dev.handoff.crm.transport;
