/**
 * Durable stores on local files (append-only journals, sealed at rest when {@link dev.handoff.core.store.AtRestKeys} are given)
 * for contexts and commitments, the in-memory context store, and the outbox SPI the CRM delivery runs on.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.store;

import org.jspecify.annotations.NullMarked;
