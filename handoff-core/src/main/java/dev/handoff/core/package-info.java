/**
 * The entry point: {@link dev.handoff.core.Handoff} (built with {@link dev.handoff.core.Handoff#builder()}) opens a
 * {@link dev.handoff.core.HandoffSession} per conversation, runs each handoff and reports how it ended
 * ({@link dev.handoff.core.HandoffOutcome}); the settings, executors, bridge script and verification deadlines it
 * is configured with live here too.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core;

import org.jspecify.annotations.NullMarked;
