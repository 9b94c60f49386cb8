/**
 * Reading and writing {@code handoff.context/v1} as JSON: {@link dev.handoff.core.json.ContextJson} binds a document,
 * validates it against the records' constraints and reports every violation with its JSON path.
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.core.json;

import org.jspecify.annotations.NullMarked;
