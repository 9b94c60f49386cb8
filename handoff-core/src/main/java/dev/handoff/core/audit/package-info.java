/**
 * Two {@link dev.handoff.api.spi.AuditSink}s: one that keeps records in memory (tests, demos) and one that logs them
 * through SLF4J. Durable audit records live in the stores (for example handoff-postgres).
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.audit;

import org.jspecify.annotations.NullMarked;
