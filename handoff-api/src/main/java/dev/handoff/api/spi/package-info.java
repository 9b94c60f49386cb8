/**
 * The service provider interfaces. Each has a default implementation in {@code handoff-core}; a vendor
 * replaces one by setting it on {@code Handoff.builder()} or by listing it in
 * {@code META-INF/services/<interface name>} (when two providers are listed for one interface, building fails
 * and names both).
 *
 * <p>Unless a method says otherwise: it may be called from several threads at once for different sessions,
 * it must not return null, and it reports failure with a {@link dev.handoff.api.HandoffException}
 * (retriable or not).
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.api.spi;

import org.jspecify.annotations.NullMarked;
