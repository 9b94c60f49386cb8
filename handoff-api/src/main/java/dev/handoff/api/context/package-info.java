/**
 * The {@code handoff.context/v1} document: everything the human needs so the customer never repeats
 * anything. {@link dev.handoff.api.context.HandoffContext} is the root; each record maps 1:1 to a JSON object
 * of the schema published at {@code /schema/handoff.context.v1.schema.json} in this module's jar.
 *
 * <p>These records do not reject bad values in their constructors: a document read from the wire is bound
 * first and then validated as a whole (Hibernate Validator, through the core codec), so that every violation
 * is reported at once with its JSON path. Fields a reader does not know are kept in {@code extensions()} and
 * written back unchanged.
 *
 * <p>Because of that, the non-null component types describe a <em>valid</em> document: a record bound from JSON
 * and not yet validated may hold null where its type says otherwise (validation reports each such path).
 *
 * <p>Null-marked (JSpecify): a type without {@code @Nullable} is never null.
 */
@NullMarked
package dev.handoff.api.context;

import org.jspecify.annotations.NullMarked;
