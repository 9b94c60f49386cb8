/**
 * Routers: {@link dev.handoff.core.routing.DefaultRouter} sends every handoff to one queue;
 * {@link dev.handoff.core.routing.ReadinessRouter} chooses targets by skills, priority and the customer's readiness.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.routing;

import org.jspecify.annotations.NullMarked;
