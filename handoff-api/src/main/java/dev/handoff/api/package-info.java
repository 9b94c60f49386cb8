/**
 * The Handoff domain model: immutable records for a conversation ({@link dev.handoff.api.Turn}), the
 * trigger decision ({@link dev.handoff.api.HandoffDecision}), the AI's promises
 * ({@link dev.handoff.api.Commitment}), routing ({@link dev.handoff.api.Route}) and transfer
 * ({@link dev.handoff.api.TransferRequest}, {@link dev.handoff.api.TransferResult}), plus the single
 * unchecked exception root {@link dev.handoff.api.HandoffException}.
 *
 * <p>Nullability: the package is null-marked (JSpecify {@code @NullMarked}): every reference is non-null unless
 * it is annotated {@code @Nullable} (its javadoc then says {@code nullable}). Collections are never null; a record
 * given {@code null} for a collection stores an empty one.
 */
@NullMarked
package dev.handoff.api;

import org.jspecify.annotations.NullMarked;
