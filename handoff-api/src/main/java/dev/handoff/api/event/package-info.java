/**
 * Lifecycle events of a handoff, as a sealed hierarchy, and the listener that receives them.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.api.event;

import org.jspecify.annotations.NullMarked;
